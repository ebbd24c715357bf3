"""Benchmark corpora built from real BBC text, with a share of syndicated copies of known kinds.

A distinct article is a real BBC headline over paragraphs drawn from several real BBC articles
(seeded, so the same size always gives the same corpus); a copy is one of the copy kinds of
evals/copies.py applied to a distinct article. Files are written one article each, as users have them.
"""

from __future__ import annotations

import pathlib
import random

from evals.copies import KINDS, make_copy
from evals.corpora import bbc_articles


def build(corpora: pathlib.Path, folder: pathlib.Path, size: int, copy_share: float = 0.3, seed: int = 11) -> int:
    """Writes `size` articles under `folder`; returns how many are copies."""
    rng = random.Random(seed)
    sources = list(bbc_articles(corpora))
    paragraph_pool = [p for a in sources for p in a.body.split("\n") if len(p.split()) >= 8]
    copies = int(size * copy_share)
    originals = []
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(size - copies):
        headline = rng.choice(sources).headline
        body = "\n".join(rng.sample(paragraph_pool, k=rng.randint(6, 14)))
        originals.append((headline, body))
        (folder / f"a{n:06d}.txt").write_text(f"{headline}\n\n{body}\n", encoding="utf-8")
    headlines = [h for h, _ in originals[:50]]
    for n in range(copies):
        headline, body = rng.choice(originals)
        text = make_copy(rng.choice(KINDS), headline, body, headlines, rng)
        (folder / f"c{n:06d}.txt").write_text(text, encoding="utf-8")
    return copies
