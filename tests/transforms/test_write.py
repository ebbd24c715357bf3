import datetime

import apache_beam as beam
import duckdb
from apache_beam.testing.util import assert_that, equal_to

from schemas.records import DeadLetter, EntityMention
from tests.conftest import in_process_pipeline
from transforms.nlp.labels import VoteLabels
from transforms.sinks.parquet import WriteTables


def test_tables_are_hive_partitioned_and_empty_tables_still_readable(tmp_path):
    mentions = [
        EntityMention("a1", datetime.date(2025, 10, 21), "Vladimir Putin", "PERSON", "Putin"),
        EntityMention("a2", datetime.date(2025, 10, 31), "Vladimir Putin", "PERSON", "Putin"),
        EntityMention("a3", None, "Kremlin", "ORG", "the Kremlin"),
    ]
    with in_process_pipeline() as p:
        _ = {
            "entities": p | "Entities" >> beam.Create(mentions),
            "dead_letter": p | "None" >> beam.Create([]).with_output_types(DeadLetter),
        } | WriteTables(str(tmp_path), rows_per_file=2)
    folders = sorted(d.name for d in (tmp_path / "entities").iterdir())
    assert folders == ["published_date=2025-10-21", "published_date=2025-10-31",
                       "published_date=__HIVE_DEFAULT_PARTITION__"]
    rows = duckdb.sql(f"SELECT article_id, published_date FROM read_parquet('{tmp_path}/entities/**/*.parquet', "
                      "hive_partitioning = true) ORDER BY article_id").fetchall()
    assert rows == [("a1", datetime.date(2025, 10, 21)), ("a2", datetime.date(2025, 10, 31)), ("a3", None)]
    empty = duckdb.sql(f"SELECT count(*) FROM read_parquet('{tmp_path}/dead_letter/**/*.parquet')").fetchall()
    assert empty == [(0,)]
    assert not list(tmp_path.rglob("*.inprogress"))


def test_entity_labels_are_voted_over_the_whole_run(tmp_path):
    mentions = [
        EntityMention("a1", datetime.date(2005, 1, 3), "Chelsea", "ORG", "Chelsea"),
        EntityMention("a2", datetime.date(2005, 1, 4), "Chelsea", "ORG", "Chelsea"),
        EntityMention("a3", None, "Chelsea", "PERSON", "Chelsea"),
        # the alias table says Putin is a PERSON, whatever the majority
        EntityMention("a1", datetime.date(2005, 1, 3), "Vladimir Putin", "ORG", "Putin"),
        EntityMention("a2", datetime.date(2005, 1, 4), "Vladimir Putin", "ORG", "Putin"),
        EntityMention("a3", None, "Vladimir Putin", "PERSON", "Putin"),
    ]
    with in_process_pipeline() as p:
        voted = p | beam.Create(mentions) | VoteLabels()
        _ = {"entities": voted} | WriteTables(str(tmp_path))
    rows = duckdb.sql(f"SELECT canonical, label, count(*) FROM read_parquet('{tmp_path}/entities/**/*.parquet', "
                      "hive_partitioning = true) GROUP BY ALL ORDER BY 1").fetchall()
    assert rows == [("Chelsea", "ORG", 3), ("Vladimir Putin", "PERSON", 3)]


def test_label_vote_is_per_window_in_a_stream():
    """A stream votes within each window: a later window's majority does not relabel an earlier one."""
    day = datetime.date(2026, 11, 29)
    rows = [(EntityMention(article, day, "Chelsea", label, "Chelsea"), second) for article, label, second in (
        ("a1", "ORG", 10), ("a2", "ORG", 11), ("a3", "PERSON", 12), ("b1", "PERSON", 400), ("b2", "PERSON", 401))]
    with in_process_pipeline() as p:
        voted = (p | beam.Create(rows) | beam.MapTuple(beam.window.TimestampedValue)
                 | beam.WindowInto(beam.window.FixedWindows(300)) | VoteLabels()
                 | beam.Map(lambda row: (row.article_id, row.label)))
        assert_that(voted, equal_to([("a1", "ORG"), ("a2", "ORG"), ("a3", "ORG"), ("b1", "PERSON"), ("b2", "PERSON")]))


def test_a_writer_holding_more_text_than_its_budget_writes_it_out_before_its_bundle_ends(tmp_path, monkeypatch):
    """Article rows carry their text: a worker holding every row to the end of its bundle grew with the corpus."""
    from schemas.records import Article
    from transforms.sinks import parquet

    monkeypatch.setattr(parquet, "BUFFER_BYTES", 1 << 20)
    day = datetime.date(2025, 10, 21)
    articles = [Article(f"a{n:02d}", f"f{n}.txt", f"Title {n}", day, "text", "en", f"{n} " + "word " * 60_000)
                for n in range(12)]  # ~300 KB of text each, one partition, one bundle
    with in_process_pipeline() as p:
        _ = {"articles": p | beam.Create(articles)} | WriteTables(str(tmp_path))
    files = list((tmp_path / "articles").rglob("*.parquet"))
    assert len(files) >= 3  # rows_per_file (20,000) would have made one
    rows = duckdb.sql(f"SELECT article_id, length(text) FROM read_parquet('{tmp_path}/articles/**/*.parquet') "
                      "ORDER BY article_id").fetchall()
    assert rows == [(a.article_id, len(a.text)) for a in articles]
