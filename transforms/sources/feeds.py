"""Feeds: RSS/Atom fetched by the shared fetcher, parsed with feedparser, items as Documents.

Fetching (transforms/sources/fetch.py) has a total deadline per feed, conditional GETs, gzip, bounded
redirects and size, and a backoff after errors; all feeds of a run or a poll are fetched at once.
An item becomes a Document with its link as `source`, its published time as the metadata date, its
title as the metadata title and its HTML content (content:encoded, else the summary) as text, which
the clean stage turns into plain text. A feed that fails, or is so broken that feedparser finds no
item, becomes a dead_letter row; a partly broken feed yields its good items. The same item in two
feeds (or under two spellings of one feed's URL) is one Document.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import stat
from collections import Counter

import apache_beam as beam
from apache_beam.metrics import Metrics

from schemas.errors import UsageError
from schemas.records import DeadLetter, Document
from transforms import dates
from transforms.common import DEAD_LETTER
from transforms.sources.fetch import (
    LOCAL_SCHEME,
    Fetcher,
    FetchError,
    FetchOptions,
    is_web_url,
    normalise_url,
    page_identity,
    read_local,
    redact,
)

STAGE = "feeds"


def item_id(link: str, guid: str | None, content: str) -> str:
    """Stable per item: its guid or link, and its content (an edited item is a new version)."""
    key = (guid or page_identity(link or "")) + "\0" + content
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _date(entry) -> datetime.date | None:
    """The item's date: feedparser's reading, else the date string in any language of data/dates.toml
    (feedparser reads English month names only: "Seg, 24 Set 2018" is Portuguese)."""
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    try:
        if stamp:
            return datetime.date(*stamp[:3])
    except (TypeError, ValueError):
        pass
    return dates.feed_date(entry.get("published") or entry.get("updated") or "")


def parse_feed(url: str, body: bytes) -> tuple[list[Document], str | None]:
    """Items of a feed as Documents, and an error when the feed gives nothing usable."""
    import feedparser

    parsed = feedparser.parse(body)
    language = (parsed.get("feed", {}).get("language") or "").strip() or None
    documents = []
    for entry in parsed.entries:
        content = (entry.get("content") or [{}])[0].get("value") or entry.get("summary") or ""
        title = (entry.get("title") or "").strip() or None
        if not content.strip() and not title:
            continue
        link = redact(entry.get("link") or url)
        documents.append(Document(
            article_id=item_id(link, entry.get("id"), content),
            source=link,
            text=content if content.strip() else title,
            metadata_date=_date(entry),
            metadata_title=title,
            language=language,
        ))
    if not documents:
        if parsed.get("bozo"):
            return [], f"not a feed: {type(parsed.get('bozo_exception')).__name__}: {parsed.get('bozo_exception')}"
        if not parsed.get("version"):
            return [], "not a feed: no RSS or Atom document found"
        return [], "feed has no items"
    return documents, None


class FetchFeedsFn(beam.DoFn):
    """A list of feeds -> their items as Documents (each item once), failures as dead letters.

    One element holds every feed so that they are fetched at once; ETags are kept between calls.
    """

    def __init__(self, options: FetchOptions | None = None):
        self.options = options or FetchOptions()
        self.items = Metrics.counter(STAGE, "items")
        self.unchanged = Metrics.counter(STAGE, "unchanged")
        self.failed = Metrics.counter(STAGE, "failed")
        self.repeated = Metrics.counter(STAGE, "items_in_several_feeds")

    def setup(self):
        self.fetcher = Fetcher(self.options)

    def process(self, feeds: list[str]):
        yield from self.fetch(self.fetcher, feeds, set())

    def fetch(self, fetcher: Fetcher, feeds: list[str], seen: set):
        """Items not in `seen` (which grows), and dead letters, feed by feed in the given order.
        `self.tally` counts this call's items and unchanged and failed feeds (a stream's poll line)."""
        self.tally = Counter()
        for url, result in fetcher.fetch_all(unique_feeds(feeds)):
            shown = redact(url.removeprefix(LOCAL_SCHEME))
            if isinstance(result, FetchError):
                self.failed.inc()
                self.tally["failed"] += 1
                yield beam.pvalue.TaggedOutput(DEAD_LETTER, DeadLetter.of(shown, STAGE, str(result)))
                continue
            if result is None:
                self.unchanged.inc()
                self.tally["unchanged"] += 1
                continue
            documents, error = parse_feed(shown, result)
            if error:
                self.failed.inc()
                self.tally["failed"] += 1
                # A local file is the user's own: its bytes are not copied into the output.
                excerpt = b"" if url.startswith(LOCAL_SCHEME) else result
                yield beam.pvalue.TaggedOutput(DEAD_LETTER, DeadLetter.of(shown, STAGE, error, excerpt))
            for document in documents:
                if document.article_id in seen:
                    self.repeated.inc()
                    continue
                seen.add(document.article_id)
                self.items.inc()
                self.tally["items"] += 1
                yield document


def unique_feeds(feeds: list[str]) -> list[str]:
    """The feeds in their order, a feed given twice (in any spelling) once."""
    first: dict[str, str] = {}
    for feed in feeds:
        first.setdefault(normalise_url(feed), feed)
    return list(first.values())


def read_feed_list(value: str) -> tuple[list[str], list[DeadLetter]]:
    """--feeds VALUE -> (feeds to fetch, dead letters for entries that cannot be fetched).

    VALUE is a feed URL, a local feed file, or a file listing feed URLs one a line (# starts a
    comment). Entries of a list must be http(s) URLs: a list never makes newsbeam open local files.
    """
    if "://" in value:
        return [value], []
    try:
        info = os.stat(value)
    except OSError as error:
        raise UsageError(f"--feeds {value!r}: {error.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        return [], [DeadLetter.of(value, STAGE, "not a regular file: a feed or a feed list must be a file")]
    try:
        head = read_local(value, FetchOptions().max_bytes)
    except FetchError as error:
        return [], [DeadLetter.of(value, STAGE, str(error))]
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return [LOCAL_SCHEME + os.path.abspath(value)], []  # the file is a feed itself
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [DeadLetter.of(value, STAGE, "neither a feed nor a UTF-8 list of feed URLs")]
    feeds, rejected = [], []
    for number, line in enumerate(text.splitlines(), 1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        if is_web_url(entry):
            feeds.append(entry)
        else:  # the line itself may be anything (a password file's line): only its position is kept
            rejected.append(DeadLetter.of(f"{value}:{number}", STAGE,
                                          "a feed list entry must be an http(s) URL; give a local feed file "
                                          "directly as --feeds PATH"))
    if not feeds and not rejected:
        raise UsageError(f"--feeds {value!r} lists no feeds")
    return feeds, rejected

