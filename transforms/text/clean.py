"""Clean stage: page chrome out, headline and publication date in; a Document becomes an Article."""

from __future__ import annotations

import collections
import datetime
import pickle
import threading
import zlib

import apache_beam as beam
from apache_beam.metrics import Metrics

from schemas.records import Article, DeadLetter, Document
from transforms import dates
from transforms.common import DEAD_LETTER, timed, worker_resource
from transforms.sources.fetch import is_web_url
from transforms.text import boilerplate, html

STAGE = "clean"


class ExtractedPages:
    """Extracted web pages handed from a batch run's first read to its second, in this process.

    A page costs ~30 ms to extract (trafilatura and htmldate), as much as half the NER's cost per
    article; the two reads would pay it twice. The first read keeps each result (zlib-compressed,
    ~2.8 KB a page on Zyte's pages), the second takes it back; past `limit` bytes (~90k pages) the
    oldest go and are extracted again. A runner that gives the second read another process
    extracts again: the same result.
    """

    def __init__(self, limit: int = 256 << 20):  # beside the ~1.6 GB a 100k-article run peaks at
        self.limit, self.size = limit, 0
        self.pages: collections.OrderedDict[str, bytes] = collections.OrderedDict()
        self.lock = threading.Lock()

    def put(self, key: str, page: html.HtmlPage) -> None:
        packed = zlib.compress(pickle.dumps(page, protocol=pickle.HIGHEST_PROTOCOL), 1)
        with self.lock:
            self.size += len(packed) - len(self.pages.pop(key, b""))
            self.pages[key] = packed
            while self.size > self.limit:
                self.size -= len(self.pages.popitem(last=False)[1])

    def take(self, key: str) -> html.HtmlPage | None:
        with self.lock:
            packed = self.pages.pop(key, None)
            self.size -= len(packed or b"")
        return pickle.loads(zlib.decompress(packed)) if packed else None


def day_of(timestamp) -> datetime.date:
    """The UTC day of a Beam element timestamp (a stream item's poll time)."""
    return datetime.datetime.fromtimestamp(float(timestamp), datetime.UTC).date()


class CleanDocumentFn(beam.DoFn):
    """`pages`: "keep" (a batch run's first read), "reuse" (its second) or None (read once).
    `reference_date`: the latest possible publication day; None takes each document's own timestamp
    (a stream item's fetch time), so a stream that runs past midnight keeps the next day's dates."""

    def __init__(self, reference_date: datetime.date | None, counters: str = STAGE, pages: str | None = None):
        self.reference_date = reference_date
        self.pages = pages
        self.undated = Metrics.counter(counters, "undated")
        self.rejected = Metrics.counter(counters, "rejected")
        self.reused = Metrics.counter(counters, "pages_extracted_once")

    def setup(self):
        self.rules = boilerplate.Rules.load()
        self.extracted = worker_resource(("extracted-pages",), ExtractedPages)

    def _extract(self, document: Document, reference: datetime.date) -> html.HtmlPage:
        if self.pages == "reuse" and (page := self.extracted.take(document.article_id)) is not None:
            self.reused.inc()
            return page
        page = html.extract_page(document.text, url=document.source if is_web_url(document.source) else None,
                                 reference_date=reference)
        if self.pages == "keep":
            self.extracted.put(document.article_id, page)
        return page

    @timed("clean")
    def process(self, document: Document, timestamp=beam.DoFn.TimestampParam):
        reference = self.reference_date or day_of(timestamp)
        text, title, stated = document.text, document.metadata_title, None
        from_page = document.summary is not None  # a feed item's (or a listed URL's) article page
        if from_page:
            stated = self._extract(document, reference)
            if stated.extractor == "trafilatura":
                text, title = stated.text, stated.title or title
            else:  # the page gave no article: the feed's own text stands, without its markup
                stated, from_page, text = None, False, document.summary
                if html.looks_like_html(text):
                    text = html.html_to_text(text).text
        elif document.source.lower().endswith((".html", ".htm", ".xhtml")) or html.looks_like_html(text):
            stated = self._extract(document, reference)
            text, title = stated.text, title or stated.title
        if stated is not None and stated.extractor == "trafilatura":
            # Chrome is gone already; the line rules are for plain text and feed summaries.
            lines = tuple(line for line in (" ".join(p.split()) for p in text.split("\n")) if line)
            page = boilerplate.Page(title=title, paragraphs=lines)
        else:
            page = boilerplate.strip_page(text, self.rules, known_title=title)
        if not page.paragraphs and document.metadata_title:
            # A feed item is the item, not a page: a headline-only item or a one-line summary stays.
            lines = tuple(line for line in (" ".join(p.split()) for p in text.split("\n")) if line)
            page = boilerplate.Page(title=title, paragraphs=lines or (title,))
        if not page.paragraphs:
            self.rejected.inc()
            yield beam.pvalue.TaggedOutput(DEAD_LETTER, DeadLetter.of(
                document.source, STAGE, "no article text left after removing page chrome",
                document.text))
            return
        if from_page and stated.date is not None:  # the page's own date before the feed's
            published, date_source = stated.date, stated.date_source
        elif document.metadata_date is not None:
            published, date_source = document.metadata_date, "metadata"
        elif stated is not None and stated.date is not None:
            published, date_source = stated.date, stated.date_source
        else:
            published, date_source = dates.publication_date(page.body, reference)
        if published is None:
            self.undated.inc()
        stated_fields = stated.stated() if stated is not None else {}
        if document.language and not stated_fields.get("declared_language"):
            stated_fields["declared_language"] = document.language  # a feed's, where its page declares none
        yield Article(
            article_id=document.article_id,
            source=document.source,
            title=page.title,
            published_date=published,
            date_source=date_source,
            language=None,
            text=page.body,
            text_source="page" if from_page else "feed" if is_web_url(document.source) else None,
            **stated_fields,
        )


class CleanArticles(beam.PTransform):
    """Documents to Articles; outputs `articles` and `dead_letter`. `pages`: see CleanDocumentFn."""

    def __init__(self, reference_date: datetime.date | None, counters: str = STAGE, pages: str | None = None):
        super().__init__()
        self.reference_date = reference_date
        self.counters = counters
        self.pages = pages

    def expand(self, documents):
        return documents | "Clean" >> beam.ParDo(CleanDocumentFn(self.reference_date, self.counters, self.pages)
                                                 ).with_outputs(DEAD_LETTER, main="articles")
