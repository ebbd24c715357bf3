"""Syndicated copies of real articles, of known kinds, for dedup evaluation and benchmarks.

Every kind is something wire copy goes through on its way to other sites: new page chrome, a new
headline, a dropped paragraph, a credit line, lines re-wrapped, OCR-like typos, or only the first
paragraphs as a feed summary. Copies are made with a seeded generator, so the set is the same
every time and truth is known by construction.
"""

from __future__ import annotations

import random
import textwrap

KINDS = ("chrome", "headline", "dropped_paragraph", "credit", "reflow", "typos", "summary")

_CHROME_TOP = "News Feed\n\n{headline}\n\n2 min read\n\n"
_CHROME_BOTTOM = (
    "\n\nShare this article\n\nRisk Warning: this article represents only the author's views and is for "
    "reference only. It does not constitute investment advice or financial guidance.\n\nLatest news\n\n{others}"
)
_OCR = (("rn", "m"), ("m", "rn"), ("l", "1"), ("o", "0"), ("e", "c"), ("i", "l"), ("h", "b"))


def paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.split("\n") if p.strip()]


def page(headline: str, body_paragraphs: list[str]) -> str:
    return headline + "\n\n" + "\n\n".join(body_paragraphs) + "\n"


def make_copy(kind: str, headline: str, body: str, other_headlines: list[str], rng: random.Random) -> str:
    parts = paragraphs(body)
    if kind == "chrome":
        top = _CHROME_TOP.format(headline=headline)
        return top + "\n\n".join(parts) + _CHROME_BOTTOM.format(others="\n\n".join(other_headlines[:5]))
    if kind == "headline":
        return page(f"{other_headlines[0].split(' ')[0]} update: {headline.lower()}", parts)
    if kind == "dropped_paragraph":
        if len(parts) > 2:
            del parts[rng.randrange(1, len(parts) - 1)]
        return page(headline, parts)
    if kind == "credit":
        parts[0] = f"LONDON (Reuters) - {parts[0]}"
        return page(headline, [*parts, "(Reporting by Kate Holton; Editing by Alison Williams)"])
    if kind == "reflow":
        return headline + "\n\n" + "\n\n".join(textwrap.fill(p, width=rng.choice((60, 72, 80))) for p in parts)
    if kind == "typos":
        words = body.split(" ")
        for i in rng.sample(range(len(words)), k=max(1, len(words) * 3 // 100)):
            for old, new in _OCR:
                if old in words[i]:
                    words[i] = words[i].replace(old, new, 1)
                    break
        return page(headline, paragraphs(" ".join(words)))
    if kind == "summary":
        return page(headline, parts[:2])
    raise ValueError(f"unknown copy kind {kind!r}")
