import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to

from tests.conftest import in_process_pipeline
from tests.transforms.test_dedup import seed_article
from transforms.topics import TagTopics, TopicMatcher


def test_every_seed_is_about_diplomacy_and_summits():
    with in_process_pipeline() as p:
        tags = p | beam.Create([seed_article(n) for n in range(5)]) | TagTopics()
        assert_that(tags | beam.Filter(lambda t: t.topic == "diplomacy-summits") | beam.Map(lambda t: t.article_id),
                    equal_to([f"seed{n}" for n in range(5)]))


def test_single_passing_word_does_not_make_a_topic():
    topics = dict(TopicMatcher().topics("Oil prices rose. The summit in Budapest was cancelled after talks failed."))
    assert "diplomacy-summits" in topics and "energy" not in topics
