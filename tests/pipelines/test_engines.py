"""The seeds on real engines give the in-process run's rows, table by table.

Prism (Beam's DirectRunner since 2.5x) runs here when `make prism` built it from its Go module.
Without it the tests skip, unless NEWSBEAM_REQUIRE_ENGINES=1 (`make test-engines`, CI), where a
missing engine fails instead of passing silently.
"""

import os

import pytest

from pipelines.cli import main, prism_binary
from schemas import catalog
from schemas.tables import TABLES
from tests.conftest import REFERENCE_DATE

pytestmark = pytest.mark.engines


def engine_or_skip(found, name: str):
    if found:
        return found
    if os.environ.get("NEWSBEAM_REQUIRE_ENGINES") == "1":
        pytest.fail(f"{name} is required here (NEWSBEAM_REQUIRE_ENGINES=1) but not built: run `make prism`")
    pytest.skip(f"{name} not built here (`make prism` builds it with Go)")


def test_seeds_on_prism_give_the_in_process_rows(seed_run, input_with_bad_files, tmp_path, capsys):
    engine_or_skip(prism_binary(), "Beam's Prism runner")
    assert main(["run", "--input", str(input_with_bad_files), "--output", str(tmp_path),
                 "--reference-date", REFERENCE_DATE.isoformat(), "--runner", "DirectRunner"]) == 0
    assert "articles_rows=5" in capsys.readouterr().err  # Prism hands the run's counters back
    for table in TABLES:
        statement = f"SELECT * FROM {table} ORDER BY ALL"
        in_process = catalog.connect(str(seed_run)).sql(statement).fetchall()
        on_prism = catalog.connect(str(tmp_path)).sql(statement).fetchall()
        assert on_prism == in_process, table
    assert catalog.connect(str(tmp_path)).sql("SELECT count(*) FROM articles").fetchall() == [(5,)]
