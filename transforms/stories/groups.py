"""Stories stage: different texts about the same event share a `story_id`.

Runs on the first read of the input, beside FindDuplicates, so that story ids are known when the
articles stream through the second read. An article's profile is the names it repeats most
(capitalised phrases, canonicalised with the same alias table as the entities stage), weighted by
rarity in the run (tf-idf, document frequencies from a count-min sketch). Two articles are one story
when their profiles are close (cosine >= `min_cosine`) and their dates at most `max_days` apart;
when either date is unknown the bar is `undated_cosine`. Candidates share a pair of top names: each
profile goes to the shard of each of its pairs (a GroupByKey), and a shard's reducer compares the
articles that share a pair, so no worker holds the run's profiles. Duplicates are always in their
canonical copy's story. The story id is the id of the group's earliest article.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import math

import apache_beam as beam
import numpy as np
from apache_beam.metrics import Metrics
from apache_beam.utils.windowed_value import WindowedValue

from transforms.common import give_back_memory
from transforms.dedup.grouping import key_hash
from transforms.stories.names import NamedArticle

STAGE = "stories"
_UNDATED = datetime.date.max.toordinal()
_SKETCH_WIDTH, _SKETCH_DEPTH = 1 << 18, 4


@dataclasses.dataclass(frozen=True)
class StoryParams:
    top_names: int = 8  # an article's profile
    key_names: int = 4  # pairs of these are the blocking keys
    min_cosine: float = 0.6
    # with no dates to tell a story's days apart, more of the names must agree; 0.8 left most reports of one
    # event in two undated articles apart (BBC updates, the LSE bids: docs/quality.md, Stories)
    undated_cosine: float = 0.7
    max_days: int = 2
    max_bucket: int = 200  # a pair of names shared by more articles says little about one event


def _sketch_slots(name: str) -> np.ndarray:
    h = key_hash(name)
    return np.array([(h >> (16 * row)) % _SKETCH_WIDTH + row * _SKETCH_WIDTH for row in range(_SKETCH_DEPTH)])


class DocumentFrequency(beam.CombineFn):
    """Count-min sketch of how many articles name each name: fixed size, whatever the vocabulary."""

    def create_accumulator(self):
        return np.zeros(_SKETCH_WIDTH * _SKETCH_DEPTH, dtype=np.uint32)

    def add_input(self, sketch, names):
        for name in names:
            sketch[_sketch_slots(name)] += 1
        return sketch

    def merge_accumulators(self, sketches):
        sketches = list(sketches)
        return np.sum(sketches, axis=0, dtype=np.uint32) if sketches else self.create_accumulator()

    def extract_output(self, sketch):
        return sketch


def weights(profile: NamedArticle, frequency: np.ndarray | None, articles: int, top: int) -> dict[str, float]:
    """Tf-idf of the profile's names; with no frequencies (None), every name counts as unseen."""
    seen = (lambda name: int(frequency[_sketch_slots(name)].min())) if frequency is not None else (lambda name: 0)
    scored = {name: count * math.log((articles + 1) / (seen(name) + 0.5))
              for name, count in zip(profile.names, profile.counts, strict=True)}
    return dict(sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[:top])


@dataclasses.dataclass(frozen=True)
class Bucketed:
    """Weighed profiles, one row per (blocking key, article), as arrays: ~150 bytes a row plus the id.
    A shard of these is all its reducer reads (there are ~6 rows an article)."""

    keys: np.ndarray  # uint64
    docs: np.ndarray  # uint64
    days: np.ndarray  # int32 date ordinals; date.max's when undated
    names: np.ndarray  # uint64 (n, top) name hashes; 0 pads a short profile
    weights: np.ndarray  # float64 (n, top), each row of unit length
    ids: tuple[str, ...]

    @staticmethod
    def of(rows: list, top: int) -> Bucketed:
        keys, docs, days, names, weights, ids = zip(*rows, strict=True)
        return Bucketed(np.array(keys, dtype=np.uint64), np.array(docs, dtype=np.uint64),
                        np.array(days, dtype=np.int32),
                        np.array([n + (0,) * (top - len(n)) for n in names], dtype=np.uint64).reshape(-1, top),
                        np.array([w + (0.0,) * (top - len(w)) for w in weights], dtype=np.float64).reshape(-1, top),
                        ids)

    @staticmethod
    def concatenate(parts: list[Bucketed]) -> Bucketed:
        return Bucketed(*(np.concatenate([getattr(p, f) for p in parts])
                          for f in ("keys", "docs", "days", "names", "weights")),
                        tuple(i for p in parts for i in p.ids))

    def sorted(self) -> Bucketed:
        """By key, then doc (so a bucket's first member is its smallest doc, as grouping pairs them)."""
        order = np.lexsort((self.docs, self.keys))
        return Bucketed(self.keys[order], self.docs[order], self.days[order], self.names[order],
                        self.weights[order], tuple(self.ids[i] for i in order.tolist()))

    def rank(self, index: int) -> tuple[datetime.date, str]:
        return datetime.date.fromordinal(int(self.days[index])), self.ids[index]


class WeighFn(beam.DoFn):
    """NamedArticle -> its blocking keys (pairs of its top names) and profile:
    (keys, doc, day, id, top name hashes, unit weights).

    A profile that comes after its window's watermark (late, in a stream) is not in the window's
    frequencies, and a runner hands it an empty side input (Prism 2.77 does): it is weighed by its
    counts alone, as if every name were rare, rather than stopping the stream."""

    def __init__(self, params: StoryParams):
        self.params = params
        self.unweighed = Metrics.counter(STAGE, "profiles_without_frequencies")

    def process(self, profile: NamedArticle, frequency, articles):
        if frequency is None or not articles:
            self.unweighed.inc()
            frequency, articles = None, 0
        top = weights(profile, frequency, articles, self.params.top_names)
        keys = [key_hash("\x1f".join(pair))
                for pair in itertools.combinations(sorted(list(top)[: self.params.key_names]), 2)]
        if not keys:
            return
        norm = math.sqrt(sum(w * w for w in top.values()))
        day, article_id = profile.rank
        yield (tuple(keys), profile.doc, day.toordinal(), article_id, tuple(key_hash(name) for name in top),
               tuple(w / norm for w in top.values()))


class PackByShardFn(beam.DoFn):
    """Weighed profiles -> (shard of the key, Bucketed), a few large elements per bundle: a profile
    goes to the shard of each of its keys, so the articles that share a key meet in one reducer."""

    def __init__(self, shards: int, top: int, flush_rows: int = 50_000):
        self.shards, self.top, self.flush_rows = shards, top, flush_rows

    def start_bundle(self):
        self.buffers: dict = {}
        self.buffered = 0

    def process(self, weighed, window=beam.DoFn.WindowParam):
        keys, doc, day, article_id, names, unit = weighed
        shards = self.buffers.setdefault(window, {})
        for key in keys:
            shards.setdefault(key % self.shards, []).append((key, doc, day, names, unit, article_id))
        self.buffered += len(keys)
        if self.buffered >= self.flush_rows:
            yield from self._flush(window)

    def finish_bundle(self):
        for window in list(self.buffers):
            for shard, packed in self._flush(window):
                yield WindowedValue((shard, packed), window.max_timestamp(), [window])

    def _flush(self, window):
        for shard, rows in sorted(self.buffers.pop(window).items()):
            self.buffered -= len(rows)
            yield shard, Bucketed.of([(k, d, day, n, w, i) for k, d, day, n, w, i in rows], self.top)


class LinkStoriesFn(beam.DoFn):
    """A shard's profiles -> (rank, rank) of each pair that shares a key and is one story.

    Cosines are computed on the arrays a chunk of pairs at a time (at 100k articles there are 2.4
    million candidate pairs, spread over the shards). The counters count per shard: a pair that
    shares keys in two shards is compared, and linked, in both.
    """

    chunk = 1 << 14

    def __init__(self, params: StoryParams):
        self.params = params
        self.candidates = Metrics.counter(STAGE, "compared_pairs")
        self.linked = Metrics.counter(STAGE, "linked_pairs")
        self.oversized = Metrics.counter("buckets", "oversized_buckets")

    def process(self, shard):
        _, parts = shard
        rows = Bucketed.concatenate(list(parts)).sorted()
        left, right = self.pairs(rows)
        self.candidates.inc(len(left))
        kept = []
        for start in range(0, len(left), self.chunk):
            a, b = left[start:start + self.chunk], right[start:start + self.chunk]
            shared = rows.names[a][:, :, None] == rows.names[b][:, None, :]
            products = rows.weights[a][:, :, None] * rows.weights[b][:, None, :]
            cosines = np.where(shared, products, 0.0).sum(axis=(1, 2))
            linked = self.same_story(rows.days[a], rows.days[b], cosines)
            self.linked.inc(int(linked.sum()))
            kept.append(np.stack([a[linked], b[linked]], axis=1))
        if kept:
            yield Links.of(rows.docs, rows.days, rows.ids, np.concatenate(kept))
        give_back_memory()  # as the dedup's shards (transforms/dedup/grouping.py)

    def pairs(self, rows: Bucketed) -> tuple[np.ndarray, np.ndarray]:
        """Row indices of the unique pairs of different articles that share a key in this shard; a key
        shared by more than max_bucket articles links them as a star from its smallest doc."""
        starts = np.flatnonzero(np.r_[True, rows.keys[1:] != rows.keys[:-1]])
        sizes = np.diff(np.r_[starts, len(rows.keys)])
        left, right = [], []
        for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist(), strict=True):
            if size > self.params.max_bucket:
                self.oversized.inc()
                left.append(np.full(size - 1, start))
                right.append(np.arange(start + 1, start + size))
            else:
                i, j = np.triu_indices(size, k=1)
                left.append(start + i)
                right.append(start + j)
        if not left:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        left, right = np.concatenate(left), np.concatenate(right)
        # One row per pair of docs (a pair can share several keys), the smaller doc on the left.
        docs_left, docs_right = rows.docs[left], rows.docs[right]
        swap = docs_left > docs_right
        left, right = np.where(swap, right, left), np.where(swap, left, right)
        keep = rows.docs[left] != rows.docs[right]
        _, first = np.unique(np.stack([rows.docs[left[keep]], rows.docs[right[keep]]]), axis=1, return_index=True)
        return left[keep][first], right[keep][first]

    def same_story(self, days_a: np.ndarray, days_b: np.ndarray, similarity: np.ndarray) -> np.ndarray:
        """Date ordinals and cosines of pairs -> which pairs are one story."""
        dated = (days_a != _UNDATED) & (days_b != _UNDATED)
        near = np.abs(days_a.astype(np.int64) - days_b) <= self.params.max_days
        return np.where(dated, near & (similarity >= self.params.min_cosine), similarity >= self.params.undated_cosine)


@dataclasses.dataclass(frozen=True)
class Links:
    """Linked pairs as arrays: (n, 2) rows of `docs`, and each doc's day and id (its rank: the story's
    root is its earliest article, then the smallest id). ~16 bytes a link, where rank tuples cost ~300:
    at 100k articles there are millions of links."""

    pairs: np.ndarray  # int64 (n, 2), rows of the arrays below
    docs: np.ndarray  # uint64
    days: np.ndarray  # int32 date ordinals; date.max's when undated
    ids: tuple[str, ...]

    @staticmethod
    def of(docs: np.ndarray, days: np.ndarray, ids: tuple, pairs: np.ndarray) -> Links:
        """The links between rows `pairs` of (docs, days, ids), with only the rows they use."""
        used, inverse = np.unique(pairs, return_inverse=True)
        return Links(inverse.reshape(-1, 2), docs[used], days[used], tuple(ids[i] for i in used.tolist()))

    @staticmethod
    def of_ranks(edges: list) -> Links:
        """Links from ((date, id), (date, id)) pairs (a copy and its canonical)."""
        ranks = sorted({rank for edge in edges for rank in edge})
        row = {rank: n for n, rank in enumerate(ranks)}
        return Links(np.array([(row[a], row[b]) for a, b in edges], dtype=np.int64).reshape(-1, 2),
                     np.array([key_hash(i) for _, i in ranks], dtype=np.uint64),
                     np.array([d.toordinal() for d, _ in ranks], dtype=np.int32), tuple(i for _, i in ranks))


class StoryGroups(beam.CombineFn):
    """Links (packed) -> one list of (member id, root id) for every member of a story but its root."""

    def create_accumulator(self):
        return []

    def add_input(self, parts, links: Links):
        parts.append(links)
        return parts

    def merge_accumulators(self, accumulators):
        return [links for parts in accumulators for links in parts]

    def extract_output(self, parts):
        if not parts:
            return []
        docs = np.concatenate([p.docs for p in parts])
        unique, first, inverse = np.unique(docs, return_index=True, return_inverse=True)
        days = np.concatenate([p.days for p in parts])[first]
        ids = [i for p in parts for i in p.ids]
        ids = [ids[n] for n in first.tolist()]
        offsets = np.cumsum([0] + [len(p.docs) for p in parts])
        pairs = np.unique(np.concatenate([inverse[p.pairs + offset]
                                          for p, offset in zip(parts, offsets[:-1], strict=True)]), axis=0)
        # rank position of each doc: the smallest is the earliest day, then the smallest id
        order = sorted(range(len(unique)), key=lambda n: (int(days[n]), ids[n]))
        position = np.empty(len(unique), dtype=np.int64)
        position[order] = np.arange(len(unique))
        parent = list(range(len(unique)))

        def find(node: int) -> int:
            while parent[node] != node:
                parent[node] = parent[parent[node]]
                node = parent[node]
            return node

        for a, b in pairs.tolist():
            root_a, root_b = find(a), find(b)
            if root_a != root_b:
                low, high = (root_a, root_b) if position[root_a] < position[root_b] else (root_b, root_a)
                parent[high] = low
        return sorted((ids[n], ids[find(n)]) for n in range(len(unique)) if find(n) != n)


class FindStories(beam.PTransform):
    """NamedArticles (first read) and each copy's link to its canonical ((rank, rank), from dedup) ->
    (article_id, story root id) for every member of a story but its root: a copy is always in its
    canonical's story. The linked pairs, fewer than the articles, are grouped on one worker."""

    def __init__(self, copy_ranks, params: StoryParams | None = None, shards: int = 64):
        super().__init__()
        self.copy_ranks = copy_ranks
        self.params = params or StoryParams()
        self.shards = shards

    def expand(self, profiles):
        frequency = (profiles
                     | "Names" >> beam.Map(lambda p: p.names)
                     | "DocumentFrequency" >> beam.CombineGlobally(DocumentFrequency()).without_defaults())
        count = profiles | "CountArticles" >> beam.combiners.Count.Globally().without_defaults()
        return (
            (profiles
             | "Weigh" >> beam.ParDo(WeighFn(self.params), beam.pvalue.AsSingleton(frequency, default_value=None),
                                     beam.pvalue.AsSingleton(count, default_value=0))
             | "PackByShard" >> beam.ParDo(PackByShardFn(self.shards, self.params.top_names))
             | "GroupByShard" >> beam.GroupByKey()
             | "Link" >> beam.ParDo(LinkStoriesFn(self.params)),
             self.copy_ranks
             | "BatchCopies" >> beam.BatchElements(min_batch_size=1, max_batch_size=10_000)
             | "CopyLinks" >> beam.Map(Links.of_ranks))
            | "WithCopies" >> beam.Flatten()
            | "Groups" >> beam.CombineGlobally(StoryGroups()).without_defaults()
            | "EachMember" >> beam.FlatMap(lambda members: members)
        )
