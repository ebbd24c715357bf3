import dataclasses
import datetime

import apache_beam as beam
import numpy as np
from apache_beam.testing.util import assert_that, equal_to

from schemas.records import Article
from tests.conftest import in_process_pipeline
from transforms.nlp.entities import Lexicon
from transforms.stories.groups import FindStories, LinkStoriesFn, StoryParams
from transforms.stories.names import NameArticlesFn, names_in

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
    monday, tuesday, friday = (datetime.date(2025, 10, day).toordinal() for day in (20, 21, 24))
    undated = datetime.date.max.toordinal()
    same = link.same_story(np.array([monday, monday, monday, monday, undated]),
                           np.array([tuesday, friday, undated, undated, undated]),
                           np.array([0.65, 0.99, 0.65, 0.75, 0.75]))
    assert same.tolist() == [True, False, False, True, True]  # an undated article needs the higher bar


def test_story_links_and_roots_do_not_depend_on_input_order():
    articles = [article("a", WORLDCOM, datetime.date(2025, 3, 2)), article("c", FOOTBALL), article("d", WORLDCOM),
                article("b", WORLDCOM_UPDATE, datetime.date(2025, 3, 1))]
    for ordered in (articles, articles[::-1]):
        with in_process_pipeline() as p:
            named = p | beam.Create(ordered) | beam.ParDo(NameArticlesFn())
            duplicates = p | "Duplicates" >> beam.Create([((datetime.date.max, "d"), (datetime.date(2025, 3, 2), "a"))])
            # The earliest article is the story's root; the copy joins its canonical's story.
            assert_that(named | FindStories(duplicates), equal_to([("a", "b"), ("d", "b")]))


WORLDCOM_ES = ("El exjefe de WorldCom Bernie Ebbers dijo a un tribunal de Nueva York que Scott Sullivan le engañó "
               "sobre las cuentas. Ebbers dijo que Sullivan y Arthur Andersen aprobaron las cifras de WorldCom. La "
               "fiscalía afirma que Ebbers conocía el fraude de 11.000 millones de dólares en WorldCom; Sullivan "
               "declaró contra Ebbers.")
WORLDCOM_DE = ("Der frühere WorldCom-Chef Bernie Ebbers sagte vor einem Gericht in New York, Scott Sullivan habe "
               "ihn über die Bilanzen getäuscht. Ebbers sagte, Sullivan und Arthur Andersen hätten die Zahlen von "
               "WorldCom abgesegnet. Die Staatsanwaltschaft sagt, Ebbers habe von dem Betrug über 11 Milliarden "
               "Dollar bei WorldCom gewusst; Sullivan sagte gegen Ebbers aus.")


def test_a_translated_report_shares_the_story_of_its_original():
    spanish = dataclasses.replace(article("es", WORLDCOM_ES), language="es")
    with in_process_pipeline() as p:
        found = p | beam.Create([article("a", WORLDCOM), spanish, article("c", FOOTBALL)])
        named = found | beam.ParDo(NameArticlesFn())
        assert_that(named | FindStories(p | "NoDuplicates" >> beam.Create([])), equal_to([("es", "a")]))


def test_a_german_profile_holds_people_and_known_names_not_nouns():
    namer = NameArticlesFn()
    namer.setup()
    german = dataclasses.replace(article("de", WORLDCOM_DE), language="de")
    (profile,) = namer.process(german)
    assert set(profile.names) == {"Bernie Ebbers", "Scott Sullivan", "Arthur Andersen"}  # no "Milliarden Dollar"
