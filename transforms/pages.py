"""Article pages: each feed item (or listed URL) followed to its page, fetched politely.

A feed item is mostly a headline and a summary; the page behind its link has the article. Pages
are fetched by the same fetcher as feeds, with what a site operator expects of a crawler: the
host's robots.txt first, at most `per_host` connections and `host_delay` seconds between requests
to one host, a User-Agent with a contact, a deadline and a size cap per page, Retry-After and
backoff. Many hosts are fetched at once, so the delay per host does not become the run's pace.
A page that cannot be had becomes a dead letter and its item keeps the feed's text.
"""

from __future__ import annotations

import dataclasses
import hashlib

import apache_beam as beam
from apache_beam.metrics import Metrics

from schemas.errors import UsageError
from schemas.records import DeadLetter, Document
from transforms.common import DEAD_LETTER, worker_resource
from transforms.fetch import Fetcher, FetchError, FetchOptions, is_web_url, page_identity, redact
from transforms.read import decode

STAGE = "pages"
PAGE_OPTIONS = FetchOptions(robots=True, per_host=2, host_delay=1.0, concurrency=32)
BATCH = 200  # items fetched together: many hosts at once


class FollowLinksFn(beam.DoFn):
    """A batch of Documents -> each with its page's HTML as text (its own text kept as `summary`)."""

    def __init__(self, options: FetchOptions = PAGE_OPTIONS):
        self.options = options
        self.fetched = Metrics.counter(STAGE, "pages")
        self.failed = Metrics.counter(STAGE, "failed")

    def setup(self):
        self.fetcher = worker_resource(("page-fetcher", self.options), lambda: Fetcher(self.options))

    def process(self, batch: list[Document]):
        links = list(dict.fromkeys(page_identity(d.source) for d in batch if is_web_url(d.source)))
        answers = dict(self.fetcher.fetch_all(links)) if links else {}
        for document in batch:
            answer = answers.get(page_identity(document.source)) if is_web_url(document.source) else None
            if isinstance(answer, bytes):
                try:
                    page = decode(answer)
                except ValueError as error:
                    answer = FetchError(f"not a web page: {error}")
                else:
                    self.fetched.inc()
                    yield dataclasses.replace(document, text=page, summary=document.text)
                    continue
            if isinstance(answer, FetchError):
                self.failed.inc()
                yield beam.pvalue.TaggedOutput(DEAD_LETTER, DeadLetter.of(redact(document.source), STAGE, str(answer)))
            if document.text.strip():  # the feed's own text stands in for the page
                yield document
            elif answer is None:
                yield document  # backing off, or not a web link: the clean stage says what is missing


class FollowLinks(beam.PTransform):
    """Documents -> the same with their pages (`documents`), and `dead_letter` for pages not had."""

    def __init__(self, options: FetchOptions = PAGE_OPTIONS):
        super().__init__()
        self.options = options

    def expand(self, documents):
        return (documents
                # A fixed size: BatchElements' adaptive sizing starts at one item, and one item at a time
                # would pace the whole run by one host's delay.
                | "Batch" >> beam.BatchElements(min_batch_size=BATCH, max_batch_size=BATCH)
                | "Fetch" >> beam.ParDo(FollowLinksFn(self.options)).with_outputs(DEAD_LETTER, main="documents"))


def url_documents(path: str) -> tuple[list[Document], list[DeadLetter]]:
    """`--urls FILE`: one article URL a line (# starts a comment) -> Documents to fetch, dead letters
    for lines that are not http(s) URLs (only their position is kept)."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            lines = handle.read(10_000_000).splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"--urls {path!r}: {getattr(error, 'strerror', None) or error}") from None
    documents, refused, seen = [], [], set()
    for number, line in enumerate(lines, 1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        if not is_web_url(entry):
            refused.append(DeadLetter.of(f"{path}:{number}", STAGE, "a --urls entry must be an http(s) URL"))
            continue
        url = page_identity(entry)
        if url not in seen:
            seen.add(url)
            documents.append(Document(article_id=hashlib.sha256(url.encode("utf-8")).hexdigest()[:16],
                                      source=entry, text=""))
    if not documents and not refused:
        raise UsageError(f"--urls {path!r} lists no URLs")
    return documents, refused
