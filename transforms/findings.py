"""The first read's findings joined to the articles of the second, by article id.

Copies (copy -> canonical), stories (article -> story root) and each canonical's copies are found on
the first read (or over a stream's window). Each article meets its own findings in one CoGroupByKey,
so no worker holds a map of the corpus: as side inputs, every worker held all three whole.

What meets the findings is whatever the second read carries under the article's id. A batch run's
files cross the join as their paths and are read again beside their findings (`Findings` rides
along, transforms.common.Carrying), so the shuffle moves ids and paths, not the corpus's text: on
the in-process runner a stage's input is one message a worker holds whole. A stream's window
articles cross it as they are.

The join gives each article its marks (is_duplicate, duplicate_of, story_id) and, beside each
canonical article, its copies' (article_id, published_date), with which the NLP stage repeats the
canonical's rows for its copies.
"""

from __future__ import annotations

import dataclasses

import apache_beam as beam

from schemas.records import Article

ITEM, CANONICAL, STORY, COPIES, LANGUAGE = "item", "canonical", "story", "copies", "language"
TO_ANALYSE = "to_analyse"


@dataclasses.dataclass(frozen=True)
class Findings:
    """What the first read found of one article: the canonical it copies, its story's root, if it is a
    canonical its copies' (article_id, published_date), and the (language, score) it was detected in (None
    where the first read did not detect it)."""

    article_id: str
    duplicate_of: str | None = None
    story_id: str | None = None
    copies: tuple = ()
    language: tuple | None = None


def _first(values, default=None):
    return next(iter(values), default)


class FindingsFn(beam.DoFn):
    """(article_id, joined) -> (Findings, item) for each item the second read has under that id."""

    def process(self, joined):
        article_id, found = joined
        findings = Findings(article_id, _first(found[CANONICAL]), _first(found[STORY]),
                            tuple(_first(found.get(COPIES, ()), ())), _first(found.get(LANGUAGE, ())))
        for item in found[ITEM]:
            yield findings, item


class FindingsById(beam.PTransform):
    """(article id, item) -> (Findings, item): any item, an Article or what reads one.

    duplicates: (copy id, canonical id); stories: (article id, story root id), every member of a story
    but its root, copies included; copies: (canonical id, ((copy id, published date), ...)), optional;
    languages: (article id, (language, score)) as the first read detected them, optional.
    """

    def __init__(self, duplicates, stories=None, copies=None, languages=None):
        super().__init__()
        self.duplicates, self.stories, self.copies, self.languages = duplicates, stories, copies, languages

    def expand(self, items):
        pipeline = items.pipeline
        findings = {
            ITEM: items,
            CANONICAL: self.duplicates,
            STORY: self.stories if self.stories is not None else pipeline | "NoStories" >> beam.Create([]),
        }
        if self.copies is not None:
            findings[COPIES] = self.copies
        if self.languages is not None:
            findings[LANGUAGE] = self.languages
        return findings | "ByArticle" >> beam.CoGroupByKey() | "Findings" >> beam.ParDo(FindingsFn())


class MarkFn(beam.DoFn):
    """(Findings, Article) -> the marked Article (main output), and for each canonical article
    (Article, its copies) in TO_ANALYSE."""

    def __init__(self):
        self.changed = beam.metrics.Metrics.counter("read", "changed_between_reads")

    def process(self, pair):
        findings, article = pair
        if findings.article_id != article.article_id:
            # The file changed between the run's two reads: a new article, which nothing was found of.
            self.changed.inc()
            findings = Findings(article.article_id)
        # A stream's copies of an earlier window's story are marked already (RecentCopiesFn).
        if not article.is_duplicate:
            canonical = findings.duplicate_of
            article = dataclasses.replace(article, is_duplicate=canonical is not None, duplicate_of=canonical,
                                          story_id=findings.story_id or canonical or article.article_id)
        yield article
        if not article.is_duplicate:
            yield beam.pvalue.TaggedOutput(TO_ANALYSE, (article, findings.copies))


class Mark(beam.PTransform):
    """(Findings, Article) pairs -> `articles` (marked) and `to_analyse` ((canonical Article, its copies))."""

    def expand(self, pairs):
        return pairs | "Mark" >> beam.ParDo(MarkFn()).with_outputs(TO_ANALYSE, main="articles")


def by_id(article: Article):
    return article.article_id, article


class JoinFindings(beam.PTransform):
    """Articles -> `articles` (marked) and `to_analyse`: FindingsById, then Mark, for articles at hand."""

    def __init__(self, duplicates, stories=None, copies=None):
        super().__init__()
        self.duplicates, self.stories, self.copies = duplicates, stories, copies

    def expand(self, articles):
        return (articles
                | "ById" >> beam.Map(by_id)
                | "FindingsById" >> FindingsById(self.duplicates, self.stories, self.copies)
                | "Mark" >> Mark())
