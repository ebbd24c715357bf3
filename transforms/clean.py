"""Clean stage: page chrome out, headline and publication date in; a Document becomes an Article."""

from __future__ import annotations

import datetime

import apache_beam as beam
from apache_beam.metrics import Metrics

from schemas.records import Article, DeadLetter, Document
from transforms import boilerplate, dates, html
from transforms.common import DEAD_LETTER, timed

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
        text, title = document.text, document.metadata_title
        if document.source.lower().endswith((".html", ".htm")) or html.looks_like_html(text):
            extracted = html.html_to_text(text)
            text, title = extracted.text, title or extracted.title
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
