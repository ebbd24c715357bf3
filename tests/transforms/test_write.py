import datetime

import apache_beam as beam
import duckdb

from schemas.records import DeadLetter, EntityMention
from tests.conftest import in_process_pipeline
from transforms.write import WriteTables


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
        _ = {"entities": p | beam.Create(mentions)} | WriteTables(str(tmp_path))
    rows = duckdb.sql(f"SELECT DISTINCT canonical, label FROM read_parquet('{tmp_path}/entities/**/*.parquet', "
                      "hive_partitioning = true) ORDER BY 1").fetchall()
    assert rows == [("Chelsea", "ORG"), ("Vladimir Putin", "PERSON")]
    assert not (tmp_path / ".staging").exists()
