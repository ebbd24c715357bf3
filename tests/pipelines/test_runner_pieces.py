"""The in-process runner sends a worker its grouped input in pieces (pipelines/runners.py), not one message
the size of the worker's share of the corpus: every group arrives whole, once, in the same worker."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import apache_beam as beam
from apache_beam.coders import coders
from apache_beam.coders.coder_impl import create_InputStream
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.runners.portability.fn_api_runner import execution
from apache_beam.testing.util import assert_that, equal_to
from apache_beam.transforms import core

from pipelines import runners


def _filled_buffer(groups: int, values: int) -> execution.GroupingBuffer:
    pre = coders.WindowedValueCoder(coders.TupleCoder([coders.StrUtf8Coder(), coders.BytesCoder()]))
    post = coders.WindowedValueCoder(
        coders.TupleCoder([coders.StrUtf8Coder(), coders.IterableCoder(coders.BytesCoder())]))
    grouped = execution.GroupingBuffer(pre, post, core.Windowing(beam.window.GlobalWindows()))
    encoded = pre.get_impl()
    for value in range(values):
        for group in range(groups):
            windowed = beam.window.GlobalWindows.windowed_value((f"group-{group}", b"%05d" % value * 40))
            grouped.append(encoded.encode_nested(windowed))
    return grouped, post


def _decoded(pieces: list[bytes], coder) -> list:
    found = []
    for piece in pieces:
        stream = create_InputStream(piece)
        while stream.size() > 0:  # a piece that ended inside a group would fail to decode here
            key, values = coder.get_impl().decode_from_stream(stream, True).value
            found.append((key, list(values)))
    return found


def test_a_workers_share_of_a_grouped_input_comes_in_pieces_of_whole_groups(monkeypatch):
    runners.send_inputs_in_pieces()
    monkeypatch.setattr(runners, "PIECE_BYTES", 20_000)
    pieced, coder = _filled_buffer(groups=40, values=50)  # 40 groups of 10 KB
    whole, _ = _filled_buffer(groups=40, values=50)

    parts = pieced.partition(2)
    at_once = execution.GroupingBuffer.partition.whole(whole, 2)

    assert [len(part) for part in parts] == [10, 10]  # two groups a piece, not one message a worker
    assert [len(part) for part in at_once] == [1, 1]
    for part, reference in zip(parts, at_once, strict=True):
        assert _decoded(part, coder) == _decoded(reference, coder)  # the same groups, whole, in the same worker
    assert pieced.partition(2) is parts  # partitioned once, as Beam's own


def test_an_empty_share_is_one_empty_piece():
    runners.send_inputs_in_pieces()
    empty, _ = _filled_buffer(groups=0, values=0)
    assert empty.partition(2) == [[b""], [b""]]


def test_two_worker_processes_group_the_same_values_when_their_input_comes_in_pieces(monkeypatch):
    runners.send_inputs_in_pieces()
    monkeypatch.setattr(runners, "PIECE_BYTES", 4_096)  # many pieces a worker; the runner's process cuts them
    options = PipelineOptions(["--direct_num_workers=2", "--direct_running_mode=multi_processing"])
    with beam.Pipeline(runner="FnApiRunner", options=options) as pipeline:
        sums = (pipeline
                | beam.Create([(n % 30, "x" * (n % 7 + 100)) for n in range(3_000)])
                | beam.GroupByKey()
                | beam.MapTuple(lambda key, texts: (key, len(texts), sum(map(len, texts)))))
        expected = [(key, 100, sum(n % 7 + 100 for n in range(key, 3_000, 30))) for key in range(30)]
        assert_that(sums, equal_to(expected))


# More messages than the runner's send queue and the worker's queue of a bundle it has not started hold:
# the runner asks for the bundle only once its input is sent, so a large input must not wait for the worker.
MORE_PIECES_THAN_THE_QUEUES_HOLD = textwrap.dedent("""
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions
    from apache_beam.runners.worker import data_plane
    from apache_beam.testing.util import assert_that, equal_to
    from pipelines import runners

    runners.send_inputs_in_pieces()
    runners.PIECE_BYTES = 1  # every group a message of its own
    data_plane._DEFAULT_SEND_QUEUE_MAX_ELEMENTS = 8  # the runner's send queue holds eight
    options = PipelineOptions(["--direct_num_workers=2", "--direct_running_mode=multi_processing"])
    with beam.Pipeline(runner="FnApiRunner", options=options) as pipeline:
        sizes = (pipeline
                 | beam.Create(range(3_000))
                 | beam.Map(lambda n: (n, b"x" * 20_000))  # 60 MB in 3,000 groups
                 | beam.GroupByKey()
                 | beam.MapTuple(lambda key, blobs: sum(map(len, blobs))))
        assert_that(sizes, equal_to([20_000] * 3_000))
    print("done")
""")


def test_a_worker_share_of_more_pieces_than_the_queues_hold_still_arrives():
    """Sent before the bundle was asked for, this input waited for ever (a 100k run stopped so)."""
    done = subprocess.run([sys.executable, "-c", MORE_PIECES_THAN_THE_QUEUES_HOLD], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("done")
