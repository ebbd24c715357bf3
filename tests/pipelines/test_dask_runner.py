"""Our Dask runner against Beam 2.77's, one defect a test (issue 32), on a real two-process Dask cluster.

Each test builds one small pipeline, runs it on the in-process FnApiRunner for the reference and on a
Dask runner, and compares what its sinks received. Beam's own DaskRunner is marked xfail(strict=True):
while its defect is there the test fails there, and the day Beam fixes it the mark must go.
"""

from __future__ import annotations

import json
import os
import pathlib
import uuid

import apache_beam as beam
import pytest
from apache_beam.coders import VarIntCoder
from apache_beam.metrics import Metrics
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.transforms import userstate
from apache_beam.transforms.window import FixedWindows

distributed = pytest.importorskip("distributed", reason="Dask is an extra: pip install -e '.[dask]'")

OURS = "pipelines.dask_runner.DaskRunner"
BEAMS = "apache_beam.runners.dask.dask_runner.DaskRunner"
IN_PROCESS = "FnApiRunner"
RUNNERS = [OURS, pytest.param(BEAMS, marks=pytest.mark.xfail(strict=True, reason="Beam 2.77's DaskRunner, issue 32"))]
DEADLINE_MS = 180_000  # a pipeline of a few elements; only a hang would take this long


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes of one thread each, as `make cluster-up` starts them; their address."""
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0") as local:
        yield local.scheduler_address


class Collect(beam.DoFn):
    """A test sink: each bundle's elements as one JSON file, so what every sink received can be read back."""

    def __init__(self, folder: str):
        self.folder = folder

    def start_bundle(self):
        self.elements = []

    def process(self, element):
        self.elements.append(element)

    def finish_bundle(self):
        if self.elements:
            os.makedirs(self.folder, exist_ok=True)
            with open(os.path.join(self.folder, f"{uuid.uuid4().hex}.json"), "w") as handle:
                json.dump(self.elements, handle)


def run(runner: str, address: str | None, folder: pathlib.Path, build) -> dict[str, list]:
    """Runs `build(pipeline, sink)` on `runner`; returns each sink's elements, sorted, by sink name."""
    args = [f"--runner={runner}"] + ([f"--dask_client_address={address}"] if runner != IN_PROCESS else [])
    pipeline = beam.Pipeline(options=PipelineOptions(args))
    build(pipeline, lambda name: f"Collect_{name}" >> beam.ParDo(Collect(str(folder / runner / name))))
    result = pipeline.run()
    try:
        assert result.wait_until_finish(duration=DEADLINE_MS) == "DONE"
    finally:
        if getattr(result, "client", None) is not None:
            result.client.close()
    return {sink.name: sorted(value for path in sorted(sink.glob("*.json")) for value in json.loads(path.read_text()))
            for sink in sorted((folder / runner).glob("*"))}


def bundles(folder: pathlib.Path, runner: str, sink: str) -> int:
    return len(list((folder / runner / sink).glob("*.json")))


class SplitOddEven(beam.DoFn):
    def process(self, number):
        yield number if number % 2 == 0 else beam.pvalue.TaggedOutput("odd", number)


@pytest.mark.parametrize("runner", RUNNERS)
def test_1_each_output_of_a_multi_output_pardo_gets_only_its_elements(runner, cluster, tmp_path):
    def build(pipeline, sink):
        numbers = pipeline | beam.Create(range(10)) | beam.ParDo(SplitOddEven()).with_outputs("odd", main="even")
        _ = numbers.odd | sink("odd")

    expected = run(IN_PROCESS, None, tmp_path, build)
    assert expected == {"odd": [1, 3, 5, 7, 9]}
    assert run(runner, cluster, tmp_path, build) == expected


@pytest.mark.parametrize("runner", RUNNERS)
def test_2_what_finish_bundle_emits_is_kept(runner, cluster, tmp_path):
    # BatchElements emits its last, partial batch in finish_bundle.
    def build(pipeline, sink):
        _ = (pipeline | beam.Create(range(25)) | beam.BatchElements(min_batch_size=10, max_batch_size=10)
             | beam.FlatMap(lambda batch: batch) | sink("elements"))

    expected = run(IN_PROCESS, None, tmp_path, build)
    assert expected == {"elements": list(range(25))}
    assert run(runner, cluster, tmp_path, build) == expected


@pytest.mark.parametrize("runner", RUNNERS)
def test_3_every_sink_of_a_pipeline_is_computed(runner, cluster, tmp_path):
    def build(pipeline, sink):
        numbers = pipeline | beam.Create(range(5))
        _ = numbers | "Double" >> beam.Map(lambda n: 2 * n) | sink("doubled")
        _ = numbers | "Triple" >> beam.Map(lambda n: 3 * n) | sink("tripled")

    expected = run(IN_PROCESS, None, tmp_path, build)
    assert expected == {"doubled": [0, 2, 4, 6, 8], "tripled": [0, 3, 6, 9, 12]}
    assert run(runner, cluster, tmp_path, build) == expected


class Evaluate(beam.DoFn):
    """Leaves a file for each element it computes: how often the side input was computed."""

    def __init__(self, folder: str):
        self.folder = folder

    def process(self, element):
        os.makedirs(self.folder, exist_ok=True)
        pathlib.Path(self.folder, uuid.uuid4().hex).touch()
        yield element


@pytest.mark.parametrize("runner", RUNNERS)
def test_4_a_side_input_read_by_two_transforms_is_computed_once(runner, cluster, tmp_path):
    def build(pipeline, sink):
        runner_name = pipeline.options.get_all_options()["runner"]
        side = beam.pvalue.AsList(pipeline | "Side" >> beam.Create([1, 2, 3])
                                  | beam.ParDo(Evaluate(str(tmp_path / "evaluated" / runner_name))))
        numbers = pipeline | beam.Create(range(20))
        plus = numbers | "Plus" >> beam.Map(lambda n, values: n + sum(values), side)
        times = numbers | "Times" >> beam.Map(lambda n, values: n * max(values), side)
        _ = (plus, times) | beam.Flatten() | sink("results")

    expected = run(IN_PROCESS, None, tmp_path, build)
    assert len(list((tmp_path / "evaluated" / IN_PROCESS).iterdir())) == 3
    assert run(runner, cluster, tmp_path, build) == expected
    assert len(list((tmp_path / "evaluated" / runner).iterdir())) == 3


@pytest.mark.parametrize("runner", RUNNERS)
def test_5_group_by_key_spreads_its_groups_over_the_cluster(runner, cluster, tmp_path):
    def build(pipeline, sink):
        _ = (pipeline | beam.Create(range(40)) | beam.Map(lambda n: (f"key{n % 10}", n)) | beam.GroupByKey()
             | beam.MapTuple(lambda key, values: [key, sorted(values)]) | sink("groups"))

    expected = run(IN_PROCESS, None, tmp_path, build)
    assert len(expected["groups"]) == 10
    assert run(runner, cluster, tmp_path, build) == expected
    assert bundles(tmp_path, runner, "groups") == 2  # a partition for each of the cluster's two threads


def worker_of(_) -> str:
    return distributed.get_worker().address


@pytest.mark.parametrize("runner", RUNNERS)
def test_6_a_stage_after_a_group_by_key_runs_on_both_workers_though_its_input_was_made_on_one(
        runner, cluster, tmp_path):
    # One element made into forty in one bundle: every later task's input starts on that bundle's worker,
    # where Dask would keep them all (the NER after newsbeam's findings join ran so on one worker of two).
    def build(pipeline, sink):
        _ = (pipeline | beam.Create([40]) | beam.FlatMap(lambda n: list(range(n)))
             | beam.Map(lambda n: (f"key{n % 10}", n)) | beam.GroupByKey() | beam.Map(worker_of) | sink("workers"))

    assert len(set(run(runner, cluster, tmp_path, build)["workers"])) == 2


def test_text_files_are_read_and_written_as_in_process(cluster, tmp_path):
    # A Read of a bounded source (Beam's runner turns it into nothing) and WriteToText's finalisation.
    (tmp_path / "in-1.txt").write_text("a\nb\nc\n")
    (tmp_path / "in-2.txt").write_text("d\ne\n")
    lines = {}
    for runner, address in ((IN_PROCESS, None), (OURS, cluster)):
        args = [f"--runner={runner}"] + ([f"--dask_client_address={address}"] if address else [])
        pipeline = beam.Pipeline(options=PipelineOptions(args))
        _ = (pipeline | beam.io.ReadFromText(str(tmp_path / "in-*.txt")) | beam.Map(str.upper)
             | beam.io.WriteToText(str(tmp_path / runner / "out"), num_shards=2))
        assert pipeline.run().wait_until_finish() == "DONE"
        lines[runner] = sorted(line for path in (tmp_path / runner).glob("out-*") for line in path.read_text().split())
    assert lines[OURS] == lines[IN_PROCESS] == ["A", "B", "C", "D", "E"]


class CountPerKey(beam.DoFn):
    COUNT = userstate.ReadModifyWriteStateSpec("count", VarIntCoder())

    def process(self, element, count=beam.DoFn.StateParam(COUNT)):
        count.write((count.read() or 0) + 1)
        yield element


class RemindLater(beam.DoFn):
    LATER = userstate.TimerSpec("later", userstate.TimeDomain.WATERMARK)

    def process(self, element, later=beam.DoFn.TimerParam(LATER)):
        later.set(0)
        yield element

    @userstate.on_timer(LATER)
    def remind(self):
        yield "later"


@pytest.mark.parametrize("tail, line", [
    (beam.ParDo(CountPerKey()), r"the Dask runner does not support stateful DoFns \(transform ParDo\(CountPerKey\) "
                                r"uses state\); use --runner FnApiRunner"),
    (beam.ParDo(RemindLater()), r"the Dask runner does not support stateful DoFns \(transform ParDo\(RemindLater\) "
                                r"uses timers\); use --runner FnApiRunner"),
    (beam.WindowInto(FixedWindows(60)), r"the Dask runner does not support windows or triggers \(transform "
                                        r"WindowInto\(WindowIntoFn\) uses FixedWindows\); use --runner FnApiRunner"),
], ids=["state", "timers", "windows"])
def test_state_timers_and_windows_are_refused_in_one_line_before_the_cluster_is_reached(tail, line):
    # No cluster listens there: the refusal comes first.
    pipeline = beam.Pipeline(options=PipelineOptions([f"--runner={OURS}", "--dask_client_address=tcp://127.0.0.1:9"]))
    _ = pipeline | beam.Create([("a", 1)]) | tail
    with pytest.raises(NotImplementedError, match=f"^{line}") as refused:
        pipeline.run()
    assert "\n" not in str(refused.value)


class Count(beam.DoFn):
    def __init__(self):
        self.seen = Metrics.counter("test", "seen")

    def process(self, element):
        self.seen.inc()
        yield element


def counted(result, name: str) -> list[int]:
    return [c.committed for c in result.metrics().query(MetricsFilter().with_name(name))["counters"]]


def test_counters_come_back_as_on_the_in_process_runner(cluster):
    # Six bundles on two threads: each bundle is counted once, not into the one before it on its thread.
    results = {}
    for runner, address in ((IN_PROCESS, None), (OURS, cluster)):
        args = [f"--runner={runner}"]
        args += [f"--dask_client_address={address}", "--dask_npartitions=6"] if address else []
        pipeline = beam.Pipeline(options=PipelineOptions(args))
        _ = pipeline | beam.Create(range(30)) | beam.ParDo(Count())
        results[runner] = pipeline.run()
        assert results[runner].wait_until_finish() == "DONE"
    assert counted(results[OURS], "seen") == counted(results[IN_PROCESS], "seen") == [30]


class WriteThenDieOnce(beam.DoFn):
    """Writes its bundle as newsbeam's writer does (a file named by its bytes), then, the first time
    only, kills its worker process before the task returns: Dask must re-run it, and what it lost."""

    def __init__(self, folder: str, marker: str):
        self.folder, self.marker = folder, marker

    def start_bundle(self):
        self.rows = []

    def process(self, group):
        key, values = group
        rows = [{"key": key, "value": value} for value in values]
        self.rows += rows
        Metrics.counter("test", "rows").inc(len(rows))

    def finish_bundle(self):
        import pyarrow

        from transforms.sinks.parquet import write_parquet

        os.makedirs(self.folder, exist_ok=True)
        write_parquet(self.folder, pyarrow.Table.from_pylist(self.rows))
        try:
            os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return
        os._exit(1)  # the worker dies; its nanny starts another


def test_a_worker_lost_after_writing_leaves_every_row_once(cluster, tmp_path):
    import duckdb

    folder = tmp_path / "table"
    pipeline = beam.Pipeline(options=PipelineOptions([f"--runner={OURS}", f"--dask_client_address={cluster}"]))
    _ = (pipeline | beam.Create(range(40)) | beam.Map(lambda n: (f"key{n % 10}", n)) | beam.GroupByKey()
         | beam.ParDo(WriteThenDieOnce(str(folder), str(tmp_path / "died"))))
    result = pipeline.run()
    assert result.wait_until_finish(duration=DEADLINE_MS) == "DONE"
    assert (tmp_path / "died").exists()
    rows = duckdb.sql(f"SELECT value FROM read_parquet('{folder}/*.parquet') ORDER BY 1").fetchall()
    assert rows == [(n,) for n in range(40)]
    assert counted(result, "rows") == [40]  # the bundle that died is counted once, by its re-run
