import datetime

import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to

from schemas.records import Article
from tests.conftest import in_process_pipeline
from transforms.entities import Lexicon, NameArticlesFn, names_in
from transforms.stories import FindStories, LinkStoriesFn, StoryParams

WORLDCOM = ("Former WorldCom chief Bernie Ebbers told a New York court that Scott Sullivan misled him about "
            "the accounts. Ebbers said Sullivan and Arthur Andersen signed off the WorldCom figures. "
            "Prosecutors say Ebbers knew of the $11bn fraud at WorldCom; Sullivan testified against Ebbers.")
WORLDCOM_UPDATE = ("Bernie Ebbers denied on Tuesday that he knew of the fraud at WorldCom, telling the New York "
                   "jury that Scott Sullivan ran the accounts. Ebbers, WorldCom's founder, blamed Sullivan; "
                   "Arthur Andersen auditors had approved the WorldCom books, Ebbers said.")
FOOTBALL = ("Chelsea beat Arsenal at Stamford Bridge as Frank Lampard scored twice. Jose Mourinho said "
            "Chelsea deserved the win; Arsene Wenger said Arsenal had missed their chances against Chelsea.")


def article(article_id, text, day=None):
    return Article(article_id=article_id, source=article_id, title=None, published_date=day, date_source="",
                   language="en", text=text)


def test_names_are_capitalised_phrases_in_canonical_form_without_sentence_starts():
    names = names_in("Zelenskyy met Donald Trump. Later Trump and Zelensky spoke. They agreed.", Lexicon.load())
    assert names.count("Volodymyr Zelensky") == 2 and names.count("Donald Trump") == 2
    assert "Later" not in names and "They" not in names


def test_update_of_a_report_joins_its_story_and_another_event_does_not():
    articles = [article("a", WORLDCOM), article("b", WORLDCOM_UPDATE), article("c", FOOTBALL)]
    with in_process_pipeline() as p:
        found = p | beam.Create(articles)
        duplicates = p | "NoDuplicates" >> beam.Create([])
        named = found | beam.ParDo(NameArticlesFn())
        assert_that(named | FindStories(duplicates), equal_to([("b", "a")]))


def test_dated_articles_more_than_two_days_apart_are_different_stories():
    link = LinkStoriesFn(StoryParams())
    monday, friday = datetime.date(2025, 10, 20), datetime.date(2025, 10, 24)
    assert link.same_story(monday, monday + datetime.timedelta(days=1), 0.65)
    assert not link.same_story(monday, friday, 0.99)
