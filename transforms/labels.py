"""Label voting over the whole run: one label per canonical entity.

The small model calls the same name a PERSON in one article and an ORG or GPE in another; within an
article the entities stage already votes, but a run-wide vote needs every article. Entity rows are
therefore written to a staging folder first; the vote counts labels file by file (pyarrow, no row
ever becomes a Beam element again), and each staged file is rewritten with the voted labels into
the table's folder. Names in the alias table keep the label the table gives them.
"""

from __future__ import annotations

from collections import Counter

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from schemas import tables
from transforms.common import CounterCombineFn
from transforms.entities import Lexicon
from transforms.write import remove, write_parquet

STAGE = "labels"
STAGING = ".staging"


def _read(path: str) -> pa.Table:
    with FileSystems.open(path) as handle:
        return pq.read_table(handle)


class CountLabels(CounterCombineFn):
    """Staged entity files -> {canonical: label} for names the run gives more than one label."""

    def add_input(self, counts, path):
        table = _read(path).select(["canonical", "label"])
        for row in table.group_by(["canonical", "label"]).aggregate([("label", "count")]).to_pylist():
            counts[(row["canonical"], row["label"])] += row["label_count"]
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


class RewriteFn(beam.DoFn):
    def __init__(self, output: str):
        self.output = output
        self.relabelled = Metrics.counter(STAGE, "relabelled_mentions")

    def process(self, staged: str, votes: dict):
        table = _read(staged)
        if votes and table.num_rows:
            labels = table.column("label").to_pylist()
            names = table.column("canonical").to_pylist()
            voted = [votes.get(name, label) for name, label in zip(names, labels, strict=True)]
            self.relabelled.inc(sum(a != b for a, b in zip(labels, voted, strict=True)))
            table = table.set_column(table.schema.get_field_index("label"), "label", pa.array(voted, pa.string()))
        folder = FileSystems.split(staged)[0]
        partition = FileSystems.split(folder)[1]
        directory = FileSystems.join(self.output, "entities")
        if partition.startswith(f"{tables.PARTITION_COLUMN}="):
            directory = FileSystems.join(directory, partition)
        yield write_parquet(directory, table.cast(tables.arrow_schema("entities")))
        remove(staged)


def _remove_staging(_count: int, output: str):
    remove(FileSystems.join(output, STAGING))
    yield from ()


class VoteLabels(beam.PTransform):
    """Paths of staged entity files -> paths of the final entity files, labels voted over the run."""

    def __init__(self, output: str):
        super().__init__()
        self.output = output

    def expand(self, staged):
        votes = staged | "CountLabels" >> beam.CombineGlobally(CountLabels())
        final = staged | "Rewrite" >> beam.ParDo(RewriteFn(self.output), beam.pvalue.AsSingleton(votes))
        _ = (final
             | "CountRewritten" >> beam.combiners.Count.Globally()
             | "RemoveStaging" >> beam.FlatMap(_remove_staging, self.output))
        return final


def staging_output(output: str) -> str:
    return FileSystems.join(output, STAGING)

