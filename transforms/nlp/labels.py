"""Label vote: one label per canonical entity over the run (over each window, in a stream).

The small model calls the same name a PERSON in one article and an ORG or GPE in another; within an
article the entities stage already votes, but a run-wide vote needs every article. The vote is a
step between analysis and writing: labels are counted per window (the whole run in a batch), and
the rows, waiting for the count, are held as compressed Arrow batches rather than one Python
object each (~20 bytes a row instead of ~250: 100k articles give millions of mentions). Names in
the alias table keep the label the table gives them.
"""

from __future__ import annotations

from collections import Counter

import apache_beam as beam
import pyarrow as pa
from apache_beam.metrics import Metrics

from schemas import tables
from schemas.records import EntityMention
from transforms.common import CounterCombineFn
from transforms.nlp.entities import Lexicon
from transforms.nlp.entity_ids import entity_id

STAGE = "labels"
TABLE = "entities"
PACK_ROWS = 5_000


class CountLabels(CounterCombineFn):
    """Entity rows -> {canonical: label} for names given more than one label (or one the aliases overrule)."""

    def add_input(self, counts, row: EntityMention):
        counts[(row.canonical, row.label)] += 1
        return counts

    def extract_output(self, counts):
        lexicon = Lexicon.load()
        fixed = {alias.name: alias.label for alias in lexicon.aliases.values()}
        rank = {label: i for i, label in enumerate(lexicon.label_priority)}
        by_name: dict[str, Counter] = {}
        for (name, label), n in counts.items():
            by_name.setdefault(name, Counter())[label] = n
        return {
            name: fixed.get(name) or min(labels, key=lambda lab: (-labels[lab], rank.get(lab, len(rank))))
            for name, labels in by_name.items() if len(labels) > 1 or (name in fixed and fixed[name] not in labels)
        }


def pack(rows: list[EntityMention]) -> bytes:
    """A batch of rows as one compressed Arrow IPC stream."""
    sink = pa.BufferOutputStream()
    table = tables.to_arrow(TABLE, rows)
    with pa.ipc.new_stream(sink, table.schema, options=pa.ipc.IpcWriteOptions(compression="zstd")) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def unpack(packed: bytes) -> list[EntityMention]:
    return [EntityMention(**row) for row in pa.ipc.open_stream(packed).read_all().to_pylist()]


class RelabelFn(beam.DoFn):
    def __init__(self):
        self.relabelled = Metrics.counter(STAGE, "relabelled_mentions")

    def process(self, packed: bytes, votes: dict):
        for row in unpack(packed):
            label = votes.get(row.canonical, row.label)
            if label != row.label:
                self.relabelled.inc()
                row = EntityMention(row.article_id, row.published_date, row.canonical, label, row.mention,
                                    entity_id(row.canonical, label))
            yield row


class VoteLabels(beam.PTransform):
    """Entity rows -> the same rows, each canonical name with the label most of its window gave it."""

    def expand(self, rows):
        votes = rows | "CountLabels" >> beam.CombineGlobally(CountLabels()).without_defaults()
        return (
            rows
            | "Batch" >> beam.BatchElements(min_batch_size=PACK_ROWS, max_batch_size=PACK_ROWS)
            | "Pack" >> beam.Map(pack)
            | "Relabel" >> beam.ParDo(RelabelFn(), beam.pvalue.AsSingleton(votes, default_value={}))
        )
