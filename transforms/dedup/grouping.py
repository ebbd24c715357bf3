"""From keys to groups: candidate pairs of articles that share a key, and groups of verified pairs.

Dedup finds its pairs this way (stories pair their articles in the same kind of shards, with their
profiles beside them); both join verified pairs with the union-find below.
Candidate pairs are found at corpus scale: numpy blobs through a GroupByKey on a few shards.

Millions of (key, article) entries as separate Beam elements cost hundreds of bytes each in the
in-process runner's shuffle; packed as numpy arrays per shard and per bundle they cost 16 bytes.
Each shard's reducer sorts its entries by key and pairs the articles that share one. Pairs are made
unique within a shard, and over all shards where they meet their left doc's values (by_shard), since
every pair of one left doc goes to one shard.
"""

from __future__ import annotations

import hashlib

import apache_beam as beam
import numpy as np
from apache_beam.metrics import Metrics
from apache_beam.utils.windowed_value import WindowedValue

from transforms.common import give_back_memory

ENTRY = np.dtype([("key", np.uint64), ("doc", np.uint64)])
PAIR = np.dtype([("left", np.uint64), ("right", np.uint64)])


class PackEntriesFn(beam.DoFn):
    """(key, doc) uint64 arrays in, (shard, packed entries) out, a few large elements per bundle."""

    def __init__(self, shards: int, flush_entries: int = 1_000_000):
        self.shards, self.flush_entries = shards, flush_entries

    def start_bundle(self):
        self.buffers: dict = {}
        self.buffered = 0

    def process(self, entries: np.ndarray, window=beam.DoFn.WindowParam):
        self.buffers.setdefault(window, []).append(entries)
        self.buffered += len(entries)
        if self.buffered >= self.flush_entries:
            yield from self._flush(window)

    def finish_bundle(self):
        for window in list(self.buffers):
            for shard, packed in self._flush(window):
                yield WindowedValue((shard, packed), window.max_timestamp(), [window])

    def _flush(self, window):
        entries = np.concatenate(self.buffers.pop(window))
        self.buffered -= len(entries)
        shard_of = entries["key"] % np.uint64(self.shards)
        for shard in np.unique(shard_of):
            yield int(shard), entries[shard_of == shard].tobytes()


class PairBucketMatesFn(beam.DoFn):
    """All entries of a shard -> unique (left, right) pairs of articles sharing a key, left < right."""

    def __init__(self, max_bucket: int):
        self.max_bucket = max_bucket
        self.oversized = Metrics.counter("buckets", "oversized_buckets")

    def process(self, shard):
        _, blobs = shard
        entries = np.unique(np.concatenate([np.frombuffer(b, dtype=ENTRY) for b in blobs]))  # sorted by key
        starts = np.flatnonzero(np.r_[True, entries["key"][1:] != entries["key"][:-1]])
        sizes = np.diff(np.r_[starts, len(entries)])
        pairs = []
        for start, size in zip(starts[sizes > 1], sizes[sizes > 1], strict=True):
            docs = entries["doc"][start:start + size]
            if size > self.max_bucket:  # a very common key links its members as a star only
                self.oversized.inc()
                left, right = np.full(size - 1, docs[0]), docs[1:]
            else:
                left, right = (docs[i] for i in np.triu_indices(size, k=1))
            pairs.append(np.rec.fromarrays([np.minimum(left, right), np.maximum(left, right)], dtype=PAIR))
        if pairs:
            yield np.unique(np.concatenate(pairs)).tobytes()
        give_back_memory()  # a shard's arrays: the next shard's, or the next stage's, need not sit beside them


class CandidatePairs(beam.PTransform):
    """PCollection of (key, doc) entry arrays -> packed arrays of candidate pairs, unique within each shard
    (a pair that shares keys in two shards comes twice)."""

    def __init__(self, shards: int = 64, max_bucket: int = 100):
        super().__init__()
        self.shards, self.max_bucket = shards, max_bucket

    def expand(self, entries):
        return (
            entries
            | "Pack" >> beam.ParDo(PackEntriesFn(self.shards))
            | "GroupByShard" >> beam.GroupByKey()
            | "PairBucketMates" >> beam.ParDo(PairBucketMatesFn(self.max_bucket))
        )


def key_hash(key: str) -> int:
    """A stable 64-bit hash of a string key or article id."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def by_shard(pairs: bytes, side: str, shards: int):
    """A packed pair array -> (shard of each pair's `side` doc, its pairs packed), one element a shard."""
    pairs = np.frombuffer(pairs, dtype=PAIR)
    shard_of = pairs[side] % np.uint64(shards)
    for shard in np.unique(shard_of).tolist():
        yield shard, pairs[shard_of == shard].tobytes()


def unique_pairs(blobs) -> np.ndarray:
    """Packed pair arrays -> one sorted array of the distinct pairs."""
    blobs = [np.frombuffer(b, dtype=PAIR) for b in blobs]
    return np.unique(np.concatenate(blobs)) if blobs else np.zeros(0, dtype=PAIR)


def connected_groups(edges) -> dict:
    """Union-find over verified pairs of ranks: {member id: canonical id} for non-canonical members."""
    return {member[1]: root[1] for member, root in groups_by_rank(edges).items()}


def groups_by_rank(edges) -> dict:
    """Union-find over pairs of ranks (date, id): {member rank: canonical rank} for non-canonical members."""
    parent: dict = {}

    def find(node):
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for left, right in edges:
        root_left, root_right = find(left), find(right)
        if root_left != root_right:
            # The smaller rank (earliest date, then smallest id) is always the root.
            low, high = sorted((root_left, root_right))
            parent[high] = low
    return {node: find(node) for node in list(parent) if find(node) != node}
