"""Streaming pipeline: poll RSS/Atom feeds and write windowed Parquet until stopped.

    poll feeds -> first sighting -> clean -> language -> copies of recent stories -> window
        -> entities / topics / statuses -> Parquet under DIR/<table>/window=START/

    newsbeam stream --feeds feeds.txt --output live --poll-interval 60 --window 300
    newsbeam stream --feeds https://example.com/rss --output live --duration 40

Every item appears once: the fetcher makes conditional GETs and remembers what it sent, and a
stateful DoFn keyed by item id (FirstSighting) drops repeats on runners that keep user state.
Files appear complete or not at all (temporary name, then rename), so `newsbeam query` works on
the output while the stream runs. `--duration` stops it cleanly; so does Ctrl-C.
"""

from __future__ import annotations

import dataclasses
import datetime
import time

import apache_beam as beam

from schemas.records import DeadLetter
from transforms.analyse import AnalyseArticles, table_rows
from transforms.clean import CleanArticles
from transforms.common import DEAD_LETTER
from transforms.fetch import FetchOptions
from transforms.language import DetectLanguage
from transforms.minhash import Params
from transforms.stream import DEFAULT_TTL, FirstSighting, PollFeeds, RecentCopiesFn
from transforms.write import WriteTables


@dataclasses.dataclass(frozen=True)
class StreamConfig:
    feeds: list[str]
    output: str
    model: str
    reference_date: datetime.date
    poll_interval: float = 60.0
    window: float = 300.0
    duration: float | None = None  # seconds; None runs until stopped
    ttl: float = DEFAULT_TTL
    fetch: FetchOptions = dataclasses.field(default_factory=FetchOptions)
    dedup: Params = dataclasses.field(default_factory=Params)
    feed_errors: list[DeadLetter] = dataclasses.field(default_factory=list)  # feed list entries refused

    @property
    def stop(self) -> float:
        # PeriodicImpulse needs an end; "until stopped" is a hundred years.
        return time.time() + (self.duration if self.duration is not None else 100 * 365 * 24 * 3600)


def keep_runner_metrics_bounded() -> None:
    """Beam 2.77's in-process runner merges each bundle's metrics into a lazy generator wrapping the
    previous one, so a stream keeps every bundle's metrics alive (memory grew ~8 MB per poll with
    this pipeline) and reading them at the end overflows the recursion limit. Merging eagerly into a
    list keeps one set of metrics. Only the stream needs this: a batch run has few bundles."""
    from apache_beam.metrics import monitoring_infos
    from apache_beam.runners.portability.fn_api_runner import fn_runner

    if hasattr(fn_runner, "consolidate_monitoring_infos"):
        fn_runner.consolidate_monitoring_infos = lambda *args, **kwargs: list(
            monitoring_infos.consolidate(*args, **kwargs))


def build(pipeline: beam.Pipeline, config: StreamConfig):
    polled = pipeline | "PollFeeds" >> PollFeeds(config.feeds, config.poll_interval, config.stop, config.fetch,
                                                config.ttl, tuple(config.feed_errors))
    cleaned = polled.documents | "FirstSighting" >> FirstSighting(config.ttl) | "Clean" >> CleanArticles(
        config.reference_date)
    # Windows are set before NLP: its batching stamps batches with their window's end.
    articles = (
        cleaned.articles
        | "DetectLanguage" >> DetectLanguage()
        | "RecentCopies" >> beam.ParDo(RecentCopiesFn(config.dedup, config.ttl))
        | "Window" >> beam.WindowInto(beam.window.FixedWindows(config.window))
    )
    unique = articles | "Canonical" >> beam.Filter(lambda a: not a.is_duplicate)
    analysed = unique | "Analyse" >> AnalyseArticles(config.model)
    early_dead = ((polled[DEAD_LETTER], cleaned[DEAD_LETTER])
                  | "EarlyDeadLetter" >> beam.Flatten()
                  | "WindowDeadLetter" >> beam.WindowInto(beam.window.FixedWindows(config.window)))
    dead_letter = (early_dead, analysed[DEAD_LETTER]) | "DeadLetter" >> beam.Flatten()
    return {
        "articles": articles,
        **table_rows(analysed),
        "dead_letter": dead_letter,
    } | "Write" >> WriteTables(config.output, streaming=True)
