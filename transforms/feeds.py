"""Feeds: fetch RSS/Atom over HTTP politely, parse with feedparser, turn items into Documents.

Fetching: conditional GET (ETag, Last-Modified), a timeout, a cap on the body, gzip, at most
`max_redirects` redirects, a User-Agent, and after an error a per-feed backoff that doubles up to
`max_backoff` seconds. An item becomes a Document with its link as `source`, its published time as
the metadata date, its title as the metadata title and its HTML content (content:encoded, else the
summary) as text, which the clean stage turns into plain text. A feed that fails, or is so broken
that feedparser finds no item, becomes a dead_letter row; a partly broken feed yields its good items.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import time
import urllib.error
import urllib.request
import zlib

import apache_beam as beam
from apache_beam.metrics import Metrics

from schemas.records import DeadLetter, Document
from transforms.common import DEAD_LETTER

STAGE = "feeds"
USER_AGENT = "newsbeam/0.1 (+https://github.com/newsbeam/newsbeam; news ingestion)"


@dataclasses.dataclass(frozen=True)
class FetchOptions:
    timeout: float = 10.0
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    max_backoff: float = 3600.0


@dataclasses.dataclass
class FeedState:
    """What a worker remembers of a feed between polls."""

    etag: str | None = None
    modified: str | None = None
    failures: int = 0
    retry_after: float = 0.0


class FetchError(Exception):
    pass


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, limit: int):
        self.max_redirections = limit
        self.max_repeats = limit


class Fetcher:
    """Fetches feed URLs (or reads local files) with per-feed state; one per worker."""

    def __init__(self, options: FetchOptions = FetchOptions()):
        self.options = options
        self.states: dict[str, FeedState] = {}
        self.opener = urllib.request.build_opener(_LimitedRedirects(options.max_redirects))

    def fetch(self, url: str, now: float | None = None) -> bytes | None:
        """The feed's bytes; None when unchanged (304) or backing off; FetchError when it fails."""
        now = time.monotonic() if now is None else now
        state = self.states.setdefault(url, FeedState())
        if now < state.retry_after:
            return None
        try:
            body = self._get(url, state)
        except FetchError:
            state.failures += 1
            state.retry_after = now + min(self.options.max_backoff, 2 ** state.failures)
            raise
        state.failures, state.retry_after = 0, 0.0
        return body

    def _get(self, url: str, state: FeedState) -> bytes | None:
        if "://" not in url or url.startswith("file://"):
            try:
                with open(url.removeprefix("file://"), "rb") as handle:
                    return handle.read(self.options.max_bytes + 1)[: self.options.max_bytes]
            except OSError as error:
                raise FetchError(f"cannot read {url}: {error.strerror}") from None
        try:
            request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"})
        except ValueError as error:
            raise FetchError(f"not a feed URL: {error}") from None
        if state.etag:
            request.add_header("If-None-Match", state.etag)
        if state.modified:
            request.add_header("If-Modified-Since", state.modified)
        try:
            with self.opener.open(request, timeout=self.options.timeout) as response:
                body = response.read(self.options.max_bytes + 1)
                if len(body) > self.options.max_bytes:
                    raise FetchError(f"body larger than {self.options.max_bytes} bytes")
                if response.headers.get("Content-Encoding", "").lower() == "gzip":
                    body = _gunzip(body, self.options.max_bytes)
                state.etag = response.headers.get("ETag") or state.etag
                state.modified = response.headers.get("Last-Modified") or state.modified
                return body
        except urllib.error.HTTPError as error:
            if error.code == 304:
                return None
            raise FetchError(f"HTTP {error.code} {error.reason}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise FetchError(f"fetch failed: {reason}") from None


def _gunzip(body: bytes, limit: int) -> bytes:
    try:
        out = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, limit + 1)
    except zlib.error as error:
        raise FetchError(f"bad gzip body: {error}") from None
    if len(out) > limit:
        raise FetchError(f"body larger than {limit} bytes once decompressed")
    return out


def item_id(link: str, guid: str | None, content: str) -> str:
    """Stable per item: its guid or link, and its content (an edited item is a new version)."""
    key = (guid or link or "") + "\0" + content
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _date(entry) -> datetime.date | None:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    try:
        return datetime.date(*stamp[:3]) if stamp else None
    except (TypeError, ValueError):
        return None


def parse_feed(url: str, body: bytes) -> tuple[list[Document], str | None]:
    """Items of a feed as Documents, and an error when the feed gives nothing usable."""
    import feedparser

    parsed = feedparser.parse(body)
    documents = []
    for entry in parsed.entries:
        content = (entry.get("content") or [{}])[0].get("value") or entry.get("summary") or ""
        title = (entry.get("title") or "").strip() or None
        if not content.strip() and not title:
            continue
        link = entry.get("link") or url
        documents.append(Document(
            article_id=item_id(link, entry.get("id"), content),
            source=link,
            text=content if content.strip() else title,
            metadata_date=_date(entry),
            metadata_title=title,
        ))
    if not documents:
        if parsed.get("bozo"):
            return [], f"not a feed: {type(parsed.get('bozo_exception')).__name__}: {parsed.get('bozo_exception')}"
        if not parsed.get("version"):
            return [], "not a feed: no RSS or Atom document found"
        return [], "feed has no items"
    return documents, None


class FetchFeedFn(beam.DoFn):
    """Feed URL -> its items as Documents; failures as dead letters. Keeps ETags between polls."""

    def __init__(self, options: FetchOptions = FetchOptions()):
        self.options = options
        self.items = Metrics.counter(STAGE, "items")
        self.unchanged = Metrics.counter(STAGE, "unchanged")
        self.failed = Metrics.counter(STAGE, "failed")

    def setup(self):
        self.fetcher = Fetcher(self.options)

    def process(self, url: str):
        try:
            body = self.fetcher.fetch(url)
        except FetchError as error:
            self.failed.inc()
            yield beam.pvalue.TaggedOutput(DEAD_LETTER, DeadLetter.of(url, STAGE, str(error)))
            return
        if body is None:
            self.unchanged.inc()
            return
        documents, error = parse_feed(url, body)
        if error:
            self.failed.inc()
            yield beam.pvalue.TaggedOutput(DEAD_LETTER, DeadLetter.of(url, STAGE, error, body))
        self.items.inc(len(documents))
        yield from documents


def read_feed_list(value: str) -> list[str]:
    """A feed URL, a feed file, or a file listing feed URLs or paths, one a line (# starts a comment)."""
    if "://" in value:
        return [value]
    try:
        with open(value, "rb") as handle:
            head = handle.read(4096)
            if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                return [value]  # the file is a feed itself
            lines = [line.split("#", 1)[0].strip() for line in (head + handle.read()).decode("utf-8").splitlines()]
    except (OSError, UnicodeDecodeError) as error:
        raise FileNotFoundError(f"--feeds {value!r}: {getattr(error, 'strerror', None) or error}") from None
    feeds = [line for line in lines if line]
    if not feeds:
        raise FileNotFoundError(f"--feeds {value!r} lists no feeds")
    return feeds


