"""Text fingerprints for dedup: normalised text, word shingles, MinHash, LSH band keys, lead keys.

Hashes are computed with zlib.crc32 and fixed-seed multiply-shift permutations, never Python's
hash(), so every worker and every run computes the same fingerprint for the same text.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
import zlib

import numpy as np

_NON_WORD = re.compile(r"[^\w]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


@dataclasses.dataclass(frozen=True)
class Params:
    """Defaults chosen by `make eval` (evals/dedup_eval.py); see docs/quality.md, "Duplicates and stories"."""

    shingle_words: int = 5
    bands: int = 32
    rows: int = 4
    lead_keys: int = 8  # opening shingles used as keys: a truncated copy or summary shares them
    jaccard: float = 0.7  # Jaccard of shingle sets at or above which two texts are copies
    containment: float = 0.9  # share of the shorter text's shingles inside the longer one
    min_shingles: int = 20  # below this, containment is too easy to reach by chance
    max_bucket: int = 100  # larger buckets are linked as a star, not all pairs
    sample_every: int = 4  # verification keeps the shingles whose hash is divisible by this
    # ... unless the text has fewer shingles than this: a short copy's sample is too small to tell a
    # dropped paragraph's 4 new seam shingles from chance (3-paragraph copies: recall 0.82 -> see docs)
    sample_from: int = 400
    seed: int = 1

    @property
    def permutations(self) -> int:
        return self.bands * self.rows


def normalise(text: str) -> str:
    """Case, accents, quotes, punctuation and whitespace do not make two texts different."""
    # NFKD acts on each character alone, so only the runs of non-ASCII characters need it.
    text = _NON_ASCII.sub(_strip_accents, text)
    return " ".join(_NON_WORD.sub(" ", text.lower()).split())


def _strip_accents(run: re.Match) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", run.group(0)) if not unicodedata.combining(c))


def exact_key(normalised: str) -> str:
    return hashlib.sha1(normalised.encode("utf-8")).hexdigest()


def shingle_hashes(normalised: str, size: int) -> np.ndarray:
    """32-bit hashes of every run of `size` consecutive words, in text order (with repeats)."""
    words = normalised.split()
    if not words:
        return np.zeros(0, dtype=np.uint32)
    word_hashes = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64,
                              count=len(words))
    size = min(size, len(words))
    combined = np.zeros(len(words) - size + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(size):
            combined = combined * np.uint64(1_000_003) + word_hashes[offset:len(words) - size + 1 + offset]
    return (combined ^ (combined >> np.uint64(32))).astype(np.uint32)


class MinHasher:
    def __init__(self, params: Params):
        rng = np.random.default_rng(params.seed)
        self.params = params
        self.a = rng.integers(1, 2**63, size=params.permutations, dtype=np.uint64) | np.uint64(1)
        self.b = rng.integers(0, 2**63, size=params.permutations, dtype=np.uint64)

    def signature(self, shingle_set: np.ndarray) -> np.ndarray:
        """One minimum per permutation: (a * x + b) mod 2^64, top 32 bits (multiply-shift hashing)."""
        if shingle_set.size == 0:
            return np.full(self.params.permutations, np.iinfo(np.uint32).max, dtype=np.uint32)
        with np.errstate(over="ignore"):
            mixed = (self.a[:, None] * shingle_set.astype(np.uint64)[None, :] + self.b[:, None]) >> np.uint64(32)
        return mixed.min(axis=1).astype(np.uint32)

    def band_keys(self, signature: np.ndarray) -> list[str]:
        rows = self.params.rows
        return [f"b{band}:{signature[band * rows:(band + 1) * rows].tobytes().hex()}"
                for band in range(self.params.bands)]


def lead_keys(shingles: np.ndarray, count: int) -> list[str]:
    """The article's first shingles: a copy cut after its first paragraphs still starts the same."""
    return [f"lead:{value:08x}" for value in shingles[:count].tolist()]


def overlap(left: np.ndarray, right: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set in the larger) of two sorted unique shingle sets."""
    if left.size == 0 or right.size == 0:
        return 0.0, 0.0
    shared = np.intersect1d(left, right, assume_unique=True).size
    return shared / (left.size + right.size - shared), shared / min(left.size, right.size)


def sample(shingle_set: np.ndarray, every: int) -> np.ndarray:
    """The shingles whose hash is divisible by `every`: a uniform sample that two texts share alike,
    so Jaccard and containment of the samples estimate those of the full sets (Broder's mod-m sketch)."""
    return shingle_set[shingle_set % np.uint32(every) == 0]
