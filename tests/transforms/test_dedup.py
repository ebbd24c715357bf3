import dataclasses
import datetime

import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to

from schemas.records import Article
from tests.conftest import in_process_pipeline, seed_text
from transforms.dedup.duplicates import FindDuplicates
from transforms.dedup.grouping import connected_groups
from transforms.findings import JoinFindings
from transforms.sources.read import split_metadata
from transforms.text import boilerplate


class Deduplicate(beam.PTransform):
    """Both dedup steps on one PCollection, as Enrich applies them to its survey."""

    def expand(self, articles):
        return (articles | JoinFindings((articles | FindDuplicates()).duplicates)).articles


def seed_article(number: int, **changes) -> Article:
    page = boilerplate.strip_page(split_metadata(seed_text(number))[0], boilerplate.Rules.load())
    base = Article(article_id=f"seed{number}", source=f"seed{number}.txt", title=page.title,
                   published_date=None, date_source="", language="en", text=page.body)
    return dataclasses.replace(base, **changes)


def marks(articles):
    return articles | beam.Map(lambda a: (a.article_id, a.is_duplicate, a.duplicate_of, a.story_id))


def test_five_seeds_stay_five_distinct_stories():
    with in_process_pipeline() as p:
        result = p | beam.Create([seed_article(n) for n in range(5)]) | Deduplicate()
        assert_that(marks(result), equal_to([(f"seed{n}", False, None, f"seed{n}") for n in range(5)]))


def test_syndicated_copy_with_other_chrome_and_headline_points_to_the_seed():
    original = seed_article(1, published_date=datetime.date(2025, 10, 22))
    paragraphs = original.text.split("\n\n")
    # Another site: new headline, a credit line, one paragraph dropped, quotes and case changed.
    copy_text = "\n\n".join(["(Reuters) -", *paragraphs[:3], paragraphs[4].upper()]).replace("“", '"')
    copy = dataclasses.replace(original, article_id="copy", source="copy.txt", text=copy_text,
                               title="Trump-Putin summit on hold", published_date=datetime.date(2025, 10, 23))
    with in_process_pipeline() as p:
        result = p | beam.Create([seed_article(n) for n in (0, 2, 3, 4)] + [original, copy]) | Deduplicate()
        assert_that(marks(result | beam.Filter(lambda a: a.article_id in ("seed1", "copy"))),
                    equal_to([("seed1", False, None, "seed1"), ("copy", True, "seed1", "seed1")]))


def test_exact_copies_point_to_the_earliest_then_smallest_id():
    late = seed_article(3, article_id="a", published_date=datetime.date(2025, 11, 2))
    early = seed_article(3, article_id="z", published_date=datetime.date(2025, 10, 31))
    undated = seed_article(3, article_id="b")
    with in_process_pipeline() as p:
        result = p | beam.Create([late, early, undated]) | Deduplicate()
        assert_that(marks(result), equal_to([("z", False, None, "z"), ("a", True, "z", "z"), ("b", True, "z", "z")]))


def test_connected_groups_join_chains_under_the_smallest_rank():
    a, b, c = (datetime.date(2025, 1, 1), "a"), (datetime.date(2025, 1, 2), "b"), (datetime.date(2025, 1, 3), "c")
    assert connected_groups([(b, c), (a, b)]) == {"b": "a", "c": "a"}


def test_a_short_article_with_a_paragraph_dropped_joins_its_original():
    """A short text is verified on all its shingles: a quarter sample of ~70 misjudged this copy."""
    paragraphs = [p for p in seed_article(0).text.split("\n\n") if p.strip()]
    original = seed_article(0, text="\n\n".join(paragraphs[:3]), published_date=datetime.date(2025, 10, 20))
    copy = seed_article(0, article_id="copy", text="\n\n".join([paragraphs[0], paragraphs[2]]),
                        published_date=datetime.date(2025, 10, 21))
    with in_process_pipeline() as p:
        result = p | beam.Create([original, copy]) | Deduplicate()
        assert_that(marks(result), equal_to([("seed0", False, None, "seed0"), ("copy", True, "seed0", "seed0")]))
