"""Clean stage: page chrome out, headline and publication date in; a Document becomes an Article."""

from __future__ import annotations

import datetime

import apache_beam as beam
from apache_beam.metrics import Metrics

from schemas.records import Article, DeadLetter, Document
from transforms import boilerplate, dates, html
from transforms.common import DEAD_LETTER, timed
from transforms.fetch import is_web_url

STAGE = "clean"


class CleanDocumentFn(beam.DoFn):
    def __init__(self, reference_date: datetime.date, counters: str = STAGE):
        self.reference_date = reference_date
        self.undated = Metrics.counter(counters, "undated")
        self.rejected = Metrics.counter(counters, "rejected")

    def setup(self):
        self.rules = boilerplate.Rules.load()

    @timed("clean")
    def process(self, document: Document):
        text, title, stated = document.text, document.metadata_title, None
        if document.source.lower().endswith((".html", ".htm", ".xhtml")) or html.looks_like_html(text):
            stated = html.extract_page(text, url=document.source if is_web_url(document.source) else None,
                                       reference_date=self.reference_date)
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
        if document.metadata_date is not None:
            published, date_source = document.metadata_date, "metadata"
        elif stated is not None and stated.date is not None:
            published, date_source = stated.date, stated.date_source
        else:
            published, date_source = dates.publication_date(page.body, self.reference_date)
        if published is None:
            self.undated.inc()
        yield Article(
            article_id=document.article_id,
            source=document.source,
            title=page.title,
            published_date=published,
            date_source=date_source,
            language=None,
            text=page.body,
            **(stated.stated() if stated is not None else {}),
        )


class CleanArticles(beam.PTransform):
    """Documents to Articles; outputs `articles` and `dead_letter`."""

    def __init__(self, reference_date: datetime.date, counters: str = STAGE):
        super().__init__()
        self.reference_date = reference_date
        self.counters = counters

    def expand(self, documents):
        return documents | "Clean" >> beam.ParDo(CleanDocumentFn(self.reference_date, self.counters)).with_outputs(
            DEAD_LETTER, main="articles")
