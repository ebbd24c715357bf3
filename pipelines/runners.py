"""Runners: which Beam runner a run gets, and what each needs from newsbeam to run it well.

- The default is Beam's in-process FnApiRunner (Beam 2.77's DirectRunner is Prism, which Beam would
  first download), with a worker process per core when the input holds more than PARALLEL_FROM files
  (`--workers N` chooses; 1 runs in this process).
- `--runner DirectRunner` or `PrismRunner` uses a Prism binary built here (`make prism`) when the user
  names none; a stream on Prism runs with SDF splitting off (PRISM_NO_SPLITS).
- `--runner dask` is newsbeam's Dask runner (pipelines/dask_runner.py).
- A stream on the in-process runner, which runs a stage only once the stages before it are done, is
  one bounded pipeline per window (`stream_window_by_window`); elsewhere one unbounded pipeline.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import sys
import threading
import time

DEFAULT_RUNNER = "FnApiRunner"  # in-process
IN_PROCESS = (None, DEFAULT_RUNNER)
PRISM_RUNNERS = ("DirectRunner", "PrismRunner")
PARALLEL_FROM = 300  # files: below, starting worker processes (a model load each) costs more than it gains
ALIASES = {"dask": "pipelines.dask_runner.DaskRunner", "DaskRunner": "pipelines.dask_runner.DaskRunner"}
# Prism (2.77) splits a bundle that makes no progress for a while (a busy machine) and, in a
# stream, the stage's watermark then never moved again: no window after it was written, and a
# window's side inputs were read empty (EmptySideInput in FindStories' old profile table). Under two busy loops the
# stream failed 3 runs of 3 and wrote every item in 6 of 6 with this experiment.
PRISM_NO_SPLITS = "prism_disable_sdf_split"


def runner_of(beam_args: list[str]) -> str | None:
    runner = next((a.split("=", 1)[1] for a in beam_args if a.startswith("--runner=")), None)
    if runner is None and "--runner" in beam_args:
        runner = beam_args[beam_args.index("--runner") + 1]
    return runner


def beam_arguments(beam_args: list[str], streaming: bool = False, workers: int | None = None,
                   files: int | None = None) -> list[str]:
    """The Beam options a run passes on: the default runner, newsbeam's runner names, a local Prism,
    and on the in-process runner `workers` processes (default: every core for more than PARALLEL_FROM
    `files`)."""
    runner = runner_of(beam_args)
    args, skip = [], False
    for arg in beam_args:  # the runner's flag goes; it comes back first, resolved
        if not skip and arg != "--runner" and not arg.startswith("--runner="):
            args.append(arg)
        skip = arg == "--runner"
    runner = ALIASES.get(runner, runner) or DEFAULT_RUNNER
    args = [f"--runner={runner}", *args]
    if runner == DEFAULT_RUNNER and not streaming and not any(a.startswith("--direct_") for a in args):
        count = workers if workers is not None else (os.cpu_count() or 1) if (files or 0) > PARALLEL_FROM else 1
        if count > 1:
            args += [f"--direct_num_workers={count}", "--direct_running_mode=multi_processing"]
    if runner in PRISM_RUNNERS:
        if not any(a.startswith("--prism_location") for a in args) and (found := prism_binary()):
            args.append(f"--prism_location={found}")
        if streaming:
            args.append(f"--experiments={PRISM_NO_SPLITS}")
    return args


def with_local_prism(beam_args: list[str]) -> list[str]:
    """Beam options that use a Prism binary built here when the runner is Prism and none is named."""
    return beam_arguments(beam_args) if runner_of(beam_args) in PRISM_RUNNERS else beam_args


def prism_binary() -> str | None:
    """A Prism runner built here (`make prism` puts it beside the venv's python), or on PATH."""
    import shutil

    for candidate in (os.environ.get("NEWSBEAM_PRISM"), os.path.join(os.path.dirname(sys.executable), "prism"),
                      shutil.which("prism")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def keep_runner_metrics_bounded() -> None:
    """Beam 2.77's in-process runner merges each bundle's metrics into a lazy generator wrapping the
    previous one, so a stream keeps every bundle's metrics alive (memory grew ~8 MB per poll) and
    reading them at the end overflows the recursion limit. Merging eagerly keeps one set."""
    from apache_beam.metrics import monitoring_infos
    from apache_beam.runners.portability.fn_api_runner import fn_runner

    if hasattr(fn_runner, "consolidate_monitoring_infos"):
        fn_runner.consolidate_monitoring_infos = lambda *args, **kwargs: list(
            monitoring_infos.consolidate(*args, **kwargs))


PIECE_BYTES = 8 << 20  # what the in-process runner sends a worker in one message, at most one group beyond


def send_inputs_in_pieces() -> None:
    """Beam 2.77's in-process runner sends each worker its share of a stage's grouped input as one
    gRPC message, which the worker holds twice while it arrives: at 100k articles a dedup join's share
    took a worker from 450 to 670 MB within a second, and the share grows with the corpus. Cut at group
    boundaries into pieces of about PIECE_BYTES, sent one after another, a worker holds a few pieces
    (its receive queue takes five) whatever the corpus. Each group is still encoded by Beam's own code."""
    from apache_beam.runners.portability.fn_api_runner import execution, fn_runner

    grouping = execution.GroupingBuffer
    if getattr(grouping.partition, "in_pieces", False):
        return
    whole = grouping.partition

    def partition(self, n: int) -> list[list[bytes]]:
        if self._grouped_output:
            return self._grouped_output
        pieces: list[list[bytes]] = [[] for _ in range(n)]
        pending: list[list[bytes]] = [[] for _ in range(n)]
        sizes = [0] * n
        for index, (key, values) in enumerate(self._table.items()):
            one = object.__new__(grouping)  # the same buffer holding one group: Beam encodes it
            one.__dict__.update(self.__dict__, _table={key: values}, _grouped_output=None)
            part = index % n
            for encoded in whole(one, 1)[0]:
                pending[part].append(encoded)
                sizes[part] += len(encoded)
            if sizes[part] >= PIECE_BYTES:
                pieces[part].append(b"".join(pending[part]))
                pending[part], sizes[part] = [], 0
        for part in range(n):
            if pending[part] or not pieces[part]:
                pieces[part].append(b"".join(pending[part]))
        self._grouped_output = pieces
        self._table.clear()
        return pieces

    def send_input(self, process_bundle_id, read_transform_id, byte_streams) -> None:
        # The runner asks the worker to start the bundle only once its input is sent, and a worker takes
        # five messages of a bundle it has not started: more pieces than the two sides' queues hold would
        # wait for each other for ever (a 100k run did). A large input goes from a thread of its own.
        data_out = self._worker_handler.data_conn.output_stream(process_bundle_id, read_transform_id)
        byte_streams = list(byte_streams or ())

        def send():
            for byte_stream in byte_streams:
                data_out.write(byte_stream)
                if data_out.size() >= PIECE_BYTES:
                    data_out.flush()
            data_out.close()

        if sum(map(len, byte_streams)) <= PIECE_BYTES:
            send()
        else:
            threading.Thread(target=send, name=f"send-{process_bundle_id}", daemon=True).start()

    partition.in_pieces, partition.whole = True, whole
    grouping.partition = partition
    fn_runner.BundleManager._send_input_to_worker = send_input


def counters(result) -> dict[str, dict[str, int]]:
    """The run's counters by stage; empty when the runner cannot give them."""
    from apache_beam.metrics.metric import MetricsFilter

    try:
        found = result.metrics().query(MetricsFilter())["counters"]
    except (AttributeError, NotImplementedError, KeyError, RecursionError):
        return {}
    stages: dict[str, dict[str, int]] = {}
    for counter in found:
        names = stages.setdefault(counter.key.metric.namespace, {})
        names[counter.key.metric.name] = names.get(counter.key.metric.name, 0) + (counter.committed or 0)
    return stages


def run_stream(settings, beam_args: list[str], report) -> int:
    """A stream: window by window on the in-process runner, else one unbounded pipeline."""
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines.pipeline import build

    keep_runner_metrics_bounded()
    args = beam_arguments(beam_args, streaming=True)
    if runner_of(args) == DEFAULT_RUNNER:
        return stream_window_by_window(settings, args, report)
    pipeline = beam.Pipeline(options=PipelineOptions([*args, "--streaming"], save_main_session=False))
    build(pipeline, settings)
    pipeline.run().wait_until_finish()
    return 0


def stream_window_by_window(settings, beam_args: list[str], report) -> int:
    """One bounded pipeline per window, each window's files staged and added to the output at once.
    Ctrl-C ends the polling and writes the window; a second Ctrl-C drops the window unwritten (its
    items are fetched again at the next start: nothing is remembered that was not written).
    `report(window_folders, counters)` is called after each window, and with None at the end."""
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines import output
    from pipelines.pipeline import build
    from transforms.sources import poll as stream

    end = time.time() + settings.duration if settings.duration is not None else float("inf")

    def on_interrupt(signum, frame):
        if stream.stop_requested():
            raise KeyboardInterrupt
        stream.request_stop()
        print("newsbeam: stopping: the current window is written first (Ctrl-C again drops it)", file=sys.stderr)

    stream.clear_stop()
    previous = signal.signal(signal.SIGINT, on_interrupt)
    out = output.StreamOutput(settings.output)
    try:
        while time.time() < end - 0.5 and not stream.stop_requested():
            segment = dataclasses.replace(settings, output=out.staging, memory=out.output, bounded=True,
                                          duration=end - time.time() if settings.duration is not None else None)
            pipeline = beam.Pipeline(options=PipelineOptions(beam_args, save_main_session=False))
            build(pipeline, segment)
            result = pipeline.run()
            result.wait_until_finish()
            report(out.commit(), counters(result))
    except KeyboardInterrupt:
        out.abandon()
        print("newsbeam: stopped; the window being polled was dropped, earlier windows are kept", file=sys.stderr)
        return 130
    finally:
        out.close()
        signal.signal(signal.SIGINT, previous)
    if stream.stop_requested():
        print("newsbeam: stopped; every window polled is written", file=sys.stderr)
        return 130
    return 0
