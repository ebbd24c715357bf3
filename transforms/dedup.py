"""Dedup stage: exact and near-duplicate copies marked with the earliest copy they repeat.

Separate steps, as in datatrove's MinHash dedup: fingerprint each article (shingle set, MinHash
signature, keys), group by key (a GroupByKey, so no worker holds an index of the corpus), pair up
bucket mates, verify each pair on the exact shingle sets (Jaccard, or containment for a copy cut
short or a feed summary), join verified pairs into groups, and mark every member but the canonical
copy: the earliest published, ties broken by the smallest article_id.

Keys are the exact hash of the normalised text, the LSH bands of the MinHash signature (near
copies: new headline, chrome, a dropped paragraph, typos) and the first shingles of the text
(truncated copies and summaries, whose Jaccard with the full text is too low for LSH).
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools

import apache_beam as beam
import numpy as np
from apache_beam.metrics import Metrics

from schemas.records import Article
from transforms import minhash

STAGE = "dedup"
_UNDATED = datetime.date.max


KEYS = "keys"


@dataclasses.dataclass(frozen=True)
class Fingerprint:
    article_id: str
    rank: tuple  # (published date or date.max, article_id): the smallest rank is the canonical copy
    shingles: bytes  # sorted unique uint32 shingle hashes


class FingerprintFn(beam.DoFn):
    """Article -> Fingerprint, and (key, article_id) pairs on the `keys` output."""

    def __init__(self, params: minhash.Params):
        self.params = params

    def setup(self):
        self.hasher = minhash.MinHasher(self.params)

    def process(self, article: Article):
        # The body only: a syndicated copy often carries a new headline.
        normalised = minhash.normalise(article.text)
        in_order = minhash.shingle_hashes(normalised, self.params.shingle_words)
        shingle_set = np.unique(in_order)
        keys = [f"exact:{minhash.exact_key(normalised)}", *minhash.lead_keys(in_order, self.params.lead_keys),
                *self.hasher.band_keys(self.hasher.signature(shingle_set))]
        for key in dict.fromkeys(keys):
            yield beam.pvalue.TaggedOutput(KEYS, (key, article.article_id))
        yield Fingerprint(
            article_id=article.article_id,
            rank=(article.published_date or _UNDATED, article.article_id),
            shingles=shingle_set.tobytes(),
        )


class CandidatePairsFn(beam.DoFn):
    """Bucket mates become candidate pairs (smaller id first); huge buckets only as a star."""

    def __init__(self, max_bucket: int):
        self.max_bucket = max_bucket
        self.oversized = Metrics.counter(STAGE, "oversized_buckets")

    def process(self, bucket):
        _, members = bucket
        members = sorted(set(members))
        if len(members) < 2:
            return
        if len(members) > self.max_bucket:
            self.oversized.inc()
            yield from ((members[0], other) for other in members[1:])
            return
        yield from itertools.combinations(members, 2)


def _attach_left(joined):
    """(left id, {pairs: [right ids], fingerprints: [left]}) -> (right id, left fingerprint)."""
    _, grouped = joined
    for left in grouped["fingerprints"]:
        for right_id in grouped["pairs"]:
            yield right_id, left


class VerifyPairsFn(beam.DoFn):
    def __init__(self, params: minhash.Params):
        self.params = params
        self.verified = Metrics.counter(STAGE, "verified_pairs")
        self.rejected = Metrics.counter(STAGE, "rejected_pairs")

    def process(self, joined):
        _, grouped = joined
        for right in grouped["fingerprints"]:
            for left in grouped["lefts"]:
                if self.is_copy(left, right):
                    self.verified.inc()
                    yield left.rank, right.rank
                else:
                    self.rejected.inc()

    def is_copy(self, left: Fingerprint, right: Fingerprint) -> bool:
        left_set = np.frombuffer(left.shingles, dtype=np.uint32)
        right_set = np.frombuffer(right.shingles, dtype=np.uint32)
        jaccard, containment = minhash.overlap(left_set, right_set)
        if jaccard >= self.params.jaccard:
            return True
        smaller = min(left_set.size, right_set.size)
        return smaller >= self.params.min_shingles and containment >= self.params.containment


def connected_groups(edges) -> dict:
    """Union-find over verified pairs of ranks: {member id: canonical id} for non-canonical members."""
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
    return {node[1]: find(node)[1] for node in list(parent) if find(node) != node}


def _duplicate_of(keyed_edges):
    _, edges = keyed_edges
    yield from connected_groups(edges).items()


def _mark(joined):
    _, grouped = joined
    canonical = next(iter(grouped["canonical"]), None)
    for article in grouped["articles"]:
        if canonical is None:
            yield dataclasses.replace(article, is_duplicate=False, duplicate_of=None,
                                      story_id=article.article_id)
        else:
            yield dataclasses.replace(article, is_duplicate=True, duplicate_of=canonical,
                                      story_id=canonical)


class Deduplicate(beam.PTransform):
    """Articles in, the same Articles out with is_duplicate, duplicate_of and story_id set."""

    def __init__(self, params: minhash.Params | None = None):
        super().__init__()
        self.params = params or minhash.Params()

    def expand(self, articles):
        fingerprints = articles | "Fingerprint" >> beam.ParDo(FingerprintFn(self.params)).with_outputs(
            KEYS, main="fingerprints")
        by_id = fingerprints.fingerprints | "KeyFingerprints" >> beam.Map(lambda f: (f.article_id, f))
        pairs = (
            fingerprints[KEYS]
            | "GroupByKey" >> beam.GroupByKey()
            | "CandidatePairs" >> beam.ParDo(CandidatePairsFn(self.params.max_bucket))
            | "DistinctPairs" >> beam.Distinct()
        )
        verified = (
            {"pairs": pairs, "fingerprints": by_id}
            | "JoinLeft" >> beam.CoGroupByKey()
            | "AttachLeft" >> beam.FlatMap(_attach_left)
        )
        edges = (
            {"lefts": verified, "fingerprints": by_id}
            | "JoinRight" >> beam.CoGroupByKey()
            | "Verify" >> beam.ParDo(VerifyPairsFn(self.params))
        )
        canonical = (
            edges
            | "OneGraph" >> beam.Map(lambda edge: (None, edge))
            | "CollectEdges" >> beam.GroupByKey()
            | "Components" >> beam.FlatMap(_duplicate_of)
        )
        return (
            {"articles": articles | "KeyArticles" >> beam.Map(lambda a: (a.article_id, a)),
             "canonical": canonical}
            | "JoinGroups" >> beam.CoGroupByKey()
            | "Mark" >> beam.FlatMap(_mark)
        )
