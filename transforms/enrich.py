"""Enrichment: clean articles to the rows of every table, the same for a batch run and a stream.

    articles -> language -> copies -> stories -> analyse (entities, topics, statuses) -> label vote

Copies, stories, the run's full names and the label vote are found over a window: the whole run
in a batch, each window in a stream. A batch run finds them on a first read of its input (`survey`)
so that no stage holds the corpus; a stream surveys the window's own articles. Copies and stories
reach each article by a keyed join (transforms/findings.py); the full names and the label votes,
bounded by the names in the news rather than by the articles, are side inputs. Either way the same
items give the same rows.
"""

from __future__ import annotations

import apache_beam as beam

from schemas import tables
from transforms.common import DEAD_LETTER
from transforms.dedup.duplicates import COPIES, COPY_RANKS, FindDuplicates
from transforms.dedup.minhash import Params
from transforms.findings import TO_ANALYSE, JoinFindings
from transforms.nlp.analyse import AnalyseArticles, table_rows
from transforms.nlp.labels import VoteLabels
from transforms.nlp.model import DEFAULT_MODEL
from transforms.stories.groups import FindStories
from transforms.stories.names import FindCorpusNames, NameArticlesFn
from transforms.text.language import DetectLanguage


class Enrich(beam.PTransform):
    """Articles -> {table: rows} for articles, entities, topics, status_mentions, and the dead letters
    of analysis. `survey`: the articles to find copies, stories and names in (default: these)."""

    def __init__(self, model: str = DEFAULT_MODEL, dedup: Params | None = None, survey=None,
                 every_sentence: bool = False):
        super().__init__()
        self.model, self.dedup, self.survey, self.every_sentence = model, dedup or Params(), survey, every_sentence

    def expand(self, articles):
        survey = self.survey if self.survey is not None else articles
        # A stream's copies of earlier windows are marked already: this window's copies are of the rest.
        survey = survey | "NotYetCopies" >> beam.Filter(lambda a: not a.is_duplicate)
        found = survey | "FindDuplicates" >> FindDuplicates(self.dedup)
        named = survey | "NameArticles" >> beam.ParDo(NameArticlesFn())
        stories = named | "FindStories" >> FindStories(found[COPY_RANKS])
        full_names = named | "FindCorpusNames" >> FindCorpusNames()

        joined = (
            articles
            | "DetectLanguage" >> DetectLanguage()
            | "JoinFindings" >> JoinFindings(found.duplicates, stories, found[COPIES])
        )
        analysed = joined[TO_ANALYSE] | "Analyse" >> AnalyseArticles(self.model, full_names,
                                                                     every_sentence=self.every_sentence)
        rows = table_rows(analysed)
        rows[tables.ENTITIES] = rows[tables.ENTITIES] | "VoteLabels" >> VoteLabels()
        return {tables.ARTICLES: joined.articles, **rows, DEAD_LETTER: analysed[DEAD_LETTER]}
