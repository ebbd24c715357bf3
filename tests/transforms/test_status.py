import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to

from schemas.records import Article
from tests.conftest import in_process_pipeline
from tests.transforms.test_dedup import seed_article
from transforms.nlp.analyse import STATUSES, AnalyseArticles
from transforms.nlp.model import DEFAULT_MODEL


def sentence_article(article_id: str, text: str) -> Article:
    return Article(article_id=article_id, source=article_id, title=None, published_date=None,
                   date_source="", language="en", text=text)


def test_each_seed_reports_the_status_the_article_gives_the_summit():
    with in_process_pipeline() as p:
        found = p | beam.Create([seed_article(n) for n in range(5)]) | AnalyseArticles(DEFAULT_MODEL)
        summit = found[STATUSES] | beam.Filter(lambda m: not m.hedged) | beam.Map(lambda m: (m.article_id, m.status))
        key_statuses = summit | beam.Filter(lambda pair: pair in {
            ("seed0", "postponed"), ("seed1", "postponed"), ("seed2", "cancelled"), ("seed3", "cancelled"),
            ("seed4", "fast-tracked")}) | beam.Distinct()
        assert_that(key_statuses, equal_to([("seed0", "postponed"), ("seed1", "postponed"), ("seed2", "cancelled"),
                                            ("seed3", "cancelled"), ("seed4", "fast-tracked")]))


def test_negated_plan_is_not_planned_and_place_comes_from_the_event():
    articles = [
        sentence_article("negated", "A senior White House official said there are no plans for President Trump "
                                    "to meet President Putin in the immediate future."),
        sentence_article("alaska", "At the Alaska summit, Trump appeared to abandon a demand for a ceasefire."),
        sentence_article("budapest", "The decision to cancel the Budapest summit marks a dramatic shift."),
    ]
    with in_process_pipeline() as p:
        found = p | beam.Create(articles) | AnalyseArticles(DEFAULT_MODEL)
        assert_that(found[STATUSES] | beam.Map(lambda m: (m.article_id, m.event, m.status, m.place, m.hedged)),
                    equal_to([("alaska", "summit", "held", "Alaska", False),
                              ("budapest", "summit", "cancelled", "Budapest", False)]))


def test_hedged_report_is_flagged_with_lower_confidence():
    article = sentence_article("hedged", "The next meeting between the Russian and American presidents may take "
                                         "place in one of the Persian Gulf countries, according to CNN.")
    with in_process_pipeline() as p:
        found = p | beam.Create([article]) | AnalyseArticles(DEFAULT_MODEL)
        assert_that(found[STATUSES] | beam.Map(lambda m: (m.event, m.status, m.place, m.hedged, m.confidence)),
                    equal_to([("summit", "planned", "Gulf", True, 0.5)]))  # a meeting of presidents


def test_a_meeting_is_a_summit_by_its_participants_titles_not_their_names():
    # The titles may be in another sentence of the article; the same words with no title are a meeting.
    titled = sentence_article("titled", "President Donald Trump spoke to President Vladimir Putin on Thursday.\n"
                                        "Trump had announced plans to meet Putin in Hungary to push for peace.")
    untitled = sentence_article("untitled", "Trump had announced plans to meet Putin in Hungary to push for peace.")
    with in_process_pipeline() as p:
        found = p | beam.Create([titled, untitled]) | AnalyseArticles(DEFAULT_MODEL)
        assert_that(found[STATUSES] | beam.Map(lambda m: (m.article_id, m.event, m.status, m.place)),
                    equal_to([("titled", "summit", "planned", "Hungary"),
                              ("untitled", "meeting", "planned", "Hungary")]))


def test_status_comes_from_tense_when_no_status_word_says_it():
    articles = [
        sentence_article("met", "Mr Blunkett met his EU counterparts in Luxembourg on Monday."),
        sentence_article("will", "Foreign Secretary Jack Straw will hold talks in Beijing on Thursday."),
        sentence_article("due", "A meeting of party members is due to be held next week to discuss a replacement."),
        sentence_article("target", "The chancellor said he would meet his fiscal rules with a margin to spare."),
        sentence_article("wish", "Mr Prentis called for talks between unions and the government."),
    ]
    with in_process_pipeline() as p:
        found = p | beam.Create(articles) | AnalyseArticles(DEFAULT_MODEL)
        assert_that(found[STATUSES] | beam.Map(lambda m: (m.article_id, m.event, m.status)),
                    equal_to([("met", "meeting", "held"), ("will", "talks", "planned"),
                              ("due", "meeting", "planned")]))


def test_a_new_status_is_a_lexicon_entry():
    # What varies is data: a status added to the lexicon is found and ranked with no Python list to update.
    import dataclasses

    from transforms.events.grammar import StatusFinder
    from transforms.events.lexicon import Lexicon
    from transforms.nlp.model import shared_pipeline

    nlp = shared_pipeline(DEFAULT_MODEL)
    lexicon = Lexicon.load()
    lexicon = dataclasses.replace(lexicon, statuses={"resumed": ["resumed", "resume"], **lexicon.statuses})
    finder = StatusFinder(nlp, lexicon)
    doc = nlp("Talks between the two unions resumed on Monday.", disable=["ner"])
    found = [(event, status) for event, status, *_ in finder.find(next(doc.sents), finder.triggers(doc))]
    assert found == [("talks", "resumed")]
