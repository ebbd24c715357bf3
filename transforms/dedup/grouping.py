"""From keys to groups: candidate pairs of articles that share a key, and groups of verified pairs.

Dedup and story linking both find pairs this way and join them with the union-find below.
Candidate pairs are found at corpus scale: numpy blobs through a GroupByKey on a few shards.

Millions of (key, article) entries as separate Beam elements cost hundreds of bytes each in the
in-process runner's shuffle; packed as numpy arrays per shard and per bundle they cost 16 bytes.
Each shard's reducer sorts its entries by key and pairs the articles that share one. Pairs are made
unique within a shard and then once more over all shards, in a combiner.
"""

from __future__ import annotations

import hashlib

import apache_beam as beam
import numpy as np
from apache_beam.metrics import Metrics
from apache_beam.utils.windowed_value import WindowedValue

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


class UniquePairs(beam.CombineFn):
    """Packed pair arrays -> one sorted array of unique pairs (as bytes)."""

    def create_accumulator(self):
        return np.zeros(0, dtype=PAIR)

    def add_input(self, accumulator, packed):
        return np.unique(np.concatenate([accumulator, np.frombuffer(packed, dtype=PAIR)]))

    def merge_accumulators(self, accumulators):
        return np.unique(np.concatenate(list(accumulators)))

    def extract_output(self, accumulator):
        return accumulator.tobytes()


class CandidatePairs(beam.PTransform):
    """PCollection of (key, doc) entry arrays -> a single element: the unique candidate pairs."""

    def __init__(self, shards: int = 64, max_bucket: int = 100):
        super().__init__()
        self.shards, self.max_bucket = shards, max_bucket

    def expand(self, entries):
        return (
            entries
            | "Pack" >> beam.ParDo(PackEntriesFn(self.shards))
            | "GroupByShard" >> beam.GroupByKey()
            | "PairBucketMates" >> beam.ParDo(PairBucketMatesFn(self.max_bucket))
            | "UniquePairs" >> beam.CombineGlobally(UniquePairs()).without_defaults()
        )


def key_hash(key: str) -> int:
    """A stable 64-bit hash of a string key or article id."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


class KeepPairedFn(beam.DoFn):
    """(doc, value) elements of docs that are in some candidate pair; the others are dropped."""

    def process(self, element, pairs: bytes):
        if getattr(self, "_pairs", None) is not pairs:
            array = np.frombuffer(pairs, dtype=PAIR)
            self._paired, self._pairs = set(np.r_[array["left"], array["right"]].tolist()), pairs
        if element[0] in self._paired:
            yield element


def keep_paired(pairs):
    return beam.ParDo(KeepPairedFn(), beam.pvalue.AsSingleton(pairs, default_value=b""))


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
