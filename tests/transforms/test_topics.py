import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to

from tests.conftest import in_process_pipeline
from tests.transforms.test_dedup import seed_article
from transforms.nlp.analyse import TOPICS, AnalyseArticles
from transforms.nlp.model import DEFAULT_MODEL
from transforms.nlp.topics import TopicMatcher


def test_every_seed_is_about_diplomacy_and_summits():
    with in_process_pipeline() as p:
        tags = (p | beam.Create([seed_article(n) for n in range(5)]) | AnalyseArticles(DEFAULT_MODEL))[TOPICS]
        assert_that(tags | beam.Filter(lambda t: t.topic == "diplomacy-summits") | beam.Map(lambda t: t.article_id),
                    equal_to([f"seed{n}" for n in range(5)]))


def test_single_passing_mention_in_a_long_article_does_not_make_a_topic():
    # Seed 003 mentions "sanctions on Russian energy" once in 700 words.
    article = seed_article(3)
    topics = dict(TopicMatcher().topics(article.text))
    assert "energy" not in topics and "sanctions" not in topics
    assert topics["diplomacy-summits"] > 0.5


def test_every_seed_has_at_least_two_topics():
    matcher = TopicMatcher()
    assert all(len(matcher.topics(seed_article(n).text)) >= 2 for n in range(5))
