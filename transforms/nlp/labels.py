"""Label vote: one label per canonical entity over the run (over each window, in a stream).

The small model calls the same name a PERSON in one article and an ORG or GPE in another; within an
article the entities stage already votes, but a run-wide vote needs every article. The vote is a
keyed join: rows go to one of `SHARDS` shards by their canonical name, so a shard holds every row
of its names and can count and relabel them alone, and no worker holds the run's names (a side
input of every name given two labels grew with the corpus: +70 MB a worker at 30k articles). Rows
travel as compressed Arrow batches, not one Python object each (~20 bytes a row instead of ~250:
100k articles give millions of mentions). Names in the alias table keep the label the table gives.
"""

from __future__ import annotations

import zlib
from collections import Counter

import apache_beam as beam
import pyarrow as pa
from apache_beam.metrics import Metrics
from apache_beam.utils.windowed_value import WindowedValue

from schemas import tables
from schemas.records import EntityMention
from transforms.nlp.entities import Lexicon
from transforms.nlp.entity_ids import entity_id

STAGE = "labels"
TABLE = "entities"
SHARDS = 32
PACK_ROWS = 500  # a shard's rows are packed this many at a time: a worker holds at most SHARDS x PACK_ROWS


def shard(name: str) -> int:
    return zlib.crc32(name.encode("utf-8")) % SHARDS


def pack(rows: list[EntityMention]) -> bytes:
    """A batch of rows as one compressed Arrow IPC stream."""
    sink = pa.BufferOutputStream()
    table = tables.to_arrow(TABLE, rows)
    with pa.ipc.new_stream(sink, table.schema, options=pa.ipc.IpcWriteOptions(compression="zstd")) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def unpack(packed: bytes) -> list[EntityMention]:
    return [EntityMention(**row) for row in pa.ipc.open_stream(packed).read_all().to_pylist()]


def label_counts(packed: bytes) -> Counter:
    """(canonical, label) -> mentions in one pack, read from two of its columns without making rows.

    Counted in Python: Arrow's group_by costs memory of its own (its compute pool and threads): over
    300 packs it held 16 MB more than a Counter, in a stage that runs beside the model it follows."""
    table = pa.ipc.open_stream(packed).read_all()
    return Counter(zip(table["canonical"].to_pylist(), table["label"].to_pylist(), strict=True))


class PackByShardFn(beam.DoFn):
    """Rows -> (shard, packed rows), a shard's rows packed together in each window."""

    def start_bundle(self):
        self.held: dict[tuple, list[EntityMention]] = {}

    def process(self, row: EntityMention, window=beam.DoFn.WindowParam):
        key = (window, shard(row.canonical))
        rows = self.held.setdefault(key, [])
        rows.append(row)
        if len(rows) >= PACK_ROWS:
            yield self._packed(key, self.held.pop(key))

    def finish_bundle(self):
        for key in list(self.held):
            yield self._packed(key, self.held.pop(key))

    @staticmethod
    def _packed(key, rows) -> WindowedValue:
        window, number = key
        return WindowedValue((number, pack(rows)), window.max_timestamp(), [window])


class RelabelShardFn(beam.DoFn):
    """(shard, packs) -> the shard's rows, each name with the label most of its mentions gave it."""

    def __init__(self):
        self.relabelled = Metrics.counter(STAGE, "relabelled_mentions")

    def setup(self):
        lexicon = Lexicon.shared()
        self.fixed = {alias.name: alias.label for alias in lexicon.aliases.values()}
        self.rank = {label: i for i, label in enumerate(lexicon.label_priority)}

    def process(self, element):
        _, packs = element
        counts = Counter()
        for packed in packs:
            counts.update(label_counts(packed))
        votes = self.votes(counts)
        for packed in packs:
            for row in unpack(packed):
                label = votes.get(row.canonical, row.label)
                if label != row.label:
                    self.relabelled.inc()
                    row = EntityMention(row.article_id, row.published_date, row.canonical, label, row.mention,
                                        entity_id(row.canonical, label))
                yield row

    def votes(self, counts: Counter) -> dict[str, str]:
        """{canonical: label} for names given more than one label (or one the aliases overrule)."""
        by_name: dict[str, Counter] = {}
        for (name, label), n in counts.items():
            by_name.setdefault(name, Counter())[label] = n
        last = len(self.rank)
        return {
            name: self.fixed.get(name) or min(labels, key=lambda lab: (-labels[lab], self.rank.get(lab, last)))
            for name, labels in by_name.items()
            if len(labels) > 1 or (name in self.fixed and self.fixed[name] not in labels)
        }


class VoteLabels(beam.PTransform):
    """Entity rows -> the same rows, each canonical name with the label most of its window gave it."""

    def expand(self, rows):
        return (
            rows
            | "PackByShard" >> beam.ParDo(PackByShardFn())
            | "GroupByShard" >> beam.GroupByKey()
            | "Relabel" >> beam.ParDo(RelabelShardFn())
        )
