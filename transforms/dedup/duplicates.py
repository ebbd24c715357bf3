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
   article_id) gets its canonical's id. Only this small map of copies leaves the pass (and the same
   map turned round, canonical -> its copies with their dates, for the NLP stage to share its rows).
2. MarkDuplicates, on the articles of the second read: the map arrives as a side input.

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
from transforms.dedup.grouping import ENTRY, PAIR, CandidatePairs, groups_by_rank, keep_paired, key_hash

STAGE = "dedup"
SKETCHES = "sketches"
COPIES = "copies"
_UNDATED = datetime.date.max


@dataclasses.dataclass(frozen=True)
class Sketch:
    doc: int  # the article id's 64-bit hash: the number keys and pairs carry
    rank: tuple  # (published date or date.max, article_id): the smallest rank is the canonical copy
    size: int  # shingles in the whole text
    shingles: bytes  # the sampled shingles, sorted uint32


def fingerprint(article: Article, params: minhash.Params, hasher: minhash.MinHasher) -> tuple[set[str], Sketch]:
    """An article's keys (exact hash, lead shingles, LSH bands) and its Sketch: what any copy check reads."""
    # The body only: a syndicated copy often carries a new headline.
    normalised = minhash.normalise(article.text)
    in_order = minhash.shingle_hashes(normalised, params.shingle_words)
    shingle_set = np.unique(in_order)
    keys = {f"exact:{minhash.exact_key(normalised)}", *minhash.lead_keys(in_order, params.lead_keys),
            *hasher.band_keys(hasher.signature(shingle_set))}
    return keys, Sketch(
        doc=key_hash(article.article_id),
        rank=(article.published_date or _UNDATED, article.article_id),
        size=int(shingle_set.size),
        shingles=minhash.sample(shingle_set, params.sample_every).tobytes(),
    )


def is_copy(params: minhash.Params, left: Sketch, right: Sketch) -> bool:
    """Verified on the sketches: Jaccard, or containment of the shorter text when it is long enough."""
    jaccard, containment = minhash.overlap(np.frombuffer(left.shingles, dtype=np.uint32),
                                           np.frombuffer(right.shingles, dtype=np.uint32))
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


class VerifyAndGroupFn(beam.DoFn):
    """All candidate pairs (one element) and the sketches -> (copy id, canonical id) for every copy."""

    def __init__(self, params: minhash.Params):
        self.params = params
        self.verified = Metrics.counter(STAGE, "verified_pairs")
        self.rejected = Metrics.counter(STAGE, "rejected_pairs")
        self.copies = Metrics.counter(STAGE, "duplicates")

    def process(self, pairs: bytes, sketches: dict):
        """Main output (copy id, canonical id); COPIES (canonical id, ((copy id, copy's published date), ...))."""
        edges = []
        for left, right in np.frombuffer(pairs, dtype=PAIR).tolist():
            a, b = sketches[left], sketches[right]
            if is_copy(self.params, a, b):
                self.verified.inc()
                edges.append((a.rank, b.rank))
            else:
                self.rejected.inc()
        groups = sorted(groups_by_rank(edges).items())
        self.copies.inc(len(groups))
        members = defaultdict(list)
        for (day, copy), (_, canonical) in groups:
            yield copy, canonical
            members[canonical].append((copy, None if day == _UNDATED else day))
        for canonical, copies in sorted(members.items()):
            yield beam.pvalue.TaggedOutput(COPIES, (canonical, tuple(copies)))



def _by_doc(sketch: Sketch):
    return sketch.doc, sketch


class FindDuplicates(beam.PTransform):
    """Articles -> `duplicates`: (copy's article_id, canonical article_id) for every copy, and `copies`:
    (canonical article_id, its copies' (article_id, published_date) pairs); both small PCollections."""

    def __init__(self, params: minhash.Params | None = None):
        super().__init__()
        self.params = params or minhash.Params()

    def expand(self, articles):
        fingerprints = articles | "Fingerprint" >> beam.ParDo(FingerprintFn(self.params)).with_outputs(
            SKETCHES, main="entries")
        pairs = fingerprints.entries | "CandidatePairs" >> CandidatePairs(max_bucket=self.params.max_bucket)
        involved = (
            fingerprints[SKETCHES]
            | "ByDoc" >> beam.Map(_by_doc)
            | "KeepPaired" >> keep_paired(pairs)
        )
        return pairs | "VerifyAndGroup" >> beam.ParDo(
            VerifyAndGroupFn(self.params), beam.pvalue.AsDict(involved)).with_outputs(COPIES, main="duplicates")


def _mark(article: Article, canonical_of: dict) -> Article:
    if article.is_duplicate:  # a copy of an earlier window's story (a stream's RecentCopies)
        return article
    canonical = canonical_of.get(article.article_id)
    return dataclasses.replace(article, is_duplicate=canonical is not None, duplicate_of=canonical,
                               story_id=canonical or article.article_id)


class MarkDuplicates(beam.PTransform):
    """Articles -> the same Articles with is_duplicate, duplicate_of and story_id (the canonical's id)."""

    def __init__(self, duplicates):
        super().__init__()
        self.duplicates = duplicates

    def expand(self, articles):
        return articles | "Mark" >> beam.Map(_mark, beam.pvalue.AsDict(self.duplicates))
