"""Streaming pipeline: poll RSS/Atom feeds and write each window of new items as Parquet.

    poll feeds -> first sighting -> clean -> window -> copies of earlier windows -> whole windows
        -> enrich (language, copies, stories, entities, topics, statuses, label vote)
        -> Parquet under DIR/<table>/window_start=START/

    newsbeam stream --feeds feeds.txt --output live --poll-interval 60 --window 300
    newsbeam stream --feeds https://example.com/rss --output live --duration 40

After the poll, a window goes through the batch run's own enrichment (transforms/enrich.py), so
the same items give the same rows either way. On the in-process runner `newsbeam stream` runs
this pipeline once per window (`bounded`) and commits each window's files at once; on Flink or
Dataflow one unbounded pipeline runs until stopped.
"""

from __future__ import annotations

import dataclasses
import datetime
import time

import apache_beam as beam

from schemas.records import DeadLetter
from schemas.tables import ARTICLES
from transforms.clean import CleanArticles
from transforms.common import DEAD_LETTER
from transforms.enrich import Enrich
from transforms.fetch import FetchOptions
from transforms.minhash import Params
from transforms.pages import PAGE_OPTIONS, STREAM_RETRIES, FollowLinks
from transforms.stream import (
    DEFAULT_TTL,
    VALIDATORS,
    FirstSighting,
    PollFeeds,
    RecentCopiesFn,
    RememberStoriesFn,
    SaveValidators,
    WholeWindows,
)
from transforms.write import WriteTables


@dataclasses.dataclass(frozen=True)
class StreamConfig:
    feeds: list[str]
    output: str  # where this pipeline writes: a window's staging folder, on the in-process runner
    model: str
    reference_date: datetime.date
    poll_interval: float = 60.0
    window: float = 300.0
    duration: float | None = None  # seconds; None runs until stopped
    ttl: float = DEFAULT_TTL
    fetch: FetchOptions = dataclasses.field(default_factory=FetchOptions)
    dedup: Params = dataclasses.field(default_factory=Params)
    feed_errors: list[DeadLetter] = dataclasses.field(default_factory=list)  # feed list entries refused
    memory: str | None = None  # the stream's output folder, read back at start; None: `output`
    bounded: bool = False  # poll one window's worth, then finish (the in-process runner's way)
    follow_links: bool = False  # fetch each new item's article page
    pages: FetchOptions = PAGE_OPTIONS

    @property
    def stop(self) -> float:
        # PeriodicImpulse needs an end; "until stopped" is a hundred years.
        return time.time() + (self.duration if self.duration is not None else 100 * 365 * 24 * 3600)


def keep_runner_metrics_bounded() -> None:
    """Beam 2.77's in-process runner merges each bundle's metrics into a lazy generator wrapping the
    previous one, so a stream keeps every bundle's metrics alive (memory grew ~8 MB per poll with
    this pipeline) and reading them at the end overflows the recursion limit. Merging eagerly into a
    list keeps one set of metrics."""
    from apache_beam.metrics import monitoring_infos
    from apache_beam.runners.portability.fn_api_runner import fn_runner

    if hasattr(fn_runner, "consolidate_monitoring_infos"):
        fn_runner.consolidate_monitoring_infos = lambda *args, **kwargs: list(
            monitoring_infos.consolidate(*args, **kwargs))


def build(pipeline: beam.Pipeline, config: StreamConfig):
    """Adds every stage to `pipeline`; returns the PCollection of written file paths."""
    memory = config.memory or config.output
    polled = pipeline | "PollFeeds" >> PollFeeds(config.feeds, config.poll_interval, config.stop, config.fetch,
                                                config.ttl, tuple(config.feed_errors), memory,
                                                config.window if config.bounded else None)
    # Windows are set on the items: stages that batch (pages, NLP) stamp batches with their window's end.
    items = (polled.documents
             | "FirstSighting" >> FirstSighting(config.ttl)
             | "Window" >> beam.WindowInto(beam.window.FixedWindows(config.window)))
    page_dead = []
    if config.follow_links:  # new items only: a page is fetched once across polls and restarts
        paged = items | "FollowLinks" >> FollowLinks(config.pages, retries=STREAM_RETRIES)
        items, page_dead = paged.documents, [paged[DEAD_LETTER]]
    cleaned = items | "Clean" >> CleanArticles(config.reference_date)
    articles = cleaned.articles | "CopiesOfEarlierWindows" >> beam.ParDo(
        RecentCopiesFn(config.dedup, config.ttl, memory))
    whole = articles | "WholeWindows" >> WholeWindows()
    rows = whole | "Enrich" >> Enrich(config.model, config.dedup)
    _ = rows[ARTICLES] | "RememberStories" >> beam.ParDo(RememberStoriesFn(config.dedup, config.ttl, memory))
    poll_dead = polled[DEAD_LETTER] | "WindowDeadLetter" >> beam.WindowInto(beam.window.FixedWindows(config.window))
    dead = (poll_dead, *page_dead, cleaned[DEAD_LETTER], rows[DEAD_LETTER])
    rows[DEAD_LETTER] = dead | "DeadLetter" >> beam.Flatten()
    _ = (polled[VALIDATORS]
         | "WindowValidators" >> beam.WindowInto(beam.window.FixedWindows(config.window))
         | "SaveValidators" >> SaveValidators(config.output))
    return rows | "Write" >> WriteTables(config.output, streaming=True)
