"""The batch pipeline with a syndicated copy among the seeds: flagged, and NLP paid once per story."""

import shutil

import apache_beam as beam
import pytest
from apache_beam.metrics.metric import MetricsFilter

from pipelines.options import Settings
from pipelines.pipeline import build
from schemas import catalog
from tests.conftest import REFERENCE_DATE, SEED_FILES
from transforms.nlp.model import DEFAULT_MODEL
from transforms.sources.read import article_id_for


@pytest.fixture(scope="module")
def run_with_copy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("input")
    for seed in SEED_FILES:
        shutil.copy(seed, folder / seed.name)
    body = SEED_FILES[1].read_text(encoding="utf-8").split("\n\n\nFederal Judge")[0]
    # Another site's page: its own chrome and headline around seed 001's body.
    (folder / "copy_of_001.txt").write_text(
        "Latest\n\nWorld\n\nTrump-Putin summit shelved as Moscow digs in\n\n3 min read\n\n" + body
        + "\n\nShare this article\n\nMost popular\n\nOil prices climb as OPEC meets\n")
    output = tmp_path_factory.mktemp("out")
    pipeline = beam.Pipeline(runner="FnApiRunner")
    build(pipeline, Settings(patterns=[str(folder / "*.txt")], output=str(output), model=DEFAULT_MODEL,
                             reference_date=REFERENCE_DATE))
    result = pipeline.run()
    result.wait_until_finish()
    return output, result


def counter(result, namespace, name):
    found = result.metrics().query(MetricsFilter().with_namespace(namespace).with_name(name))["counters"]
    return sum(c.committed for c in found)


def test_copy_with_other_chrome_and_headline_is_a_duplicate_of_the_seed(run_with_copy):
    output, _ = run_with_copy
    rows = catalog.connect(str(output)).sql(
        "SELECT regexp_extract(source, '[^/]+$'), is_duplicate, duplicate_of FROM articles ORDER BY 1").fetchall()
    seed_001 = article_id_for(SEED_FILES[1].name, SEED_FILES[1].read_bytes())
    assert rows[0] == ("000_0f348493574ec43a.txt", False, None)
    assert ("copy_of_001.txt", True, seed_001) in rows
    assert sum(is_duplicate for _, is_duplicate, _ in rows) == 1


def test_spacy_runs_once_per_story_and_copies_still_count(run_with_copy):
    output, result = run_with_copy
    assert counter(result, "nlp", "model_calls") == 5  # six articles, five stories
    assert counter(result, "nlp", "rows_shared_with_copies") > 0
    for table in ("entities", "topics", "status_mentions"):
        per_article = dict(catalog.connect(str(output)).sql(f"""
            SELECT regexp_extract(a.source, '[^/]+$'), count(*) FROM {table} t JOIN articles a USING (article_id)
            GROUP BY 1""").fetchall())
        assert per_article["copy_of_001.txt"] == per_article["001_a0daf69acf954ef0.txt"] > 0, table


def test_a_large_input_uses_every_core_by_default_and_gives_the_one_core_rows(tmp_path, monkeypatch):
    """The default switched on for five files (it starts above PARALLEL_FROM files): worker processes,
    recorded in run.json, and the same rows as one process."""
    import json

    from pipelines import runners
    from pipelines.cli import main

    folder = tmp_path / "input"
    folder.mkdir()
    for seed in SEED_FILES:
        shutil.copy(seed, folder / seed.name)
    monkeypatch.setattr(runners, "PARALLEL_FROM", 2)
    monkeypatch.setattr(runners.os, "cpu_count", lambda: 2)  # the rows must not depend on the machine
    common = ["run", "--input", str(folder), "--reference-date", str(REFERENCE_DATE)]
    assert main([*common, "--output", str(tmp_path / "cores")]) == 0
    assert main([*common, "--output", str(tmp_path / "one"), "--workers", "1"]) == 0
    recorded = json.loads((tmp_path / "cores" / "run.json").read_text())["beam_options"]
    assert "--direct_running_mode=multi_processing" in recorded
    assert "--direct_running_mode=multi_processing" not in json.loads(
        (tmp_path / "one" / "run.json").read_text())["beam_options"]
    for table in ("articles", "entities", "topics", "status_mentions"):
        rows = [sorted(catalog.connect(str(tmp_path / out)).sql(f"SELECT * FROM {table}").fetchall(), key=repr)
                for out in ("cores", "one")]
        assert rows[0] == rows[1] and rows[0], table
