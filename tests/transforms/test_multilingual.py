"""Articles in other languages never meet the English model."""

import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to

from schemas.records import Article, StatusMention
from tests.conftest import in_process_pipeline
from transforms.nlp.analyse import ENTITIES, STATUSES, TOPICS, AnalyseArticles
from transforms.nlp.model import DEFAULT_MODEL

GERMAN = ("Das geplante Gipfeltreffen zwischen Donald Trump und Wladimir Putin in Budapest ist abgesagt worden, "
          "teilte das Weiße Haus am Dienstag mit. Der Bundestag debattierte den Termin. "
          "Selenskyj begrüßte die Entscheidung.")
FRENCH = ("PARIS, 18 novembre 2026 - Emmanuel Macron a rencontré Vladimir Poutine à Budapest. "
          "Le sommet entre Donald Trump et Poutine a été reporté, selon Dmitri Peskov.")
RUSSIAN = "Владимир Путин и Дональд Трамп обсудили встречу в Будапеште, сообщил Дмитрий Песков."


def article(article_id: str, language: str, text: str) -> Article:
    return Article(article_id=article_id, source=article_id, title=None, published_date=None, date_source="",
                   language=language, text=text)


def test_a_german_article_gets_only_the_names_the_run_knows_and_no_english_guesses():
    with in_process_pipeline() as p:
        found = p | beam.Create([article("de", "de", GERMAN)]) | AnalyseArticles(DEFAULT_MODEL)
        people = found[ENTITIES] | beam.Filter(lambda m: m.label == "PERSON") | beam.Map(lambda m: m.canonical)
        assert_that(people | "distinct" >> beam.Distinct(),
                    equal_to(["Donald Trump", "Vladimir Putin", "Volodymyr Zelensky"]), label="people")
        # the subject from the German words of its profile, the second-level topic from its German phrases;
        # the status from German status phrases
        assert_that(found[TOPICS] | beam.Map(lambda t: (t.code, t.level, t.topic)),
                    equal_to([("medtop:11000000", 1, "politics"), ("medtop:20000638", 2, "international relations")]),
                    label="topics")
        assert_that(found[STATUSES] | beam.Map(lambda s: (s.event, s.status, s.lead, s.participants)),
                    equal_to([("summit", "cancelled", True, "putin, trump")]), label="statuses")


def test_a_language_with_no_status_lexicon_gets_its_subject_and_no_statuses():
    portuguese = ("A cúpula entre Donald Trump e Vladimir Putin em Budapeste foi cancelada, disse a Casa Branca. "
                  "Os diplomatas e ministros das Relações Exteriores não chegaram a um acordo.")
    with in_process_pipeline() as p:
        found = p | beam.Create([article("pt", "pt", portuguese)]) | AnalyseArticles(DEFAULT_MODEL)
        # Portuguese has subject words in its profile but no second-level phrases
        assert_that(found[TOPICS] | beam.Map(lambda t: (t.code, t.level)), equal_to([("medtop:11000000", 1)]),
                    label="topics")
        assert_that(found[STATUSES], equal_to([]), label="no statuses without a lexicon")
        assert_that(found[ENTITIES] | beam.Map(lambda m: m.canonical) | beam.Distinct(),
                    equal_to(["Donald Trump", "Vladimir Putin"]), label="people")


def test_a_french_article_gets_the_french_model_and_canonical_names():
    with in_process_pipeline() as p:
        found = p | beam.Create([article("fr", "fr", FRENCH)]) | AnalyseArticles(DEFAULT_MODEL)
        people = found[ENTITIES] | beam.Filter(lambda m: m.label == "PERSON") | beam.Map(lambda m: m.canonical)
        assert_that(people | beam.Distinct(),
                    equal_to(["Emmanuel Macron", "Vladimir Putin", "Donald Trump", "Dmitry Peskov"]))


def test_names_in_another_script_take_their_canonical_names():
    with in_process_pipeline() as p:
        found = p | beam.Create([article("ru", "ru", RUSSIAN)]) | AnalyseArticles(DEFAULT_MODEL)
        assert_that(found[ENTITIES] | beam.Map(lambda m: (m.canonical, m.label)) | beam.Distinct(),
                    equal_to([("Vladimir Putin", "PERSON"), ("Donald Trump", "PERSON"), ("Dmitry Peskov", "PERSON"),
                              ("Budapest", "GPE")]))  # natasha's place "в Будапеште", under its English name


def test_russian_and_ukrainian_people_take_one_english_name_in_every_case_form():
    """Every case form is one person, written the usual English way (Russian: the English Wikipedia's
    system; Ukrainian: the national one), and places take their English names."""
    russian = ("Вчера губернатор Михаил Евраев встретился с министром Анной Поповой в Ярославле. "
               "Поповой передали письмо, а Евраева поблагодарили жители Рыбинска.")
    ukrainian = ("Згідно з Конституцією України, генпрокурорку Ірину Венедіктову звільнено. "
                 "Венедіктовій запропонували посаду посла, повідомив Дмитро Разумков.")
    with in_process_pipeline() as p:
        found = (p | beam.Create([article("ru3", "ru", russian), article("uk3", "uk", ukrainian)])
                 | AnalyseArticles(DEFAULT_MODEL))
        assert_that(found[ENTITIES] | beam.Map(lambda m: (m.mention, m.canonical, m.label)),
                    equal_to([("Михаил Евраев", "Mikhail Yevrayev", "PERSON"),
                              ("Анной Поповой", "Anna Popova", "PERSON"), ("Ярославле", "Yaroslavl", "GPE"),
                              ("Поповой", "Anna Popova", "PERSON"),
                              ("Евраева", "Mikhail Yevrayev", "PERSON"), ("Рыбинска", "Rybinsk", "GPE"),
                              # "Конституцією України" is no person, though the Russian model says so
                              ("Ірину Венедіктову", "Iryna Venediktova", "PERSON"),
                              ("Венедіктовій", "Iryna Venediktova", "PERSON"),
                              ("Дмитро Разумков", "Dmytro Razumkov", "PERSON")]))


def test_models_are_named_per_language_and_checked_before_the_run(tmp_path, capsys):
    from pipelines.cli import main
    from transforms.nlp.model import DEFAULT_MODEL, split_models

    assert split_models(f"{DEFAULT_MODEL},fr=fr_core_news_md") == (DEFAULT_MODEL, {"fr": "fr_core_news_md"})
    assert split_models("de=de_core_news_sm") == (DEFAULT_MODEL, {"de": "de_core_news_sm"})
    assert main(["run", "--output", str(tmp_path / "out"), "--model", "de=no_such_model"]) == 2
    assert "'no_such_model' for 'de' is not installed" in capsys.readouterr().err


def people(language: str, text: str) -> list[str]:
    from transforms.nlp.people import PeopleFinder
    from transforms.nlp.tokens import tokenizer

    return [span.text for span in PeopleFinder(language).spans(tokenizer()(text))]


def test_initials_month_abbreviations_and_compound_titles_do_not_hide_people():
    assert people("de", "Ein Buch von Edward S. Herman. Von Jan Kupitz.") == ["Edward S. Herman", "Jan Kupitz"]
    assert people("de", "Das sagte Altkanzler Schröder am 3. Jan in Berlin.") == ["Schröder"]
    assert people("es", "Sam Altman llegó. El Mar del Norte está frío.") == ["Sam Altman"]


def test_people_a_model_has_never_seen_are_found_by_the_shape_of_their_names():
    german = ("Sachsen-Anhalts Ministerpräsident Reiner Haseloff (CDU) erwartete viel. Meine Zutaten sind frisch. "
              "Am Montag sagte Haseloff, die 32 Jahre alte Claudia Brandes Bürgermeisterin werde in der "
              "Karl-Marx-Straße wohnen; Kanzler Scholz schwieg.")
    assert people("de", german) == ["Reiner Haseloff", "Haseloff", "Claudia Brandes", "Scholz"]
    spanish = ("El alcalde del municipio Pedro María Ureña recibió a Alberto Fernández del Gobierno y al capo "
               "Joaquín “El Chapo” Guzmán en Santa Cruz; el presidente Boric no asistió. Fernández calló.")
    assert people("es", spanish) == ["Alberto Fernández", "Joaquín “El Chapo” Guzmán", "Boric", "Fernández"]
    portuguese = "Luana Yasmin Gonçalves da Silva morava no Rio de Janeiro, disse Luiz Fux em Maio."
    assert people("pt", portuguese) == ["Luana Yasmin Gonçalves da Silva", "Luiz Fux"]


def test_a_russian_word_the_dictionary_knows_only_as_a_given_name_is_someone_alone():
    assert people("ru", "И Арон пошел на крейсер.") == ["Арон"]
    assert people("ru", "Дэн смотрел в окно.") == ["Дэн"]
    # a given name that is a common word or a city too needs more than itself
    assert people("ru", "Вера в победу и Роман в двух томах. Во Владимир приехал поезд.") == []


def test_a_german_article_names_new_people_without_the_english_models_nouns():
    text = ("Der Gipfel in Budapest ist abgesagt, sagte Sparkassenpräsident Helmut Schleweis am Dienstag. "
            "Schleweis forderte mehr Investitionen.")
    with in_process_pipeline() as p:
        found = p | beam.Create([article("de2", "de", text)]) | AnalyseArticles(DEFAULT_MODEL)
        assert_that(found[ENTITIES] | beam.Filter(lambda m: m.label == "PERSON")
                    | beam.Map(lambda m: (m.mention, m.canonical)),
                    equal_to([("Helmut Schleweis", "Helmut Schleweis"), ("Schleweis", "Helmut Schleweis")]))


def test_russian_and_ukrainian_case_forms_of_known_names_take_their_canonical_names():
    text = ("Дональд Трамп обсудил встречу с Владимиром Путиным. Песков сообщил, что встреча Путина и Трампа "
            "отложена. Зеленський заявив, що Трамп не говорив з Зеленським.")
    with in_process_pipeline() as p:
        found = p | beam.Create([article("ru2", "ru", text)]) | AnalyseArticles(DEFAULT_MODEL)
        assert_that(found[ENTITIES] | beam.Map(lambda m: (m.mention, m.canonical)),
                    equal_to([("Дональд Трамп", "Donald Trump"), ("Владимиром Путиным", "Vladimir Putin"),
                              ("Песков", "Dmitry Peskov"), ("Путина", "Vladimir Putin"), ("Трампа", "Donald Trump"),
                              ("Зеленський", "Volodymyr Zelensky"), ("Трамп", "Donald Trump"),
                              ("Зеленським", "Volodymyr Zelensky")]))


def test_russian_and_ukrainian_people_are_found_by_their_given_names_in_any_case():
    russian = ("В церемонии примут участие вице-премьер Марат Хуснуллин и губернатор Андрей Воробьев. "
               "Президент России поблагодарил Марата Хуснуллина.")
    assert people("ru", russian) == ["Марат Хуснуллин", "Андрей Воробьев", "Марата Хуснуллина"]
    ukrainian = "Детективи зафіксували хабар депутата Олександром Юрченком, а Слава Богу тут ні до чого."
    assert people("uk", ukrainian) == ["Олександром Юрченком"]


def test_french_and_german_statuses_come_from_their_own_phrases():
    from transforms.events.keywords import KeywordStatuses

    tables = KeywordStatuses.load()
    german, french = tables["de"], tables["fr"]
    assert german.sentence_reports("Das Treffen fand am Dienstag in Berlin statt.") == [("meeting", "held", False)]
    assert german.sentence_reports("Impf-Gipfel auf Freitag verschoben") == [("summit", "postponed", False)]
    assert german.sentence_reports("Ein Treffen ist nicht geplant.") == []  # negated
    assert german.sentence_reports("Auf dem Gipfel steht ein Rundtempel.") == []  # a mountain top: no status word
    assert french.sentence_reports("Le sommet de Budapest n'aura pas lieu.") == [("summit", "cancelled", False)]
    assert french.sentence_reports("Le sommet entre Donald Trump et Vladimir Poutine à Budapest a été reporté, "
                                   "a indiqué Dmitri Peskov mardi.") == [("summit", "postponed", False)]
    assert french.sentence_reports("La rencontre pourrait avoir lieu à Budapest, prévue lundi.") == [
        ("meeting", "planned", True)]


def test_a_headline_without_a_full_stop_reports_a_status_too():
    from transforms.events.keywords import KeywordStatuses

    headline = Article(article_id="fr2", source="fr2", title="Le sommet de Budapest reporté", published_date=None,
                       date_source="", language="fr", text="Les diplomates se sont réunis mardi.")
    rows = KeywordStatuses.load()["fr"].rows(headline, [])
    statuses = [(r.event, r.status, r.lead) for r in rows if isinstance(r, StatusMention)]
    assert statuses == [("summit", "postponed", True)]


def test_people_in_a_headline_line_of_another_language_are_kept():
    # Lines with no full stop (headlines, result lists) keep only known names in English, where the
    # model tags title-case fragments; a German line names people by given name and surname.
    text = ("Handball: Tobias Reichmann trifft sechsmal beim Sieg in Kiel\n"
            "Der Rechtsaußen war der beste Werfer des Abends. Trainer Filip Jícha lobte die Abwehr.")
    with in_process_pipeline() as p:
        found = p | beam.Create([article("de4", "de", text)]) | AnalyseArticles(DEFAULT_MODEL)
        assert_that(found[ENTITIES] | beam.Filter(lambda m: m.label == "PERSON") | beam.Map(lambda m: m.canonical),
                    equal_to(["Tobias Reichmann", "Filip Jícha"]))


def test_a_known_persons_surname_alone_is_a_person_in_a_language_without_a_model():
    from transforms.nlp.multilingual import OtherLanguages

    others = OtherLanguages()
    # Dutch: no model is routed for it (models.toml), so the known names and the finder speak.
    text = "Covid-19: Trump loopt geen risico meer, zegt zijn arts. Een trump is hier geen naam."
    spans = others.spans(article("nl1", "nl", text), {})
    assert [(span, label) for span, label, _ in spans] == [("Trump", "PERSON")]


def test_an_initial_and_a_surname_is_a_person_but_an_abbreviation_before_a_noun_is_not():
    lineup = "EFFECTIFS\nY. Wissa\n22J. Delaplace\nC.Turpin\nselon J.-P. Dupont, hier."
    assert people("fr", lineup) == ["Y. Wissa", "22J. Delaplace", "C.Turpin", "J.-P. Dupont"]
    assert people("de", "Es braucht Plan B. Kinder, z. B. Schüler, lernen Typ A. Die Noten sind gut.") == []
    assert people("pt", "Chegou a S. Paulo ontem.") == []


def test_a_french_line_up_gives_its_players_as_people_without_their_shirt_numbers():
    text = "Lyon\nEFFECTIFS\nM. Depay11\n22J. Delaplace\nJ. Andersen\nDepay marque de la tête."
    with in_process_pipeline() as p:
        found = p | beam.Create([article("fr3", "fr", text)]) | AnalyseArticles(DEFAULT_MODEL)
        assert_that(found[ENTITIES] | beam.Filter(lambda m: m.label == "PERSON") | beam.Map(lambda m: m.canonical),
                    equal_to(["M. Depay", "J. Delaplace", "J. Andersen", "M. Depay"]))


def test_places_and_phrases_in_title_case_are_no_people_and_a_breton_apostrophe_stays_in_a_name():
    text = "A etapa em Santa Cruz do Sul. Belo Horizonte recebe Miguel Queiroz e o Duo Rodapião."
    assert people("pt", text) == ["Miguel Queiroz"]
    assert people("fr", "Kristen Falc'hon est allé au Conseil.") == ["Kristen Falc'hon"]


def test_a_models_span_leaves_an_elision_to_the_next_word():
    import spacy

    from transforms.nlp.multilingual import _cut

    doc = spacy.blank("fr")("Les entreprises Lime et Bird n’ont pas été en mesure.")
    assert _cut(doc[4:6]).text == "Bird"


def test_bylines_in_capitals_titles_with_a_full_stop_and_a_title_after_a_comma_name_people():
    spanish = ("En reunión, Amilkar Odelín Pérez, director comercial de Caribe, explicó.\n"
               "Por FIDEL RENDÓN MATIENZO\nLa venta")
    assert people("es", spanish) == ["Amilkar Odelín Pérez", "FIDEL RENDÓN MATIENZO"]
    assert people("pt", "Prof. Carlos: Estou aqui. Terminou.") == ["Carlos"]
    assert people("de", "Das sagte Dr. Sauer.\nVon DPA UND AFP") == ["Sauer"]


def test_italian_names_end_before_a_hometown_or_a_place_and_marco_is_no_month_in_italian():
    text = ("Arbitra Riccardo Pinzani di Empoli. Il servizio di Palmiro Faetanini San Marino Città. "
            "Con il maggiore Marco Antonucci, ottobre 2012Casey Stoner centra la pole.")
    assert people("it", text) == ["Riccardo Pinzani", "Palmiro Faetanini", "Marco Antonucci", "2012Casey Stoner"]
    assert people("pt", "Em Marco de 2020 chegou.") == []


def test_words_glued_by_the_markup_are_cut_apart_but_a_glued_name_stays_one_with_its_space():
    """Scraped text loses spaces: "...SilvaMaria e Pedro" runs into the next sentence, "CarlaMendes"
    lost the space inside a name; "McDonald" is no glue at all."""
    from transforms.nlp.multilingual import OtherLanguages

    assert people("pt", "Estiveram presentes João SilvaMaria e Pedro chegaram depois.") == ["João Silva"]
    assert people("pt", "Disse Ronald McDonald ontem.") == ["Ronald McDonald"]
    spans = OtherLanguages().spans(article("pt8", "pt", "Segundo CarlaMendes, o acordo foi assinado."), {})
    assert [(span, label) for span, label, _ in spans] == [("Carla Mendes", "PERSON")]


def test_a_surname_alone_takes_the_full_name_the_run_gives_in_a_language_without_a_model(tmp_path, monkeypatch):
    from transforms.nlp.entities import EntityTagger
    from transforms.nlp.multilingual import OtherLanguages

    monkeypatch.setenv("NEWSBEAM_CORENLP", str(tmp_path))  # as where CoreNLP's Italian NER is not built

    run = {"maroni": "Roberto Maroni"}  # FindCorpusNames: another article named him in full
    text = "Expo: Lonfernini e Maroni siglano un accordo. Nella Maroni Costruzioni nessuno."
    found = article("it1", "it", text)
    rows = EntityTagger().rows(found, OtherLanguages().spans(found, run), run)
    assert [(row.mention, row.canonical, row.label) for row in rows] == [("Maroni", "Roberto Maroni", "PERSON")]


def test_only_the_runs_full_names_that_start_with_a_given_name_are_people_in_a_language_without_a_model():
    from transforms.nlp.multilingual import OtherLanguages

    run = {"unidos": "Estados Unidos", "central": "Comité Central", "maroni": "Roberto Maroni"}
    text = "Os Estados Unidos e o Comité Central receberam Roberto Maroni."
    spans = OtherLanguages().spans(article("pt9", "pt", text), run)
    assert [(span, label) for span, label, _ in spans] == [("Roberto Maroni", "PERSON")]


def test_a_german_name_is_given_names_and_one_surname_not_the_nouns_after_it():
    text = ("Im Januar 1500 entdeckte Vincent Pinson Französisch Guyana. Herr Professor Borasio, Sie sagen. "
            "Frank-Walter Steinmeier und Hans Peter Müller Bürgermeister kamen.")
    assert people("de", text) == ["Vincent Pinson", "Borasio", "Frank-Walter Steinmeier", "Hans Peter Müller"]


def test_without_gender_guesser_a_title_still_names_someone_and_nothing_fails(monkeypatch):
    """gender-guesser is GPL-3.0: a redistributor may leave it out (docs/licences.md). Then given names
    are unknown, but a title before a surname still makes a person, and no article is rejected."""
    import sys

    from transforms.nlp import people as finder

    monkeypatch.setitem(sys.modules, "gender_guesser.detector", None)
    finder._given_names.cache_clear()
    try:
        spanish = "El presidente Boric recibió a Alberto Fernández en Santa Cruz."
        assert people("es", spanish) == ["Boric"]
    finally:
        finder._given_names.cache_clear()


def test_a_headline_langdetect_half_knows_gets_no_heavy_model_for_that_language():
    """An English headline called Italian (2 of langdetect's 3 walks) must not start CoreNLP's JVM
    (~1.4 GB for Italian): its people come from the name finder, as for a language with no model."""
    from transforms.nlp.multilingual import OtherLanguages
    from transforms.text.language import DetectLanguageFn

    detector = DetectLanguageFn()
    detector.setup()
    language, score = detector.detect_scored("Helping a cell to migrate in 3D space")
    assert language == "it" and score < 0.9
    others = OtherLanguages()
    headline = Article(article_id="h", source="h", title=None, published_date=None, date_source="",
                       language=language, language_score=score, text="Helping a cell to migrate in 3D space")
    others.spans(headline, {})
    assert "it" not in others.models
    sure = Article(article_id="s", source="s", title=None, published_date=None, date_source="",
                   language="it", language_score=1.0, text="Ieri Marco Esposito ha incontrato Mancuso a Bari.")
    assert others.sure_enough(sure) and not others.sure_enough(headline)


def test_two_people_the_model_reads_as_one_are_two():
    text = ("Um dieser Frage auf den Grund zu gehen, hat GROOVE-Autorin Charlotte Elsen Tobias Trommer vom "
            "Aktionsbündnis A100 stoppen! getroffen. Der Sänger Hans Peter Maria Müller lachte.")
    with in_process_pipeline() as p:
        found = p | beam.Create([article("de3", "de", text)]) | AnalyseArticles(DEFAULT_MODEL)
        assert_that(found[ENTITIES] | beam.Filter(lambda m: m.label == "PERSON") | beam.Map(lambda m: m.canonical),
                    equal_to(["Charlotte Elsen", "Tobias Trommer", "Hans Peter Maria Müller"]))


def test_a_one_word_name_the_article_gives_a_thing_is_no_person_where_it_stands_alone():
    from transforms.nlp.multilingual import OtherLanguages

    text = ("À Lannion, la tempête Ciaran a effacé toute trace des records. Pour les autres villes de France, "
            "Ciaran n’est pas encore entré dans les annales. Le lycée Jean Zay ferme; Jean Zay était ministre.")
    people = [name for name, label, _ in OtherLanguages().spans(article("fr4", "fr", text), {}) if label == "PERSON"]
    assert people == ["Jean Zay"]  # a school's full name after someone leaves the person be


def test_a_models_person_with_a_lowercase_word_that_is_no_particle_needs_other_evidence():
    from transforms.nlp.multilingual import OtherLanguages

    text = ("Maybe worth considering chloroquine, écrit-il. Il a vu Jean de la Fontaine, Léo Dubois et "
            "l'écrivain Hwang Sok-yong.")
    people = [name for name, label, _ in OtherLanguages().spans(article("fr5", "fr", text), {}) if label == "PERSON"]
    assert people == ["Jean de la Fontaine", "Léo Dubois", "Hwang Sok-yong"]


def test_the_words_of_the_news_do_not_stay_in_another_languages_model():
    """A stream reads new names and words for days: a model's vocabulary would keep every one of them."""
    from transforms.nlp.multilingual import OtherLanguages

    others = OtherLanguages()
    first = others.spans(article("de0", "de", GERMAN), {})  # loads the model: its own strings stay
    strings = others.model("de")[0].vocab.strings
    before = len(strings)
    novel = " ".join(f"Bürgermeisterin Ilse Brandtmeier{n} besuchte Kaltenbrunn{n} am Montag." for n in range(30))
    found = others.spans(article("de1", "de", novel), {})
    assert ("Ilse Brandtmeier0", "PERSON") in {(text, label) for text, label, _ in found}
    assert len(strings) == before  # the names were read, and their strings left with the article
    assert others.spans(article("de0", "de", GERMAN), {}) == first  # the model reads as it did before


def test_a_weekday_the_markup_glued_to_the_word_before_is_a_word_of_its_own():
    """A headline glued to its dateline ("Jonis Bascirdomenica 24 novembre", "San Marino RTVmartedì"): the weekday
    is cut off for every backend's words, a word that merely ends in letters of a weekday's abbreviation is not."""
    from transforms.nlp.backends.corenlp import words
    from transforms.nlp.tokens import tokenizer

    nlp = tokenizer()
    assert [t.text for t in nlp("l'attore Jonis Bascirdomenica 24 novembre")][1:4] == ["Jonis", "Bascir", "domenica"]
    assert [t.text for t in nlp("San Marino RTVmartedì 26")] == ["San", "Marino", "RTV", "martedì", "26"]
    assert [t.text for t in nlp("la domenica 24 e izsniedz")] == ["la", "domenica", "24", "e", "izsniedz"]
    assert [w for w, _, _ in words("per Federico Colbertaldosabato 27")[0]] == [
        "per", "Federico", "Colbertaldo", "sabato", "27"]
