"""Dedup stage: exact and near-duplicate copies marked with the earliest copy they repeat.

Dedup is two passes over the articles, as in datatrove's MinHash dedup (signatures, buckets,
clusters, then a filter pass over the documents again):

1. FindDuplicates, on a first read of the input: each article gives its keys (the exact hash of
   its normalised text; the LSH bands of its MinHash signature, for near copies with a new headline,
   other chrome, a dropped paragraph or typos; its first shingles, for copies cut short and feed
   summaries, whose Jaccard with the full text is too low for LSH) and a sketch (a uniform sample
   of its shingles). Keys meet in a GroupByKey (grouping.CandidatePairs), candidate pairs are
   verified on the sketches (Jaccard, or containment of the shorter text), verified pairs are joined
   into groups, and each member but the canonical copy (earliest published, then smallest
   article_id) gets its canonical's id. Pairs meet their sketches in keyed joins, not in a map of
   the corpus's sketches. Only the copies leave the pass: copy -> canonical, and canonical -> its
   copies with their dates (for the NLP stage to share its rows).
2. On the second read each article meets what was found of it in a keyed join (transforms/findings.py).

Nothing holds the corpus's text in memory: keys and sketches are compact numpy arrays, and the
articles themselves stream through each pass.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict

import apache_beam as beam
import numpy as np
from apache_beam.metrics import Metrics
from apache_beam.utils.windowed_value import WindowedValue

from schemas.records import Article
from transforms.common import timed
from transforms.dedup import minhash
from transforms.dedup.grouping import ENTRY, PAIR, CandidatePairs, by_shard, groups_by_rank, key_hash, unique_pairs

STAGE = "dedup"
SKETCHES = "sketches"
COPIES = "copies"
COPY_RANKS = "copy_ranks"
_UNDATED = datetime.date.max


@dataclasses.dataclass(frozen=True)
class Sketch:
    doc: int  # the article id's 64-bit hash: the number keys and pairs carry
    rank: tuple  # (published date or date.max, article_id): the smallest rank is the canonical copy
    size: int  # shingles in the whole text
    shingles: bytes  # the sampled shingles, sorted uint32
    every: int  # the sample's modulus: 1 (every shingle) for a short text


def fingerprint(article: Article, params: minhash.Params, hasher: minhash.MinHasher) -> tuple[set[str], Sketch]:
    """An article's keys (exact hash, lead shingles, LSH bands) and its Sketch: what any copy check reads."""
    # The body only: a syndicated copy often carries a new headline.
    normalised = minhash.normalise(article.text)
    in_order = minhash.shingle_hashes(normalised, params.shingle_words)
    shingle_set = np.unique(in_order)
    every = params.sample_every if shingle_set.size >= params.sample_from else 1
    keys = {f"exact:{minhash.exact_key(normalised)}", *minhash.lead_keys(in_order, params.lead_keys),
            *hasher.band_keys(hasher.signature(shingle_set))}
    return keys, Sketch(
        doc=key_hash(article.article_id),
        rank=(article.published_date or _UNDATED, article.article_id),
        size=int(shingle_set.size),
        shingles=minhash.sample(shingle_set, every).tobytes(),
        every=every,
    )


def is_copy(params: minhash.Params, left: Sketch, right: Sketch) -> bool:
    """Verified on the sketches: Jaccard, or containment of the shorter text when it is long enough.
    A short text's whole set meets a long one's sample as a sample of the same modulus."""
    every = max(left.every, right.every)
    jaccard, containment = minhash.overlap(
        *(minhash.sample(np.frombuffer(s.shingles, dtype=np.uint32), every) if s.every < every
          else np.frombuffer(s.shingles, dtype=np.uint32) for s in (left, right)))
    if jaccard >= params.jaccard:
        return True
    return min(left.size, right.size) >= params.min_shingles and containment >= params.containment


class FingerprintFn(beam.DoFn):
    """Article -> its key entries (main output) and its Sketch (`sketches` output)."""

    def __init__(self, params: minhash.Params):
        self.params = params

    def setup(self):
        self.hasher = minhash.MinHasher(self.params)

    @timed("dedup")
    def process(self, article: Article):
        keys, sketch = fingerprint(article, self.params, self.hasher)
        entries = np.zeros(len(keys), dtype=ENTRY)
        entries["key"] = sorted(key_hash(k) for k in keys)
        entries["doc"] = sketch.doc
        yield entries
        yield beam.pvalue.TaggedOutput(SKETCHES, sketch)


class PackSketchesFn(beam.DoFn):
    """Sketches -> (shard of the doc, [Sketch, ...]), a few large elements per bundle."""

    def __init__(self, shards: int, flush_sketches: int = 20_000):
        self.shards, self.flush_sketches = shards, flush_sketches

    def start_bundle(self):
        self.buffers: dict = {}
        self.buffered = 0

    def process(self, sketch: Sketch, window=beam.DoFn.WindowParam):
        self.buffers.setdefault(window, defaultdict(list))[sketch.doc % self.shards].append(sketch)
        self.buffered += 1
        if self.buffered >= self.flush_sketches:
            yield from self._flush(window)

    def finish_bundle(self):
        for window in list(self.buffers):
            for shard, sketches in self._flush(window):
                yield WindowedValue((shard, sketches), window.max_timestamp(), [window])

    def _flush(self, window):
        for shard, sketches in sorted(self.buffers.pop(window).items()):
            self.buffered -= len(sketches)
            yield shard, sketches


def _sketches(blocks) -> dict:
    return {sketch.doc: sketch for block in blocks for sketch in block}


class WithLeftSketchesFn(beam.DoFn):
    """A shard's pairs (by left doc) and its sketches -> (shard of the right doc, (its pairs packed, the
    left sketches they name)): each left sketch travels once per right shard, not once per pair."""

    def __init__(self, shards: int):
        self.shards = shards

    def process(self, joined):
        _, found = joined
        pairs = unique_pairs(found["pairs"])
        if not pairs.size:
            return
        sketches = _sketches(found["sketches"])
        for shard, packed in by_shard(pairs.tobytes(), "right", self.shards):
            lefts = np.unique(np.frombuffer(packed, dtype=PAIR)["left"]).tolist()
            yield shard, (packed, [sketches[doc] for doc in lefts if doc in sketches])


class VerifyFn(beam.DoFn):
    """A shard's half-joined pairs (by right doc) and its sketches -> [(left rank, right rank), ...] of
    the pairs where one text copies the other."""

    def __init__(self, params: minhash.Params):
        self.params = params
        self.verified = Metrics.counter(STAGE, "verified_pairs")
        self.rejected = Metrics.counter(STAGE, "rejected_pairs")

    def process(self, joined):
        _, found = joined
        rights = _sketches(found["sketches"])
        verified = []
        for packed, left_sketches in found["pairs"]:
            lefts = _sketches([left_sketches])
            for left, right in np.frombuffer(packed, dtype=PAIR).tolist():
                if left not in lefts or right not in rights:
                    continue
                if is_copy(self.params, lefts[left], rights[right]):
                    verified.append((lefts[left].rank, rights[right].rank))
                else:
                    self.rejected.inc()
        self.verified.inc(len(verified))
        if verified:
            yield verified


class GroupCopiesFn(beam.DoFn):
    """All verified pairs (one list) -> (copy id, canonical id) for every copy (main output), COPIES:
    (canonical id, ((copy id, copy's published date), ...)), and COPY_RANKS: (copy rank, canonical rank)."""

    def __init__(self):
        self.copies = Metrics.counter(STAGE, "duplicates")

    def process(self, edges: list):
        groups = sorted(groups_by_rank(edges).items())
        self.copies.inc(len(groups))
        members = defaultdict(list)
        for copy, canonical in groups:
            yield copy[1], canonical[1]
            yield beam.pvalue.TaggedOutput(COPY_RANKS, (copy, canonical))
            day = copy[0]
            members[canonical[1]].append((copy[1], None if day == _UNDATED else day))
        for canonical, copies in sorted(members.items()):
            yield beam.pvalue.TaggedOutput(COPIES, (canonical, tuple(copies)))


class ConcatLists(beam.CombineFn):
    """Lists -> one list of their items."""

    def create_accumulator(self):
        return []

    def add_input(self, items, more):
        items.extend(more)
        return items

    def merge_accumulators(self, accumulators):
        return [item for items in accumulators for item in items]

    def extract_output(self, items):
        return items


class FindDuplicates(beam.PTransform):
    """Articles -> `duplicates`: (copy's article_id, canonical article_id) for every copy, `copies`:
    (canonical article_id, its copies' (article_id, published_date) pairs), and `copy_ranks` (the
    stories' links of each copy to its canonical).

    Candidate pairs meet their sketches in two keyed joins on shards of docs, first the left doc's, then
    the right one's; pairs and sketches travel packed, a few large elements a shard, since as one element
    a pair they cost each worker ~14 MB per 1,000 articles. The verified pairs, about one a copy, are
    grouped on one worker."""

    def __init__(self, params: minhash.Params | None = None, shards: int = 64):
        super().__init__()
        self.params = params or minhash.Params()
        self.shards = shards

    def expand(self, articles):
        fingerprints = articles | "Fingerprint" >> beam.ParDo(FingerprintFn(self.params)).with_outputs(
            SKETCHES, main="entries")
        sketches = fingerprints[SKETCHES] | "PackSketches" >> beam.ParDo(PackSketchesFn(self.shards))
        pairs = (fingerprints.entries
                 | "CandidatePairs" >> CandidatePairs(max_bucket=self.params.max_bucket)
                 | "ByLeft" >> beam.FlatMap(by_shard, "left", self.shards))
        with_left = ({"pairs": pairs, "sketches": sketches}
                     | "JoinLeft" >> beam.CoGroupByKey()
                     | "LeftSketches" >> beam.ParDo(WithLeftSketchesFn(self.shards)))
        return (
            {"pairs": with_left, "sketches": sketches}
            | "JoinRight" >> beam.CoGroupByKey()
            | "Verify" >> beam.ParDo(VerifyFn(self.params))
            | "AllVerified" >> beam.CombineGlobally(ConcatLists()).without_defaults()
            | "Group" >> beam.ParDo(GroupCopiesFn()).with_outputs(COPIES, COPY_RANKS, main="duplicates")
        )
