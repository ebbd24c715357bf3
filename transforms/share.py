"""Share NLP rows of a story's canonical article with its duplicates.

NLP runs once per duplicate group (on the canonical copy); every copy still counts as an article in
per-article trends, so each row is repeated for each copy with the copy's id and date. The copies
reach the workers as a side input (a map from canonical id to its copies, as large as the number of
copies), so the NLP rows themselves need no shuffle.
"""

from __future__ import annotations

import dataclasses

import apache_beam as beam
from apache_beam.metrics import Metrics

STAGE = "share"


class CopiesByCanonical(beam.PTransform):
    """Articles to (canonical id, (copy id, copy date)) for every duplicate."""

    def expand(self, articles):
        return (articles
                | "Copies" >> beam.Filter(lambda a: a.is_duplicate)
                | "ByCanonical" >> beam.Map(lambda a: (a.duplicate_of, (a.article_id, a.published_date))))


class _RepeatForCopies(beam.DoFn):
    def __init__(self):
        self.shared = Metrics.counter(STAGE, "rows_shared_with_copies")

    def process(self, row, copies):
        yield row
        for article_id, published_date in copies[row.article_id]:
            self.shared.inc()
            yield dataclasses.replace(row, article_id=article_id, published_date=published_date)


class ShareWithCopies(beam.PTransform):
    """Rows of canonical articles in; the same rows plus one per copy of their article out."""

    def __init__(self, copies):
        super().__init__()
        self.copies = copies

    def expand(self, rows):
        return rows | "RepeatForCopies" >> beam.ParDo(_RepeatForCopies(), beam.pvalue.AsMultiMap(self.copies))
