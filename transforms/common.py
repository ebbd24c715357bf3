"""What every stage shares: the dead-letter output tag and loading of packaged data files."""

from __future__ import annotations

import ctypes
import functools
import inspect
import logging
import os
import pathlib
import threading
import time
import tomllib
import unicodedata
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


class Carrying(beam.DoFn):
    """Runs `fn` on the value of (carried, value) pairs and pairs each of its outputs with what was carried.

    Small data (an article's findings) can ride beside an element through stages fused with each
    other, where a keyed join after them would move the elements again. Tagged outputs (dead
    letters) pass as `fn` gives them; `fn` may ask for the element's timestamp, nothing else.
    """

    def __init__(self, fn: beam.DoFn):
        self.fn = fn
        self.wants_timestamp = "timestamp" in inspect.signature(fn.process).parameters

    def setup(self):
        self.fn.setup()

    def start_bundle(self):
        self.fn.start_bundle()

    def process(self, pair, timestamp=beam.DoFn.TimestampParam):
        carried, value = pair
        outputs = self.fn.process(value, timestamp=timestamp) if self.wants_timestamp else self.fn.process(value)
        for output in outputs or ():
            yield output if isinstance(output, beam.pvalue.TaggedOutput) else (carried, output)

    def finish_bundle(self):
        if self.fn.finish_bundle() is not None:
            raise TypeError(f"{type(self.fn).__name__} emits in finish_bundle: it cannot be carried")

    def teardown(self):
        self.fn.teardown()


_WORKER_RESOURCES: dict = {}
_BUILDING = threading.RLock()  # reentrant: a resource may be built from others (topics from the subject model)


def worker_resource(key, build):
    """Built once per worker process and shared by every DoFn instance that asks with the same key.

    Runners may create DoFn instances often (the in-process runner does for every resumption of a
    streaming source), so matchers, lexicons and a stream's memory of feeds live here, not on the
    instance; like the spaCy model (transforms/nlp/model.py), they are read-only or guarded by their owner.
    """
    key = (key, os.environ.get(DATA_ENV))  # another data folder, another resource
    with _BUILDING:
        if key not in _WORKER_RESOURCES:
            _WORKER_RESOURCES[key] = build()
        return _WORKER_RESOURCES[key]


def give_back_memory() -> None:
    """Returns the memory the process has freed to the OS (glibc's malloc_trim); nothing elsewhere.

    glibc keeps what a stage frees for the process's next allocations, and a worker runs one stage
    after another: the first read's shuffles, then the model, then the writers. What each left behind
    added up, more with every article: 30k articles held ~130 MB more than 10k when the NLP stage
    began. Called where a stage has let go of its data (a shard reduced, the analyses' end), it costs
    a few milliseconds.
    """
    try:
        _libc().malloc_trim(0)
    except (OSError, AttributeError):
        pass


# glibc's allocator for a worker's long run of stages: two arenas in all rather than up to eight a core
# (each thread's arena keeps what that thread freed), and blocks of 256 KB and more mapped apart, so a
# batch's arrays go back to the OS when freed rather than raising glibc's threshold and staying.
GLIBC_TUNABLES = "glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=262144"
_M_MMAP_THRESHOLD, _M_ARENA_MAX = -3, -8  # mallopt's parameters (malloc.h)


@functools.cache
def tune_allocator() -> None:
    """Sets GLIBC_TUNABLES for this process (what it allocates from now on) and for the worker processes it
    starts (the multi-process runner's, Prism's), unless the user set the variable; nothing elsewhere.
    Arrow's buffers go to glibc too (arrow_on_glibc).

    A worker's RSS grew with the corpus though no stage holds more than a bounded share of it: what each
    thread's arena freed stayed with that arena (bench.pipeline_bench, 30k articles: a worker began the
    NLP stage ~100 MB above a 10k run's). Workers that newsbeam does not start (Dask's, Dataflow's) call
    this in their first setup; `make cluster-up` also sets the variable."""
    arrow_on_glibc()
    if "GLIBC_TUNABLES" in os.environ:  # the user's, or ours: this process started with it
        return
    os.environ["GLIBC_TUNABLES"] = GLIBC_TUNABLES
    try:
        libc = _libc()
        libc.mallopt(_M_ARENA_MAX, 2)
        libc.mallopt(_M_MMAP_THRESHOLD, 256 << 10)
    except (OSError, AttributeError):
        pass


def arrow_on_glibc() -> None:
    """Arrow's buffers from glibc (tuned as above) rather than the mimalloc pool of pyarrow's wheels, for this
    process and the workers it starts, unless the user chose a pool (ARROW_DEFAULT_MEMORY_POOL).

    mimalloc keeps the pages that the writers' and the label vote's tables freed for its own next use,
    where malloc_trim cannot give them back: a 10k run's workers peaked at 589 MB with it, 554 MB without
    (bench.pipeline_bench --workers=2, the same commit and machine)."""
    if "ARROW_DEFAULT_MEMORY_POOL" in os.environ:  # the user's, or ours: read by pyarrow at its first buffer
        return
    os.environ["ARROW_DEFAULT_MEMORY_POOL"] = "system"
    import pyarrow

    pyarrow.set_memory_pool(pyarrow.system_memory_pool())


@functools.cache
def _libc():
    return ctypes.CDLL("libc.so.6")


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


PROGRESS_DIR = "NEWSBEAM_PROGRESS_DIR"  # set by `newsbeam run`; workers (threads or processes) report there


class Progress:
    """A worker's count of items done in one stage, for the run's progress line.

    When the run names a folder (`NEWSBEAM_PROGRESS_DIR`, inherited by worker processes) the count is
    written there at most twice a second, one small file per worker and stage, and `newsbeam run`
    sums them: progress with a total in one process or many. Elsewhere (Dataflow, Flink) a log line
    every `every` items shows the run is moving."""

    def __init__(self, stage: str, every: int = 500):
        self.stage, self.every = stage, every
        self.count, self.started, self.written = 0, time.monotonic(), 0.0
        folder = os.environ.get(PROGRESS_DIR)
        self.path = os.path.join(folder, f"{stage}.{os.getpid()}.{id(self)}") if folder else None

    def advance(self, items: int = 1) -> None:
        before, self.count = self.count, self.count + items
        if self.path is not None:
            now = time.monotonic()
            if now - self.written >= 0.5:
                self.written = now
                self._write()
        elif before // self.every != self.count // self.every:
            rate = self.count / max(time.monotonic() - self.started, 1e-9)
            LOG.info("%s: %d articles on this worker (%.1f/s)", self.stage, self.count, rate)

    def _write(self) -> None:
        try:
            with open(self.path + ".tmp", "w") as handle:
                handle.write(str(self.count))
            os.replace(self.path + ".tmp", self.path)
        except OSError:  # the folder went with the run: progress is only a display
            self.path = None

    def finish(self) -> None:
        if self.path is not None:
            self._write()


def progress_counts(folder: str) -> dict[str, int]:
    """The items done per stage, summed over the workers that reported in `folder`."""
    counts: dict[str, int] = {}
    try:
        names = os.listdir(folder)
    except OSError:
        return counts
    for name in names:
        if name.endswith(".tmp"):
            continue
        try:
            with open(os.path.join(folder, name)) as handle:
                value = int(handle.read() or 0)
        except (OSError, ValueError):
            continue
        stage = name.split(".", 1)[0]
        counts[stage] = counts.get(stage, 0) + value
    return counts


DATA_ENV = "NEWSBEAM_DATA"  # a folder of the user's data files, read before the packaged ones (--data)


def data_dirs() -> tuple:
    """Where data files are looked up, first match wins: the user's folder ($NEWSBEAM_DATA), then the
    files packaged in transforms/data (lexicons, taxonomies, aliases, events, language profiles)."""
    packaged = resources.files("transforms").joinpath("data")
    user = os.environ.get(DATA_ENV)
    return (pathlib.Path(user), packaged) if user else (packaged,)


def load_data(name: str) -> dict:
    """Reads a TOML data file: the user's copy if their data folder has one, else the packaged one.
    Read once per process and data folder: callers share it and must not change it."""
    return _load(name, os.environ.get(DATA_ENV))


@functools.cache
def _load(name: str, user: str | None) -> dict:
    for folder in data_dirs():
        path = folder.joinpath(name)
        if path.is_file():
            with path.open("rb") as handle:
                return tomllib.load(handle)
    raise FileNotFoundError(f"no data file {name!r} in {', '.join(map(str, data_dirs()))}")


def data_names(folder: str, suffix: str = ".toml") -> list[str]:
    """The data files of a folder (e.g. "languages"), the user's and the packaged ones, by name."""
    names = set()
    for root in data_dirs():
        path = root.joinpath(folder)
        if path.is_dir():
            names |= {entry.name for entry in path.iterdir() if entry.name.endswith(suffix)}
    return sorted(names)


def fold(name: str) -> str:
    """A name as looked up (places, event anchors): case, accents and the kind of apostrophe or dash left out."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
    return " ".join(plain.casefold().replace("’", "'").replace("‐", "-").split())
