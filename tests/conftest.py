"""Shared fixtures: the seed articles, bad files beside them, and one real pipeline run over both."""

from __future__ import annotations

import datetime
import pathlib
import shutil

import pytest
from apache_beam.testing.test_pipeline import TestPipeline

SEEDS = pathlib.Path(__file__).resolve().parents[1] / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
# Fixed so that date tests do not change meaning as the calendar moves.
REFERENCE_DATE = datetime.date(2026, 11, 21)


def seed_text(number: int) -> str:
    return SEED_FILES[number].read_text(encoding="utf-8")


def in_process_pipeline() -> TestPipeline:
    """Beam's in-process runner: the DirectRunner would first try to download Prism."""
    return TestPipeline(runner="FnApiRunner")


@pytest.fixture(scope="session")
def input_with_bad_files(tmp_path_factory) -> pathlib.Path:
    folder = tmp_path_factory.mktemp("input")
    for seed in SEED_FILES:
        shutil.copy(seed, folder / seed.name)
    (folder / "photo.txt").write_bytes(bytes(range(256)) * 40)  # binary: a JPEG saved as .txt
    (folder / "empty.txt").write_bytes(b"")
    return folder


@pytest.fixture(scope="session")
def seed_run(input_with_bad_files, tmp_path_factory) -> pathlib.Path:
    """One real run of `newsbeam run` over the seeds and two bad files; returns the output folder."""
    from pipelines.cli import main

    output = tmp_path_factory.mktemp("out")
    assert main(["run", "--input", str(input_with_bad_files), "--output", str(output),
                 "--reference-date", REFERENCE_DATE.isoformat()]) == 0
    return output
