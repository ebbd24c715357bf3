"""The first read's findings joined to the second read's articles, by article id.

Copies (copy -> canonical), stories (article -> story root) and each canonical's copies are found on
the first read (or over a stream's window). Each article meets its own findings in one CoGroupByKey,
so no worker holds a map of the corpus: as side inputs, every worker held all three whole.

The join gives each article its marks (is_duplicate, duplicate_of, story_id) and, beside each
canonical article, its copies' (article_id, published_date), with which the NLP stage repeats the
canonical's rows for its copies.
"""

from __future__ import annotations

import dataclasses

import apache_beam as beam

from schemas.records import Article

ARTICLE, CANONICAL, STORY, COPIES = "article", "canonical", "story", "copies"
TO_ANALYSE = "to_analyse"


def _first(values, default=None):
    return next(iter(values), default)


class ApplyFindingsFn(beam.DoFn):
    """(article_id, joined findings) -> each marked Article (main output), and for each canonical
    article (Article, its copies) in TO_ANALYSE."""

    def process(self, joined):
        _, found = joined
        canonical, story = _first(found[CANONICAL]), _first(found[STORY])
        copies = _first(found.get(COPIES, ()), ())
        for article in found[ARTICLE]:
            # A stream's copies of an earlier window's story are marked already (RecentCopiesFn).
            if not article.is_duplicate:
                article = dataclasses.replace(article, is_duplicate=canonical is not None, duplicate_of=canonical,
                                              story_id=story or canonical or article.article_id)
            yield article
            if not article.is_duplicate:
                yield beam.pvalue.TaggedOutput(TO_ANALYSE, (article, copies))


def _by_id(article: Article):
    return article.article_id, article


class JoinFindings(beam.PTransform):
    """Articles -> `articles` (marked) and `to_analyse` ((canonical Article, its copies)).

    duplicates: (copy id, canonical id); stories: (article id, story root id), every member of a story
    but its root, copies included; copies: (canonical id, ((copy id, published date), ...)), optional.
    """

    def __init__(self, duplicates, stories=None, copies=None):
        super().__init__()
        self.duplicates, self.stories, self.copies = duplicates, stories, copies

    def expand(self, articles):
        pipeline = articles.pipeline
        findings = {
            ARTICLE: articles | "ById" >> beam.Map(_by_id),
            CANONICAL: self.duplicates,
            STORY: self.stories if self.stories is not None else pipeline | "NoStories" >> beam.Create([]),
        }
        if self.copies is not None:
            findings[COPIES] = self.copies
        return (findings
                | "ByArticle" >> beam.CoGroupByKey()
                | "Apply" >> beam.ParDo(ApplyFindingsFn()).with_outputs(TO_ANALYSE, main="articles"))
