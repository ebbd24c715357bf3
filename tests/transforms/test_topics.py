import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to

from tests.conftest import in_process_pipeline
from tests.transforms.test_dedup import seed_article
from transforms.nlp.analyse import TOPICS, AnalyseArticles
from transforms.nlp.model import DEFAULT_MODEL
from transforms.nlp.subjects import Lexicon, SubjectClassifier, TopicModel, subjects, taxonomy, words
from transforms.nlp.topics import TopicMatcher

POLITICS, SPORT, INTERNATIONAL_RELATIONS = "medtop:11000000", "medtop:15000000", "medtop:20000638"
# BBC-style sport report, written for this test
MATCH_REPORT = ("Arsenal beat Chelsea 2-1 at the Emirates on Saturday to go three points clear at the top of the "
                "Premier League. Thierry Henry scored twice before half-time and the visitors' late goal came too "
                "late. Manager Arsene Wenger said after the match that talks over a new contract for his captain "
                "would wait until the end of the season.")


def test_every_seed_is_about_politics_and_international_relations():
    with in_process_pipeline() as p:
        tags = (p | beam.Create([seed_article(n) for n in range(5)]) | AnalyseArticles(DEFAULT_MODEL))[TOPICS]
        assert_that(tags | beam.Filter(lambda t: t.level == 1) | beam.Map(lambda t: (t.article_id, t.code)),
                    equal_to([(f"seed{n}", POLITICS) for n in range(5)]), label="subjects")
        assert_that(tags | beam.Filter(lambda t: t.level == 2) | beam.Map(lambda t: (t.article_id, t.topic)),
                    equal_to([(f"seed{n}", "international relations") for n in range(5)]), label="second level")


def test_rows_name_the_topic_and_carry_its_code_and_level():
    rows = TopicMatcher().rows(seed_article(0), [TopicMatcher().nlp.make_doc(seed_article(0).text)])
    assert [(r.topic, r.code, r.level) for r in rows] == [("politics", POLITICS, 1),
                                                           ("international relations", INTERNATIONAL_RELATIONS, 2)]
    assert all(0 < r.score <= 1 for r in rows)


def test_a_match_report_is_sport_and_its_talks_make_no_international_relations():
    found = TopicMatcher().topics(MATCH_REPORT, "Henry double sends Arsenal clear")
    assert found[0][0] == SPORT
    assert INTERNATIONAL_RELATIONS not in dict(found)


def test_a_french_article_gets_a_subject_from_its_own_words():
    text = ("Le tribunal correctionnel de Lyon a condamné mardi un ancien maire à deux ans de prison pour fraude. "
            "Le procureur avait requis trois ans; son avocat annonce qu'il fera appel du jugement.")
    assert TopicMatcher(language="fr").topics(text)[0][0] == "medtop:02000000"


def test_every_language_with_a_profile_gets_topics():
    from transforms.languages import profiles

    assert TopicMatcher.languages() >= set(profiles())


def test_a_single_passing_mention_in_a_long_article_makes_no_second_level_topic():
    # Seed 003 mentions "sanctions on Russian energy" once in 700 words.
    found = dict(TopicMatcher().topics(seed_article(3).text))
    assert "medtop:20000209" not in found  # economic sector (energy)


def test_the_shipped_model_loads_and_knows_the_17_subjects():
    model = TopicModel.load()
    assert model.classes == subjects() and len(subjects()) == 17
    assert len(model.index) > 5000
    probabilities = model.probabilities("the striker scored a late goal for the champions".split())
    assert max(probabilities, key=probabilities.get) == SPORT
    assert SubjectClassifier(model).subjects(None, "The striker scored late for the champions", "en")[0][0] == SPORT


def test_every_second_level_topic_sits_under_one_of_the_17_subjects():
    level_two = [s for s in taxonomy().values() if s.level == 2]
    assert level_two and all(s.parent in subjects() for s in level_two)


def test_a_starred_word_matches_the_words_it_begins_and_a_leading_star_those_it_ends():
    lexicon = Lexicon({"a": ["fußball*", "*wahl", "peace talks"], "b": ["wahl"]})
    assert lexicon.counts("die landtagswahl und die wahl fußballspiel peace talks".split()) == {"a": 3, "b": 1}


def test_common_words_that_only_begin_or_end_a_subject_word_signal_no_subject():
    # "ich glaube" (I think), "Schallschutz" (soundproofing), "gehalten", "Prinzip"; "следовательно"
    # (therefore), "судьба" (fate), "в зависимости от" (depending on), "чрезвычайно" (extremely), "по данным"
    german = Lexicon.of("de").counts(words(None, "Ich glaube, das Prinzip hat sich gehalten: der Schallschutz "
                                                 "ist gesetzt, die Steuerung lohnt sich."))
    russian = Lexicon.of("ru").counts(words(None, "Следовательно, судьба проекта, по данным авторов, "
                                                  "в зависимости от сроков чрезвычайно важна."))
    assert german == {} and russian == {}



def test_a_one_sentence_item_in_russian_or_french_gets_its_subject_from_everyday_and_inflected_words():
    # a feed's one-line item has a word or two to go on: a killing told by its verb, a battle, a pet's food, physics
    classifier = SubjectClassifier()
    items = {("ru", "Вчера вечером в подъезде неизвестный застрелил бизнесмена."): "medtop:02000000",
             ("ru", "Бойцы отбили атаку, сражение шло всю ночь."): "medtop:16000000",
             ("fr", "Le vétérinaire conseille des croquettes adaptées à votre chiot."): "medtop:10000000",
             ("fr", "Les électrons d'un supraconducteur s'apparient à basse température."): "medtop:13000000"}
    assert {item: classifier.subjects(None, item[1], item[0])[0][0] for item in items} == items


def test_radio_and_boxing_words_do_not_take_in_the_words_they_only_begin():
    # "радио*" read radioactivity and radar as broadcasting, "boxe*" the Boxers of 1900 as boxing
    russian = Lexicon.of("ru").counts(words(None, "Радиоактивное облако заметила радиолокационная станция."))
    french = Lexicon.of("fr").counts(words(None, "La radioactivité et la révolte des Boxers."))
    assert "medtop:01000000" not in russian and not {"medtop:01000000", "medtop:15000000"} & set(french)


def test_the_words_of_war_reports_and_pay_disputes_count_for_war_and_labour():
    # wire reports of a war read as politics (its minister, its coalition) and a pay dispute as economy (the airline)
    english = Lexicon.of("en")
    war = english.counts(words(None, "The defence minister says coalition forces and militia fighters were hit "
                                     "by air raids overnight."))
    dispute = english.counts(words(None, "Union officials at the airline warned of industrial action after "
                                         "maintenance staff rejected the company's pay offer."))
    assert war.most_common(1)[0][0] == "medtop:16000000" and dispute.most_common(1)[0][0] == "medtop:09000000"


def test_a_german_article_is_read_by_the_german_model_beside_the_german_words():
    classifier = SubjectClassifier()
    text = ("Der FC Bayern hat am Samstag mit 3:1 gegen Borussia Dortmund gewonnen. Der Trainer lobte nach dem "
            "Spiel seine Mannschaft, die in der Tabelle nun vier Punkte Vorsprung hat.")
    assert classifier.subjects("Bayern schlägt Dortmund", text, "de")[0][0] == SPORT
    assert classifier.model_of("de") is not None  # topics_model.de.npz, trained on labelled German pages
    assert classifier.model_of("it") is None  # no model: Italian articles are read by their words alone


def test_the_words_of_devices_and_home_affairs_policy_count_for_technology_and_politics():
    # BBC's tech pages read as leisure (a console launch) and its politics pages as crime (a bill's legal row,
    # an accusation)
    english = Lexicon.of("en")
    console = english.counts(words(None, "Sony's PlayStation console and its handheld PSP will face Nintendo's "
                                         "handset-sized gadget, sold with e-mail and net access."))
    bill = english.counts(words(None, "The Home Office said MSPs and the Lords would see the bill; opponents "
                                      "accused it of an alleged U-turn and ruled out a legal challenge."))
    assert console.most_common(1)[0][0] == "medtop:13000000" and "medtop:10000000" not in console
    assert bill.most_common(1)[0][0] == POLITICS and "medtop:02000000" not in bill


def test_a_subject_word_in_its_other_sense_counts_for_no_subject():
    # "finalement" is not a final, an "amendement" not a fine, "à ce stade" not a stadium, "mise en œuvre" not a
    # work of art; the prime minister's "премьера" is not a premiere, a "ракетный удар" is war, not space, and the
    # "мировое сообщество" is diplomacy's, not society's
    french = Lexicon.of("fr").counts(words(None, "Finalement, l'amendement du député a été adopté : à ce stade, la "
                                                 "mise en œuvre de la loi relève du gouvernement."))
    russian = Lexicon.of("ru").counts(words(None, "Визит премьера в Кремль: ракетный удар по городу осудило мировое "
                                                  "сообщество."))
    assert set(french) == {POLITICS}
    assert set(russian) == {POLITICS, "medtop:16000000"}


def test_a_word_after_an_elided_article_counts_as_the_word():
    # French and Italian glue l', d', dell' ... to the next word: "l'économie" is "économie"
    french = Lexicon.of("fr").counts(words(None, "L'économie et l’industrie d'Europe"))
    italian = Lexicon.of("it").counts(words(None, "Dell'economia e dell'industria"))
    assert french["medtop:04000000"] == 2 and italian["medtop:04000000"] == 2
