"""Streaming stages: poll feeds on a clock, let each item through once, mark copies of recent stories.

- PollFeeds: a PeriodicImpulse fires every `poll_interval` seconds; each firing fetches every feed
  (conditional GETs, so an unchanged feed costs a 304) and stamps items with the poll's time.
- FirstSighting: a stateful DoFn keyed by item id lets an item through the first time only; an
  event-time timer clears the key after `ttl` seconds, so state stays bounded.
- RecentCopies: marks an item that copies a story seen in the last `ttl` seconds (exact text or
  MinHash LSH band match, verified on shingles), keeping a bounded per-worker index.

Beam's in-process runner runs PeriodicImpulse, but keeps no user state between the impulse's
resumptions (measured on 2.77: a stateful DoFn there saw every item again on every poll), so the
fetching DoFn also remembers recent item ids per worker; on Dataflow or Flink, FirstSighting's state
does the job.
"""

from __future__ import annotations

import collections
import dataclasses
import time

import apache_beam as beam
import numpy as np
from apache_beam.coders import BooleanCoder
from apache_beam.metrics import Metrics
from apache_beam.transforms.periodicsequence import PeriodicImpulse
from apache_beam.transforms.timeutil import TimeDomain
from apache_beam.transforms.userstate import ReadModifyWriteStateSpec, TimerSpec, on_timer
from apache_beam.utils.timestamp import Duration

from schemas.records import Article, DeadLetter, Document
from transforms import minhash
from transforms.common import DEAD_LETTER, worker_resource
from transforms.feeds import FetchFeedsFn
from transforms.fetch import Fetcher, FetchOptions

STAGE = "stream"
DEFAULT_TTL = 3 * 24 * 3600  # an item or story is "recent" for three days


class _Recent:
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


class PollFeedsFn(FetchFeedsFn):
    """One clock tick -> every feed fetched at once (each within the fetch deadline), items stamped
    with the tick's time; items this worker sent recently are skipped."""

    def __init__(self, feeds: list[str], options: FetchOptions, ttl: float, refused: tuple[DeadLetter, ...] = ()):
        super().__init__(options)
        self.feeds, self.ttl, self.refused = feeds, ttl, refused
        self.repeated_items = Metrics.counter(STAGE, "repeated_items")

    def setup(self):
        # Kept per worker process across pipeline runs: `newsbeam stream` restarts its pipeline in segments.
        key = tuple(self.feeds)
        self.fetcher = worker_resource(("fetcher", key), lambda: Fetcher(self.options))
        self.sent = worker_resource(("sent", key), lambda: _Recent(self.ttl))
        self.reported = worker_resource(("refused-reported", key), lambda: [False])

    def process(self, tick, timestamp=beam.DoFn.TimestampParam):
        now = time.time()
        if self.refused and not self.reported[0]:  # feed list entries that cannot be fetched, said once
            self.reported[0] = True
            for dead in self.refused:
                yield beam.pvalue.TaggedOutput(DEAD_LETTER, dead)
        for output in self.fetch(self.fetcher, self.feeds, set()):
            if isinstance(output, Document):
                if self.sent.get(output.article_id, now):
                    self.repeated_items.inc()
                    continue
                self.sent.add(output.article_id, True, now)
                yield beam.window.TimestampedValue(output, timestamp)
            else:
                yield output


class PollFeeds(beam.PTransform):
    """Every `interval` seconds until `stop` (unix time), fetch every feed; outputs `documents`, `dead_letter`."""

    def __init__(self, feeds: list[str], interval: float, stop: float, options: FetchOptions, ttl: float,
                 refused: tuple[DeadLetter, ...] = ()):
        super().__init__()
        self.feeds, self.interval, self.stop, self.options, self.ttl = feeds, interval, stop, options, ttl
        self.refused = refused

    def expand(self, pipeline):
        return (
            pipeline
            | "Clock" >> PeriodicImpulse(start_timestamp=time.time(), stop_timestamp=self.stop,
                                         fire_interval=self.interval)
            | "Fetch" >> beam.ParDo(PollFeedsFn(self.feeds, self.options, self.ttl, self.refused)).with_outputs(
                DEAD_LETTER, main="documents")
        )


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


class RecentCopiesFn(beam.DoFn):
    """Marks an article that copies one seen in the last `ttl` seconds on this worker."""

    def __init__(self, params: minhash.Params, ttl: float):
        self.params, self.ttl = params, ttl
        self.copies = Metrics.counter(STAGE, "copies_of_recent_stories")

    def setup(self):
        self.hasher = minhash.MinHasher(self.params)
        self.keys = worker_resource(("recent-keys", self.params), lambda: _Recent(self.ttl, limit=2_000_000))
        self.sketches = worker_resource(("recent-sketches", self.params), lambda: _Recent(self.ttl))

    def process(self, article: Article):
        now = time.time()
        normalised = minhash.normalise(article.text)
        shingles = np.unique(minhash.shingle_hashes(normalised, self.params.shingle_words))
        keys = [f"exact:{minhash.exact_key(normalised)}", *self.hasher.band_keys(self.hasher.signature(shingles))]
        original = None
        for key in keys:
            candidate = self.keys.get(key, now)
            sketch = self.sketches.get(candidate, now) if candidate and candidate != article.article_id else None
            if sketch is not None:
                jaccard, containment = minhash.overlap(shingles, sketch)
                if jaccard >= self.params.jaccard or containment >= self.params.containment:
                    original = candidate
                    break
        if original is None:
            self.sketches.add(article.article_id, shingles, now)
            for key in keys:
                self.keys.add(key, article.article_id, now)
            yield dataclasses.replace(article, story_id=article.article_id)
        else:
            self.copies.inc()
            yield dataclasses.replace(article, is_duplicate=True, duplicate_of=original, story_id=original)
