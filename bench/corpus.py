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


def sources(corpora: pathlib.Path | None) -> list[tuple[str, str]]:
    """(headline, body) of the real articles to draw from: BBC when given, else the seeds."""
    if corpora is not None:
        return [(a.headline, a.body) for a in bbc_articles(corpora)]
    from seeds import seeds_dir
    from transforms.sources.read import split_metadata
    from transforms.text import boilerplate

    rules = boilerplate.Rules.load()
    pages = [boilerplate.strip_page(split_metadata(p.read_text(encoding="utf-8"))[0], rules)
             for p in sorted(pathlib.Path(seeds_dir()).glob("*.txt"))]
    return [(page.title or page.paragraphs[0][:60], "\n".join(page.paragraphs)) for page in pages]


def build(corpora: pathlib.Path | None, folder: pathlib.Path, size: int, copy_share: float = 0.3,
          seed: int = 11) -> int:
    """Writes `size` articles under `folder`; returns how many are copies."""
    rng = random.Random(seed)
    real = sources(corpora)
    paragraph_pool = [p for _, body in real for p in body.split("\n") if len(p.split()) >= 8]
    copies = int(size * copy_share)
    originals = []
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(size - copies):
        headline = rng.choice(real)[0]
        body = "\n".join(rng.sample(paragraph_pool, k=min(len(paragraph_pool), rng.randint(6, 14))))
        originals.append((headline, body))
        (folder / f"a{n:06d}.txt").write_text(f"{headline}\n\n{body}\n", encoding="utf-8")
    headlines = [h for h, _ in originals[:50]]
    for n in range(copies):
        headline, body = rng.choice(originals)
        text = make_copy(rng.choice(KINDS), headline, body, headlines, rng)
        (folder / f"c{n:06d}.txt").write_text(text, encoding="utf-8")
    return copies
