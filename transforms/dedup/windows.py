"""A stream's windows: copies of earlier windows marked, each window released whole.

- RecentCopiesFn: marks an article that copies a story of an earlier window, with dedup's own
  fingerprint and copy check (copies within a window are dedup's, in transforms/enrich.py); the
  recent stories' fingerprints come back from the recent windows' articles in the output.
- WholeWindows: holds a window's articles until the window has closed, so that enrichment's side
  inputs (copies, stories, document frequencies: all computed from the same window) are complete.
- RememberStoriesFn: a window's canonical articles join the index for the windows after it.
"""

from __future__ import annotations

import dataclasses
import threading
import time

import apache_beam as beam
from apache_beam.metrics import Metrics

from schemas import tables
from schemas.records import Article
from transforms.common import worker_resource
from transforms.dedup.duplicates import fingerprint, is_copy, minhash
from transforms.sources.poll import Recent, _parquet

STAGE = "stream"


def recent_articles(output: str, since: float) -> list[tuple[Article, float]]:
    """The canonical articles of windows that started after `since`, with their window's start."""
    import duckdb

    pattern = _parquet(output, tables.ARTICLES)
    if pattern is None:
        return []
    cutoff = tables.window_value(since)
    rows = duckdb.sql(
        f"SELECT article_id, source, published_date, text, {tables.WINDOW_COLUMN} FROM read_parquet('{pattern}', "
        f"hive_partitioning = true, hive_types_autocast = false) "
        f"WHERE NOT is_duplicate AND {tables.WINDOW_COLUMN} >= '{cutoff}' ORDER BY ALL").fetchall()
    return [(Article(article_id, source, None, day, "", None, text), _window_start(window))
            for article_id, source, day, text, window in rows]


def _window_start(value: str) -> float:
    import datetime

    return datetime.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.UTC).timestamp()


class _StoryIndex:
    """Keys and sketches of recent stories, each with the start of the window it was written in."""

    def __init__(self, params: minhash.Params, ttl: float):
        self.params, self.hasher = params, minhash.MinHasher(params)
        self.keys, self.sketches = Recent(ttl, limit=2_000_000), Recent(ttl)
        self.lock = threading.Lock()

    def add(self, article: Article, window_start: float) -> None:
        keys, sketch = fingerprint(article, self.params, self.hasher)
        with self.lock:
            self.sketches.add(article.article_id, (sketch, window_start), window_start)
            for key in keys:
                self.keys.add(key, article.article_id, window_start)

    def original(self, article: Article, window_start: float) -> str | None:
        """The id of an earlier window's article that this one copies, if any."""
        keys, sketch = fingerprint(article, self.params, self.hasher)
        with self.lock:
            for key in sorted(keys):
                candidate = self.keys.get(key, window_start)
                found = self.sketches.get(candidate, window_start) if candidate else None
                if found and found[1] < window_start and is_copy(self.params, sketch, found[0]):
                    return candidate
        return None


class _IndexFn(beam.DoFn):
    """Holds the worker's index of recent stories, rebuilt from the output's recent windows at start."""

    def __init__(self, params: minhash.Params, ttl: float, memory: str | None = None):
        self.params, self.ttl, self.memory = params, ttl, memory

    def setup(self):
        self.index = worker_resource(("recent-stories", self.params, self.memory), self._remembered)

    def _remembered(self) -> _StoryIndex:
        index = _StoryIndex(self.params, self.ttl)
        for article, window_start in recent_articles(self.memory, time.time() - self.ttl) if self.memory else ():
            index.add(article, window_start)
        return index


def _start(window) -> float:
    return float(window.start) if isinstance(window, beam.window.IntervalWindow) else 0.0


class RecentCopiesFn(_IndexFn):
    """Windowed Article -> the same Article, marked as a copy when it repeats an earlier window's story."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.copies = Metrics.counter(STAGE, "copies_of_earlier_windows")

    def process(self, article: Article, window=beam.DoFn.WindowParam):
        original = self.index.original(article, _start(window))
        if original is None:
            yield article
        else:
            self.copies.inc()
            yield dataclasses.replace(article, is_duplicate=True, duplicate_of=original, story_id=original)


class WholeWindows(beam.PTransform):
    """Windowed articles -> the same articles, released together once their window has closed.

    Enrichment reads some of what it finds in a window (name frequencies, the window's full names)
    as side inputs of the articles of that same window. The Beam model blocks a main input until its window's side
    input is ready; Prism (2.77) only waits until the side input's watermark reaches the main
    input's upstream watermark, which can sit at the articles' own timestamp while more articles
    of the window are pending (a poll's items all carry its tick), and then hands over an empty
    side input. Released by a GroupByKey, a window's articles come at once, stamped with its end,
    and every watermark after them is past it. On runners that honour the model this costs one
    shuffle of a window's articles, which wait for the window's side inputs anyway.
    """

    def expand(self, articles):
        return (articles
                | "ById" >> beam.Map(lambda article: (article.article_id, article))
                | "UntilClosed" >> beam.GroupByKey()
                | "Release" >> beam.FlatMap(lambda keyed: keyed[1]))


class RememberStoriesFn(_IndexFn):
    """A window's articles, marked by dedup -> its canonical copies join the index for later windows
    (a copy within the window is not indexed: a later copy is marked with the canonical's id)."""

    def process(self, article: Article, window=beam.DoFn.WindowParam):
        if not article.is_duplicate:
            self.index.add(article, _start(window))
        yield from ()
