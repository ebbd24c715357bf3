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
import time

import apache_beam as beam
from apache_beam.metrics import Metrics

from schemas.errors import UsageError
from schemas.records import DeadLetter, Document
from transforms.common import DEAD_LETTER, worker_resource
from transforms.sources.fetch import Fetcher, FetchError, FetchOptions, is_web_url, normalise_url, page_identity, redact
from transforms.sources.read import decode

STAGE = "pages"
PAGE_OPTIONS = FetchOptions(robots=True, per_host=2, host_delay=1.0, concurrency=32)
BATCH = 200  # items fetched together: many hosts at once
STREAM_RETRIES = 2  # a stream asks a failing page again (after 2 s, then 4 s) before keeping the feed's text
MAX_RETRY_WAIT = 30.0  # seconds; a page whose server asks for longer (Retry-After) is not retried in this batch


def transient(error: FetchError) -> bool:
    """Worth asking again soon: a server error, a refused or reset connection; not a 4xx, a
    robots.txt answer or a stall (a stalling server is given the deadline once)."""
    text = str(error)
    return (text.startswith("HTTP 5") or text.startswith("HTTP 429")
            or (text.startswith("fetch failed") and "within" not in text))


class FollowLinksFn(beam.DoFn):
    """A batch of Documents -> each with its page's HTML as text (its own text kept as `summary`).
    `retries`: how many more times a transient failure is tried, after the fetcher's backoff."""

    def __init__(self, options: FetchOptions = PAGE_OPTIONS, retries: int = 0):
        self.options, self.retries = options, retries
        self.fetched = Metrics.counter(STAGE, "pages")
        self.failed = Metrics.counter(STAGE, "failed")
        self.retried = Metrics.counter(STAGE, "retried")

    def setup(self):
        self.fetcher = worker_resource(("page-fetcher", self.options), lambda: Fetcher(self.options))

    def _fetch(self, links: list[str]) -> dict:
        answers = dict(self.fetcher.fetch_all(links)) if links else {}
        for _ in range(self.retries):
            states = self.fetcher.states
            due = {link: states[normalise_url(link)].retry_after for link, answer in answers.items()
                   if isinstance(answer, FetchError) and transient(answer) and normalise_url(link) in states}
            again = [link for link, at in due.items() if at - time.monotonic() <= MAX_RETRY_WAIT]
            if not again:
                break
            self.retried.inc(len(again))
            time.sleep(max(0.0, max(due[link] for link in again) - time.monotonic()))
            # A page still backing off answers None: its last error stands.
            answers.update((link, answer) for link, answer in self.fetcher.fetch_all(again) if answer is not None)
        return answers

    def process(self, batch: list[Document]):
        links = list(dict.fromkeys(page_identity(d.source) for d in batch if is_web_url(d.source)))
        answers = self._fetch(links)
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

    def __init__(self, options: FetchOptions = PAGE_OPTIONS, retries: int = 0):
        super().__init__()
        self.options, self.retries = options, retries

    def expand(self, documents):
        return (documents
                # A fixed size: BatchElements' adaptive sizing starts at one item, and one item at a time
                # would pace the whole run by one host's delay.
                | "Batch" >> beam.BatchElements(min_batch_size=BATCH, max_batch_size=BATCH)
                | "Fetch" >> beam.ParDo(FollowLinksFn(self.options, self.retries)).with_outputs(
                    DEAD_LETTER, main="documents"))


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
