import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to

from schemas.records import Article
from tests.conftest import in_process_pipeline, seed_text
from transforms.text.language import DetectLanguage


def article(article_id: str, text: str) -> Article:
    return Article(article_id=article_id, source=article_id, title=None, published_date=None,
                   date_source="", language=None, text=text)


GERMAN = ("Der geplante Gipfel zwischen Trump und Putin in Budapest wurde abgesagt, nachdem Moskau "
          "an seinen Forderungen im Ukraine-Krieg festhielt.")
FRENCH = ("Le sommet prévu entre Donald Trump et Vladimir Poutine à Budapest a été annulé après un "
          "appel téléphonique tendu entre les deux ministres des Affaires étrangères.")


def test_language_of_english_german_and_french_articles():
    articles = [article("en", seed_text(3)), article("de", GERMAN), article("fr", FRENCH)]
    with in_process_pipeline() as p:
        detected = p | beam.Create(articles) | DetectLanguage()
        assert_that(detected | beam.Map(lambda a: (a.article_id, a.language)),
                    equal_to([("en", "en"), ("de", "de"), ("fr", "fr")]))


def test_text_without_letters_gets_no_language_instead_of_a_guess():
    with in_process_pipeline() as p:
        detected = p | beam.Create([article("n", "2025 - 10 - 31 ... 75% / 24")]) | DetectLanguage()
        assert_that(detected | beam.Map(lambda a: a.language), equal_to([None]))


RUSSIAN = "Саммит Трампа и Путина в Будапеште (Budapest) отменён после телефонного разговора министров."
CHINESE = "特朗普与普京在布达佩斯的峰会被取消 NATO EU"


def test_detector_gives_langdetects_own_probabilities():
    """The stage's faster Detector answers exactly as langdetect does: same seed, same walk."""
    from langdetect import DetectorFactory, detector_factory

    from transforms.text.language import PREFIX_CHARS, Detector, Profiles

    DetectorFactory.seed = 0
    profiles = Profiles()
    texts = [seed_text(n) for n in range(5)] + [GERMAN, FRENCH, RUSSIAN, CHINESE,
                                                   "NATO and the EU  met   in Brussels.  https://x.org/a b@c.de"]
    for text in texts:
        ours, theirs = Detector(profiles, 3), detector_factory._factory.create()
        theirs.n_trial = 3
        for detector in (ours, theirs):
            detector.append(text[:PREFIX_CHARS])
            detector.get_probabilities()
        assert ours.langprob == theirs.langprob, text[:60]


def test_a_headline_only_feed_item_is_read_once():
    import dataclasses

    headline = "Promotoria abre inquérito para apurar suspeita de improbidade de Skaf no Sebrae-SP"
    item = dataclasses.replace(article("uol", headline), title=headline)  # UOL's item had no summary
    with in_process_pipeline() as p:
        detected = p | beam.Create([item]) | DetectLanguage()
        assert_that(detected | beam.Map(lambda a: a.language), equal_to(["pt"]))


def test_short_russian_that_langdetect_reads_as_bulgarian_or_macedonian_is_russian():
    """A Cyrillic text all in Russian's letters, with a letter (ы, э, ё) or a function word ("что", "вот") that
    Bulgarian, Macedonian and Ukrainian do not write, is Russian whatever langdetect's guess."""
    from transforms.text.language import DetectLanguageFn

    detector = DetectLanguageFn()
    detector.setup()
    for text in ("Дэн смотрел на Фло.", "Да те, что Андрюха вчера топил.", "Вот я сейчас тест придумаю."):
        assert detector.detect_scored(text) == ("ru", None), text


def test_bulgarian_macedonian_ukrainian_and_russian_without_evidence_keep_langdetects_reading():
    from transforms.text.language import DetectLanguageFn, written_in

    detector = DetectLanguageFn()
    detector.setup()
    assert detector.detect("Министърът каза, че България ще подкрепи решението.") == "bg"
    assert detector.detect("Владата ја донесе одлуката во Скопје.") == "mk"
    assert detector.detect("Президент підписав закон у четвер.") == "uk"
    assert written_in("Нас не нашли.", "bg") == "bg"  # nothing only Russian writes: langdetect's word stands
    assert written_in("Вони були в Києві, і що?", "uk") == "uk"  # Ukrainian's і is no Russian letter
    assert written_in("Что это?", "sr") == "sr"  # only the languages the profile names are read again


SQUAD = ("S Best (Ulster), S Byrne (Leinster), R Corrigan (Leinster), L Cullen (Leinster), S Easterby (Llanelli), "
         "A Foley (Munster), J Hayes (Munster), M Horan (Munster), B Jackman (Connacht), D Leamy (Munster), "
         "E Miller (Leinster), R McCormack (Ulster), D O'Callaghan (Munster), P O'Connell (Munster), "
         "J O'Connor (Wasps), M O'Kelly (Leinster), F Sheahan (Munster), R Wilson (Ulster), A Quinlan (Munster).\n")


def test_an_english_article_that_opens_with_a_list_of_names_is_english():
    """Names carry their own languages' letters: read alone, this squad list under its headline was German."""
    import dataclasses

    text = SQUAD + ("\"You don't do deals over jobs like this,\" the prime minister told the programme. He said the "
                    "claims were reheated from six months ago and that he was concentrating on running the country.")
    squad = dataclasses.replace(article("squad", text), title="Kuznetsova 'failed a drugs test'")
    with in_process_pipeline() as p:
        detected = p | beam.Create([squad]) | DetectLanguage()
        assert_that(detected | beam.Map(lambda a: a.language), equal_to(["en"]))
