"""Write stage: each table as a Parquet dataset, `published_date=YYYY-MM-DD` Hive partitions.

Rows are buffered per window and partition, up to `rows_per_file` rows and twice that in all, and
at most BUFFER_BYTES of text in all (an article row carries its text: 40,000 of them held a worker's
memory growing with the corpus); each full buffer, and each buffer left at the end of a bundle,
becomes one file with one row group.
A file is written under a temporary name and renamed when complete, and its name is a hash of its
bytes: a reader never sees half a file, and a retried bundle rewrites the same name, adding no copy.
A table with no rows still gets one empty file, so every table can be queried.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil

import apache_beam as beam
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics
from apache_beam.utils.windowed_value import WindowedValue

from schemas import tables

STAGE = "write"
DEFAULT_ROWS_PER_FILE = 20_000
# The text a writer holds before it writes its largest buffer. Writing costs two to three times what it writes
# (the Arrow table, the Parquet bytes): at 32 MB, the articles' writer, which shares a worker with the NLP
# stage, added ~90 MB to that worker's peak once a run was big enough to fill it (30k articles, not 10k).
BUFFER_BYTES = 8 << 20
ROW_BYTES = 64  # a row's own cost beside its strings, in the estimate of what a writer holds


def partition_dir(output: str, table: str, partition: str | None, window=None) -> str:
    """DIR/table[/window_start=START][/published_date=DAY]: a stream's windows get folders of their own."""
    root = FileSystems.join(output, table)
    if isinstance(window, beam.window.IntervalWindow):
        root = FileSystems.join(root, f"{tables.WINDOW_COLUMN}={tables.window_value(window.start.micros / 1e6)}")
    return FileSystems.join(root, f"{tables.PARTITION_COLUMN}={partition}") if partition else root


def write_parquet(directory: str, arrow_table) -> str:
    """Writes one complete file atomically; returns its final path."""
    buffer = io.BytesIO()
    pq.write_table(arrow_table, buffer, row_group_size=max(arrow_table.num_rows, 1), compression="zstd")
    content = buffer.getvalue()
    final = FileSystems.join(directory, f"part-{hashlib.sha1(content).hexdigest()[:20]}.parquet")
    temporary = FileSystems.join(directory, f".{FileSystems.split(final)[1]}.inprogress")
    with FileSystems.create(temporary) as handle:
        handle.write(content)
    if FileSystems.exists(final):
        remove(temporary)
    else:
        FileSystems.rename([temporary], [final])
    return final


def remove(path: str) -> None:
    """Deletes one file or folder by its name. Beam's local delete reads the name as a glob, so a folder
    such as `res[1]` would match nothing; local paths are removed directly."""
    if "://" in path and not path.startswith("file://"):
        FileSystems.delete([path])
        return
    path = path.removeprefix("file://")
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.remove(path)


class WriteFilesFn(beam.DoFn):
    def __init__(self, output: str, table: str, rows_per_file: int):
        self.output, self.table, self.rows_per_file = output, table, rows_per_file
        self.partitioned = tables.is_partitioned(table)
        self.rows = Metrics.counter(STAGE, f"{table}_rows")

    def start_bundle(self):
        self.buffers: dict[tuple, list] = {}
        self.sizes: dict[tuple, int] = {}
        self.buffered = self.held = 0

    def process(self, record, window=beam.DoFn.WindowParam):
        key = (window, tables.partition_value(record) if self.partitioned else None)
        self.buffers.setdefault(key, []).append(record)
        size = approximate_bytes(record)
        self.sizes[key] = self.sizes.get(key, 0) + size
        self.buffered += 1
        self.held += size
        if len(self.buffers[key]) >= self.rows_per_file:
            yield self._flush(key)
        elif self.buffered >= 2 * self.rows_per_file or self.held >= BUFFER_BYTES:
            yield self._flush(max(self.buffers, key=lambda k: self.sizes[k]))

    def finish_bundle(self):
        for key in list(self.buffers):
            window = key[0]
            yield WindowedValue(self._flush(key), window.max_timestamp(), [window])

    def _flush(self, key) -> str:
        records = self.buffers.pop(key)
        self.buffered -= len(records)
        self.held -= self.sizes.pop(key)
        self.rows.inc(len(records))
        return write_parquet(partition_dir(self.output, self.table, key[1], key[0]),
                             tables.to_arrow(self.table, records))


def approximate_bytes(record) -> int:
    """What a row holds, roughly: its strings' lengths and a fixed cost (cheap enough for every row)."""
    return ROW_BYTES + sum(len(value) for value in vars(record).values() if isinstance(value, str))


def _write_empty_if_none(count: int, output: str, table: str):
    if count == 0:
        partition = "__HIVE_DEFAULT_PARTITION__" if tables.is_partitioned(table) else None
        yield write_parquet(partition_dir(output, table, partition), tables.to_arrow(table, []))


class WriteTable(beam.PTransform):
    """Records of one table to Parquet; in a batch run a table with no rows still gets one empty file."""

    def __init__(self, output: str, table: str, rows_per_file: int = DEFAULT_ROWS_PER_FILE, streaming: bool = False):
        super().__init__()
        self.output, self.table, self.rows_per_file, self.streaming = output, table, rows_per_file, streaming

    def expand(self, records):
        files = records | "WriteFiles" >> beam.ParDo(WriteFilesFn(self.output, self.table, self.rows_per_file))
        if self.streaming:  # windows come and go: an empty window writes nothing
            return files
        empty = (
            files
            | "CountFiles" >> beam.combiners.Count.Globally()
            | "EmptyTable" >> beam.FlatMap(_write_empty_if_none, self.output, self.table)
        )
        return (files, empty) | "AllFiles" >> beam.Flatten()


class WriteTables(beam.PTransform):
    """{table name: PCollection of records} to Parquet under `output`; returns written file paths.

    A streaming run's windows each get a folder of their own (`window_start=...`).
    """

    def __init__(self, output: str, rows_per_file: int = DEFAULT_ROWS_PER_FILE, streaming: bool = False):
        super().__init__()
        self.output, self.rows_per_file, self.streaming = output, rows_per_file, streaming

    def expand(self, records_by_table):
        written = [records | f"Write_{table}" >> WriteTable(self.output, table, self.rows_per_file, self.streaming)
                   for table, records in sorted(records_by_table.items())]
        return written | "Written" >> beam.Flatten()
