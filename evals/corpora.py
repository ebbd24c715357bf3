"""Readers of the public corpora in ../shared/corpora, shared by the evaluations and benchmarks."""

from __future__ import annotations

import dataclasses
import datetime
import pathlib
from collections.abc import Iterator

from transforms.sources.read import decode


@dataclasses.dataclass(frozen=True)
class BbcArticle:
    path: str
    headline: str
    raw: str  # the whole file: headline line, blank line, body
    body: str


def bbc_articles(corpora: pathlib.Path) -> Iterator[BbcArticle]:
    for path in sorted((corpora / "bbc").glob("*/*.txt")):
        raw = decode(path.read_bytes())
        headline, _, body = raw.partition("\n")
        yield BbcArticle(path=str(path.relative_to(corpora)), headline=headline.strip(), raw=raw, body=body.strip())


@dataclasses.dataclass(frozen=True)
class FeedItem:
    feed: str
    title: str
    published: datetime.date | None
    html: str


def feed_items(corpora: pathlib.Path, names=("guardian.rss", "heise.atom")) -> Iterator[FeedItem]:
    import feedparser

    for name in names:
        parsed = feedparser.parse((corpora / "feeds-real" / name).read_bytes())
        for entry in parsed.entries:
            content = entry.get("content", [{}])[0].get("value") or entry.get("summary", "")
            stamp = entry.get("published_parsed") or entry.get("updated_parsed")
            yield FeedItem(feed=name, title=entry.get("title", "").strip(),
                           published=datetime.date(*stamp[:3]) if stamp else None, html=content)
