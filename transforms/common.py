"""What every stage shares: the dead-letter output tag and loading of packaged data files."""

from __future__ import annotations

import functools
import logging
import threading
import time
import tomllib
from collections import Counter
from importlib import resources

import apache_beam as beam
from apache_beam.metrics import Metrics

from schemas import tables

DEAD_LETTER = tables.DEAD_LETTER  # the output tag every stage sends bad input to
LOG = logging.getLogger("newsbeam")


class CounterCombineFn(beam.CombineFn):
    """A CombineFn whose accumulator is a Counter; subclasses say what to count and what to extract."""

    def create_accumulator(self):
        return Counter()

    def merge_accumulators(self, accumulators):
        merged = Counter()
        for counts in accumulators:
            merged.update(counts)
        return merged


_WORKER_RESOURCES: dict = {}
_BUILDING = threading.Lock()


def worker_resource(key, build):
    """Built once per worker process and shared by every DoFn instance that asks with the same key.

    Runners may create DoFn instances often (the in-process runner does for every resumption of a
    streaming source), so matchers, lexicons and a stream's memory of feeds live here, not on the
    instance; like the spaCy model (transforms/nlp.py), they are read-only or guarded by their owner.
    """
    with _BUILDING:
        if key not in _WORKER_RESOURCES:
            _WORKER_RESOURCES[key] = build()
        return _WORKER_RESOURCES[key]


def timed(stage: str):
    """Decorates a DoFn's generator `process`: adds the time spent inside it, not in the stages it
    feeds (they run while it is suspended at a yield), to the counter `<stage>.usec`."""

    def decorate(process):
        @functools.wraps(process)
        def wrapper(self, *args, **kwargs):
            counter = Metrics.counter(stage, "usec")
            outputs, spent = process(self, *args, **kwargs), 0.0
            while True:
                started = time.perf_counter()
                try:
                    item = next(outputs)
                except StopIteration:
                    spent += time.perf_counter() - started
                    break
                spent += time.perf_counter() - started
                yield item
            counter.inc(int(spent * 1e6))

        return wrapper

    return decorate


class Progress:
    """Logs every `every` items a worker handles, so that a long run shows it is moving."""

    def __init__(self, stage: str, every: int = 500):
        self.stage, self.every = stage, every
        self.count, self.started = 0, time.monotonic()

    def advance(self, items: int = 1) -> None:
        before, self.count = self.count, self.count + items
        if before // self.every != self.count // self.every:
            rate = self.count / max(time.monotonic() - self.started, 1e-9)
            LOG.info("%s: %d articles on this worker (%.1f/s)", self.stage, self.count, rate)


@functools.cache
def load_data(name: str) -> dict:
    """Reads a TOML data file shipped in transforms/data (lexicons, taxonomies, aliases)."""
    with resources.files("transforms").joinpath("data", name).open("rb") as handle:
        return tomllib.load(handle)
