"""Polling feeds on a clock (a stream's source): each new item once, stamped with its poll's time.

- PollFeeds: every `interval` seconds, fetch every feed (conditional GETs, so an unchanged feed
  costs a 304) and stamp the new items with the poll's time. On Flink or Dataflow the clock is a
  PeriodicImpulse; on the in-process runner, which runs the stages after a source only once the
  source has stopped, `newsbeam stream` runs one bounded pipeline per window and the clock is a
  loop that ends with the window (or when a stop is requested: `request_stop`).
- The stream's memory is its output: item ids come back from the `articles` table, feed
  validators (ETag, Last-Modified) from `.newsbeam/feeds.json`, written with each window. A
  restart, kill -9 included, writes no item twice and resumes conditional GETs.
- FirstSighting: a stateful DoFn keyed by item id lets an item through once per `ttl`, for
  runners with several workers (each poller remembers only what it sent).
"""

from __future__ import annotations

import collections
import glob
import json
import os
import threading
import time

import apache_beam as beam
from apache_beam.coders import BooleanCoder
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics
from apache_beam.transforms.periodicsequence import PeriodicImpulse
from apache_beam.transforms.timeutil import TimeDomain
from apache_beam.transforms.userstate import ReadModifyWriteStateSpec, TimerSpec, on_timer
from apache_beam.utils.timestamp import Duration, Timestamp

from schemas import tables
from schemas.records import DeadLetter, Document
from transforms.common import DEAD_LETTER, LOG, CounterCombineFn, worker_resource
from transforms.sources.feeds import FetchFeedsFn, unique_feeds
from transforms.sources.fetch import Fetcher, FetchOptions, UrlState, normalise_url

STAGE = "stream"
DEFAULT_TTL = 3 * 24 * 3600  # an item or story is "recent" for three days
VALIDATORS = "validators"  # PollFeeds' output of (feed, etag, last-modified), saved with each window
_STOP = threading.Event()


def request_stop() -> None:
    """Ends the polling loop of this process after its current poll; the window is then written."""
    _STOP.set()


def clear_stop() -> None:
    _STOP.clear()


def stop_requested() -> bool:
    return _STOP.is_set()


class Recent:
    """Keys remembered for `ttl` seconds, oldest dropped first; memory bounded by `limit`."""

    def __init__(self, ttl: float, limit: int = 200_000):
        self.ttl, self.limit = ttl, limit
        self.keys: collections.OrderedDict = collections.OrderedDict()

    def add(self, key, value, now: float) -> None:
        self.keys[key] = (value, now)
        self.keys.move_to_end(key)
        while self.keys and (len(self.keys) > self.limit or now - next(iter(self.keys.values()))[1] > self.ttl):
            self.keys.popitem(last=False)

    def get(self, key, now: float):
        found = self.keys.get(key)
        return found[0] if found and now - found[1] <= self.ttl else None


# --- the output as memory -------------------------------------------------------------------------

def _parquet(output: str, table: str) -> str | None:
    """DuckDB's glob of a table's files, or None when the table has none yet (local outputs only)."""
    pattern = os.path.join(glob.escape(output), table, "**", "*.parquet")
    return pattern if "://" not in output and glob.glob(pattern, recursive=True) else None


def written_ids(output: str) -> list[str]:
    """Ids of the articles a stream already wrote to `output`."""
    import duckdb

    pattern = _parquet(output, tables.ARTICLES)
    if pattern is None:
        return []
    return [row[0] for row in duckdb.sql(f"SELECT article_id FROM read_parquet('{pattern}')").fetchall()]


def validators_path(output: str) -> str:
    return FileSystems.join(output, tables.STATE_FOLDER, tables.FEED_VALIDATORS)


def load_validators(output: str) -> dict[str, tuple[str | None, str | None]]:
    try:
        with FileSystems.open(validators_path(output)) as handle:
            return {url: tuple(pair) for url, pair in json.loads(handle.read()).items()}
    except Exception:  # noqa: BLE001 - no file, or a damaged one: the feeds are fetched in full once
        return {}


# --- polling --------------------------------------------------------------------------------------

class PollFeedsFn(FetchFeedsFn):
    """One clock tick -> every feed fetched at once (each within the fetch deadline), new items
    stamped with the tick's time; items this worker sent, or the output holds, are skipped."""

    def __init__(self, feeds: list[str], options: FetchOptions, ttl: float, refused: tuple[DeadLetter, ...] = (),
                 memory: str | None = None):
        super().__init__(options)
        self.feeds, self.ttl, self.refused, self.memory = feeds, ttl, refused, memory
        self.repeated_items = Metrics.counter(STAGE, "repeated_items")
        self.polls = Metrics.counter(STAGE, "polls")

    def setup(self):
        # Kept per worker process across pipeline runs: `newsbeam stream` runs a pipeline per window.
        key = (tuple(self.feeds), self.memory)
        self.fetcher = worker_resource(("fetcher", key), self._remembered_fetcher)
        self.sent = worker_resource(("sent", key), self._remembered_items)
        self.reported = worker_resource(("refused-reported", key), lambda: [False])

    def _remembered_fetcher(self) -> Fetcher:
        fetcher = Fetcher(self.options)
        for url, (etag, modified) in (load_validators(self.memory) if self.memory else {}).items():
            fetcher.states[url] = UrlState(etag=etag, modified=modified)
        return fetcher

    def _remembered_items(self) -> Recent:
        sent, now = Recent(self.ttl, limit=2_000_000), time.time()
        for article_id in written_ids(self.memory) if self.memory else ():
            sent.add(article_id, True, now)
        return sent

    def process(self, tick, timestamp=beam.DoFn.TimestampParam):
        yield from self.poll(timestamp)

    def poll(self, timestamp):
        now = time.time()
        self.polls.inc()
        if self.refused and not self.reported[0]:  # feed list entries that cannot be fetched, said once
            self.reported[0] = True
            for dead in self.refused:
                yield beam.pvalue.TaggedOutput(DEAD_LETTER, beam.window.TimestampedValue(dead, timestamp))
        new = 0
        for output in self.fetch(self.fetcher, self.feeds, set()):
            if isinstance(output, Document):
                if self.sent.get(output.article_id, now):
                    self.repeated_items.inc()
                    continue
                self.sent.add(output.article_id, True, now)
                new += 1
                yield beam.window.TimestampedValue(output, timestamp)
            else:
                yield beam.pvalue.TaggedOutput(DEAD_LETTER, beam.window.TimestampedValue(output.value, timestamp))
        for url in unique_feeds(self.feeds):
            state = self.fetcher.states.get(normalise_url(url))
            if state is not None and (state.etag or state.modified):
                pair = (normalise_url(url), state.etag, state.modified)
                yield beam.pvalue.TaggedOutput(VALIDATORS, beam.window.TimestampedValue(pair, timestamp))
        LOG.info("poll %s: %d new item%s; %d feed%s unchanged, %d failed", time.strftime("%H:%M:%S"), new,
                 "" if new == 1 else "s", self.tally["unchanged"], "" if self.tally["unchanged"] == 1 else "s",
                 self.tally["failed"])


class PollLoopFn(PollFeedsFn):
    """The in-process clock: one element, the stream's end; polls every `interval` until the end of
    the window of its first poll (or the stream's end, or a stop request): one window per pipeline."""

    def __init__(self, *args, interval: float, window: float, **kwargs):
        super().__init__(*args, **kwargs)
        self.interval, self.window = interval, window

    def process(self, end: float):
        stop = end
        while not stop_requested():
            started = time.time()
            stop = min(stop, (started // self.window + 1) * self.window)
            yield from self.poll(Timestamp.of(started))
            # Waits for the next poll, or for the window's end: the next window's pipeline polls first.
            if _STOP.wait(max(0.0, min(started + self.interval, stop) - time.time())) or time.time() >= stop:
                break


class PollFeeds(beam.PTransform):
    """Every `interval` seconds until `stop` (unix time), fetch every feed; outputs `documents`,
    `dead_letter` and VALIDATORS. With `window` (seconds), the in-process loop polls one window's
    worth and stops, instead of a PeriodicImpulse."""

    def __init__(self, feeds: list[str], interval: float, stop: float, options: FetchOptions, ttl: float,
                 refused: tuple[DeadLetter, ...] = (), memory: str | None = None, window: float | None = None):
        super().__init__()
        self.feeds, self.interval, self.stop, self.options, self.ttl = feeds, interval, stop, options, ttl
        self.refused, self.memory, self.window = refused, memory, window

    def expand(self, pipeline):
        args = (self.feeds, self.options, self.ttl, self.refused, self.memory)
        if self.window:
            clock = pipeline | "Clock" >> beam.Create([self.stop])
            poll = PollLoopFn(*args, interval=self.interval, window=self.window)
        else:
            clock = pipeline | "Clock" >> PeriodicImpulse(start_timestamp=time.time(), stop_timestamp=self.stop,
                                                          fire_interval=self.interval)
            poll = PollFeedsFn(*args)
        return clock | "Fetch" >> beam.ParDo(poll).with_outputs(DEAD_LETTER, VALIDATORS, main="documents")


class LatestValidators(CounterCombineFn):
    """(feed, etag, last-modified) of a window's polls -> {feed: [etag, last-modified]}, the latest each."""

    def add_input(self, latest, pair):
        latest[pair[0]] = pair[1:]
        return latest

    def merge_accumulators(self, accumulators):
        merged = {}
        for latest in accumulators:
            merged.update(latest)
        return merged

    def extract_output(self, latest):
        return dict(latest)


def write_validators(validators: dict, output: str):
    """Writes `.newsbeam/feeds.json`; with the window's tables it is committed at once (pipelines/output.py)."""
    merged = {**load_validators(output), **validators}
    path = validators_path(output)
    with FileSystems.create(path) as handle:
        handle.write(json.dumps(merged, sort_keys=True).encode("utf-8"))
    yield path


class SaveValidators(beam.PTransform):
    def __init__(self, output: str):
        super().__init__()
        self.output = output

    def expand(self, validators):
        return (validators
                | "Latest" >> beam.CombineGlobally(LatestValidators()).without_defaults()
                | "Save" >> beam.FlatMap(write_validators, self.output))


# --- once per item -----------------------------------------------------

class FirstSightingFn(beam.DoFn):
    """(item id, Document) -> the Document the first time its id is seen within `ttl` seconds."""

    SEEN = ReadModifyWriteStateSpec("seen", BooleanCoder())
    EXPIRY = TimerSpec("expiry", TimeDomain.WATERMARK)

    def __init__(self, ttl: float = DEFAULT_TTL):
        self.ttl = ttl
        self.repeated = Metrics.counter(STAGE, "repeated_items")

    def process(self, keyed, timestamp=beam.DoFn.TimestampParam, seen=beam.DoFn.StateParam(SEEN),
                expiry=beam.DoFn.TimerParam(EXPIRY)):
        if seen.read():
            self.repeated.inc()
            return
        seen.write(True)
        expiry.set(timestamp + Duration(seconds=self.ttl))
        yield keyed[1]

    @on_timer(EXPIRY)
    def forget(self, seen=beam.DoFn.StateParam(SEEN)):
        seen.clear()


class FirstSighting(beam.PTransform):
    def __init__(self, ttl: float = DEFAULT_TTL):
        super().__init__()
        self.ttl = ttl

    def expand(self, documents):
        return (documents
                | "ById" >> beam.Map(lambda d: (d.article_id, d)).with_output_types(beam.typehints.KV[str, Document])
                | "Once" >> beam.ParDo(FirstSightingFn(self.ttl)))
