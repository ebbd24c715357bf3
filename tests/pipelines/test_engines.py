"""The seeds on real engines give the in-process run's rows, table by table.

Prism (Beam's DirectRunner since 2.5x) runs here when `make prism` built it from its Go module; Dask
(pipelines/dask_runner.py) when the `dask` extra is installed, on a two-process local cluster.
Without them the tests skip, unless NEWSBEAM_REQUIRE_ENGINES=1 (`make test-engines`, CI), where a
missing engine fails instead of passing silently.
"""

import os

import apache_beam as beam
import pytest

from pipelines.cli import main
from pipelines.runners import prism_binary
from schemas import catalog
from schemas.tables import TABLES
from tests.conftest import REFERENCE_DATE

pytestmark = pytest.mark.engines


def engine_or_skip(found, name: str, how: str = "`make prism` builds it with Go"):
    if found:
        return found
    if os.environ.get("NEWSBEAM_REQUIRE_ENGINES") == "1":
        pytest.fail(f"{name} is required here (NEWSBEAM_REQUIRE_ENGINES=1) but not there ({how})")
    pytest.skip(f"{name} not there ({how})")


def dask_distributed():
    try:
        import distributed
    except ImportError:
        return None
    return distributed


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


@pytest.fixture(scope="module")
def dask_cluster():
    """Two worker processes, kept for the module's runs as a user keeps a cluster between runs."""
    distributed = engine_or_skip(dask_distributed(), "Dask", "pip install -e '.[dask]'; `make test` installs it")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0") as cluster:
        yield cluster


def test_seeds_on_a_dask_cluster_give_the_in_process_rows(seed_run, input_with_bad_files, dask_cluster, tmp_path):
    assert main(["run", "--input", str(input_with_bad_files), "--output", str(tmp_path),
                 "--reference-date", REFERENCE_DATE.isoformat(), "--runner", "pipelines.dask_runner.DaskRunner",
                 "--dask_client_address", dask_cluster.scheduler_address]) == 0
    for table in TABLES:
        statement = f"SELECT * FROM {table} ORDER BY ALL"
        in_process = catalog.connect(str(seed_run)).sql(statement).fetchall()
        on_dask = catalog.connect(str(tmp_path)).sql(statement).fetchall()
        assert on_dask == in_process, table
    assert catalog.connect(str(tmp_path)).sql("SELECT count(*) FROM dead_letter").fetchall() == [(2,)]


def test_the_stream_on_prism_writes_each_item_of_a_growing_feed_once_and_stops_on_time(tmp_path):
    # The unbounded pipeline (PeriodicImpulse clock, FirstSighting's state and timers) on a real runner.
    import subprocess
    import sys
    import time

    from evals.feedserver import FeedServer
    from tests.pipelines.test_streaming import feed, wait_for

    engine_or_skip(prism_binary(), "Beam's Prism runner")
    # Room for a slow machine's start-up (Prism, workers, the model; ~20 s under a load of 10 on 2 cores):
    # a stream whose first poll comes after its clock ran out writes everything, but ends late. Its end is
    # timed from its first poll, so that start-up, which grows with the machine's load, is not counted.
    output, duration = tmp_path / "live", 40
    with FeedServer() as server:
        listing = tmp_path / "feeds.txt"
        listing.write_text(server.serve("/live.rss", feed(0, 4)) + "\n")
        started = time.monotonic()
        stream = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "stream", "--feeds", str(listing),
                                   "--no-follow-links", "--output", str(output), "--poll-interval", "1",
                                   "--window", "3", "--duration", str(duration), "--runner", "DirectRunner"],
                                  stderr=subprocess.PIPE, text=True)
        # The feed grows once the first poll is answered, however long its items take to be written.
        wait_for(lambda: len(server.requests) >= 2 or stream.poll() is not None, "a second poll", deadline=240)
        server.serve("/live.rss", feed(2, 9))  # two items seen again, five new
        _, errors = stream.communicate(timeout=300)
        ended = time.monotonic()
        first_poll = min((start for visits in server.visits.values() for _, start, _ in visits), default=started)
    assert stream.returncode == 0, errors[-2000:]
    rows = catalog.connect(str(output)).sql(
        "SELECT regexp_extract(source, '\\d+$')::int, count(*) FROM articles GROUP BY 1 ORDER BY 1").fetchall()
    assert rows == [(n, 1) for n in range(9)], errors[-2000:]
    assert ended - first_poll < duration + 30, f"stopped {ended - first_poll - duration:.0f}s after --duration"


def test_a_profile_behind_the_watermark_does_not_stop_the_stories_on_prism():
    # Prism hands an element that comes after its window's watermark an empty side input (the
    # window's name frequencies); a clean-clone CI's stream once stopped there with a TypeError.
    from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
    from apache_beam.testing.test_stream import TestStream
    from apache_beam.testing.util import assert_that, equal_to

    from tests.transforms.test_stories import FOOTBALL, WORLDCOM, WORLDCOM_UPDATE, article
    from transforms.stories.groups import FindStories
    from transforms.stories.names import NameArticlesFn

    prism = engine_or_skip(prism_binary(), "Beam's Prism runner")
    options = PipelineOptions([f"--prism_location={prism}"], runner="PrismRunner")
    options.view_as(StandardOptions).streaming = True
    on_time = [beam.window.TimestampedValue(a, 1) for a in (article("a", WORLDCOM), article("b", WORLDCOM_UPDATE))]
    with beam.Pipeline(options=options) as p:
        articles = (p
                    | TestStream().advance_watermark_to(0).add_elements(on_time).advance_watermark_to(20)
                    .add_elements([beam.window.TimestampedValue(article("c", FOOTBALL), 2)])
                    .advance_watermark_to_infinity()
                    | beam.WindowInto(beam.window.FixedWindows(10)))
        named = articles | beam.ParDo(NameArticlesFn())
        stories = named | FindStories(p | "NoCopies" >> beam.Create([]) | "Windowed" >> beam.WindowInto(
            beam.window.FixedWindows(10)))
        assert_that(stories, equal_to([("b", "a")]))


def test_the_stream_on_prism_gives_the_run_rows_for_the_same_items(seed_feed_run, tmp_path):
    # Copies, stories and names are found in a window and read as side inputs by that window's
    # articles: Prism must not hand them over before the window has closed. The stream lasts long
    # enough for the items' window to close while it runs (start-up ~5 s, the window 5 s).
    import subprocess
    import sys

    engine_or_skip(prism_binary(), "Beam's Prism runner")
    live = tmp_path / "live"
    stream = subprocess.run([sys.executable, "-m", "pipelines.cli", "stream", "--feeds", seed_feed_run.url,
                             "--no-follow-links", "--output", str(live), "--poll-interval", "1", "--window", "5",
                             "--duration", "25", "--runner", "DirectRunner"],
                            capture_output=True, text=True, timeout=600)
    assert stream.returncode == 0, stream.stderr[-2000:]
    assert (live / "articles").is_dir(), stream.stderr[-3000:]
    ran, streamed = catalog.connect(str(seed_feed_run.output)), catalog.connect(str(live))
    for table in TABLES:
        expected = ran.sql(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
        statement = f"SELECT COLUMNS(lambda c: c != 'window_start') FROM {table} ORDER BY ALL"
        assert streamed.sql(statement).fetchall() == expected, table
    assert streamed.sql("SELECT count(*) FROM articles WHERE is_duplicate").fetchall() == [(1,)]


def bbc_subset(tmp_path_factory):
    """200 BBC files (the first 40 of each section), when the public corpora are beside the project
    (CORPORA, else ../shared/corpora): make test must not need them; CI and `make test-engines`
    (NEWSBEAM_REQUIRE_ENGINES=1) do, and fail without them."""
    import pathlib
    import shutil

    root = pathlib.Path(os.environ.get("CORPORA", pathlib.Path(__file__).resolve().parents[3] / "shared" / "corpora"))
    if not (root / "bbc").is_dir():
        engine_or_skip(None, f"the BBC corpus at {root}", "set CORPORA to the public corpora")
    folder = tmp_path_factory.mktemp("bbc200")
    for section in sorted(p for p in (root / "bbc").iterdir() if p.is_dir()):
        for path in sorted(section.glob("*.txt"))[:40]:
            shutil.copy(path, folder / f"{section.name}_{path.name}")
    return folder


@pytest.fixture(scope="module")
def bbc_in_process(tmp_path_factory):
    folder = bbc_subset(tmp_path_factory)
    output = tmp_path_factory.mktemp("bbc200-in-process")
    assert main(["run", "--input", str(folder), "--output", str(output), "--workers", "1",
                 "--reference-date", REFERENCE_DATE.isoformat()]) == 0
    return folder, output


def same_tables(expected, found):
    for table in TABLES:
        statement = f"SELECT * FROM {table} ORDER BY ALL"
        assert catalog.connect(str(found)).sql(statement).fetchall() == \
            catalog.connect(str(expected)).sql(statement).fetchall(), table


def test_200_bbc_files_on_prism_give_the_in_process_rows(bbc_in_process, tmp_path):
    engine_or_skip(prism_binary(), "Beam's Prism runner")
    folder, expected = bbc_in_process
    assert main(["run", "--input", str(folder), "--output", str(tmp_path), "--runner", "DirectRunner",
                 "--reference-date", REFERENCE_DATE.isoformat()]) == 0
    same_tables(expected, tmp_path)


def test_200_bbc_files_on_two_dask_workers_give_the_in_process_rows(bbc_in_process, dask_cluster, tmp_path):
    folder, expected = bbc_in_process
    assert main(["run", "--input", str(folder), "--output", str(tmp_path), "--runner", "dask",
                 "--dask_client_address", dask_cluster.scheduler_address,
                 "--reference-date", REFERENCE_DATE.isoformat()]) == 0
    same_tables(expected, tmp_path)


def test_a_dask_worker_killed_while_the_ner_runs_leaves_the_in_process_rows(tmp_path):
    """SIGKILL of one of two workers once a worker has loaded the model: Dask starts it again and re-runs
    its tasks; the run completes with the rows of an in-process run, none written twice."""
    import signal
    import threading
    import time

    from bench.corpus import build
    from tests.pipelines.test_streaming import wait_for

    distributed = engine_or_skip(dask_distributed(), "Dask", "pip install -e '.[dask]'; `make test` installs it")
    folder = tmp_path / "input"
    build(None, folder, 60, copy_share=0.2)  # articles made of the seeds' paragraphs
    common = ["run", "--input", str(folder), "--reference-date", REFERENCE_DATE.isoformat()]
    assert main([*common, "--output", str(tmp_path / "in-process"), "--workers", "1"]) == 0
    outcome = {}
    # run on a worker: whether its process has loaded the spaCy model (the NER has begun there)
    model_loaded = lambda: bool(getattr(__import__("sys").modules.get("transforms.nlp.model"),  # noqa: E731
                                        "_PIPELINES", None))
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0")
    with cluster, distributed.Client(cluster) as client:
        run = threading.Thread(target=lambda: outcome.setdefault("code", main(
            [*common, "--output", str(tmp_path / "dask"), "--runner", "dask",
             "--dask_client_address", cluster.scheduler_address])))
        run.start()
        # generous: under a load of ~12 a worker took more than 180 s to import and load the model
        wait_for(lambda: not run.is_alive() or any(client.run(model_loaded).values()), "the model on a worker",
                 deadline=900)
        loaded = [address for address, done in client.run(model_loaded).items() if done] if run.is_alive() else []
        killed = client.run(os.getpid, workers=loaded[:1])[loaded[0]] if loaded else None
        if killed:  # the worker's process, from here: it cannot answer once killed
            os.kill(killed, signal.SIGKILL)
        started = time.monotonic()
        run.join(timeout=900)
        assert not run.is_alive(), f"the run did not end {time.monotonic() - started:.0f}s after the kill"
    assert loaded, "the run ended before a worker loaded the model: nothing was killed"
    with pytest.raises(ProcessLookupError):  # the worker really went
        os.kill(killed, 0)
    assert outcome["code"] == 0
    same_tables(tmp_path / "in-process", tmp_path / "dask")
