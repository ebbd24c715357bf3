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

from schemas.records import Article
from transforms.common import timed
from transforms.dedup import minhash
from transforms.dedup.grouping import ENTRY, CandidatePairs, JoinPairs, each_pair, groups_by_rank, key_hash

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


class VerifyFn(beam.DoFn):
    """(left Sketch, right Sketch) of a candidate pair -> (left rank, right rank) when one copies the other."""

    def __init__(self, params: minhash.Params):
        self.params = params
        self.verified = Metrics.counter(STAGE, "verified_pairs")
        self.rejected = Metrics.counter(STAGE, "rejected_pairs")

    def process(self, pair: tuple[Sketch, Sketch]):
        left, right = pair
        if is_copy(self.params, left, right):
            self.verified.inc()
            yield left.rank, right.rank
        else:
            self.rejected.inc()


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


def _by_doc(sketch: Sketch):
    return sketch.doc, sketch


class FindDuplicates(beam.PTransform):
    """Articles -> `duplicates`: (copy's article_id, canonical article_id) for every copy, `copies`:
    (canonical article_id, its copies' (article_id, published_date) pairs), and `copy_ranks` (the
    stories' links of each copy to its canonical). Candidate pairs meet their sketches in keyed joins
    (grouping.JoinPairs); the verified pairs, about one a copy, are grouped on one worker."""

    def __init__(self, params: minhash.Params | None = None):
        super().__init__()
        self.params = params or minhash.Params()

    def expand(self, articles):
        fingerprints = articles | "Fingerprint" >> beam.ParDo(FingerprintFn(self.params)).with_outputs(
            SKETCHES, main="entries")
        sketches = fingerprints[SKETCHES] | "ByDoc" >> beam.Map(_by_doc)
        return (
            fingerprints.entries
            | "CandidatePairs" >> CandidatePairs(max_bucket=self.params.max_bucket)
            | "EachPair" >> beam.FlatMap(each_pair)
            | "Once" >> beam.Distinct()
            | "WithSketches" >> JoinPairs(sketches)
            | "Verify" >> beam.ParDo(VerifyFn(self.params))
            | "AllVerified" >> beam.CombineGlobally(beam.combiners.ToListCombineFn()).without_defaults()
            | "Group" >> beam.ParDo(GroupCopiesFn()).with_outputs(COPIES, COPY_RANKS, main="duplicates")
        )
