"""Enrichment: articles to the rows of every table, the same for a batch run and a stream.

    survey -> language -> copies, stories, names; items + findings -> (read, clean) -> analyse -> label vote
                                                                                    -> event ids reconciled

Copies, stories, the run's full names and the label vote are found over a window: the whole run
in a batch, each window in a stream. A batch run finds them on a first read of its input (`survey`)
so that no stage holds the corpus; a stream surveys the window's own articles. Copies and stories
reach each article by a keyed join (transforms/findings.py), before a batch run reads its files
again, and the label vote meets its rows by a keyed join on their names (transforms/nlp/labels.py);
the full names, bounded by the names in the news rather than by the articles, are a side input.
Each article's language is detected once, in the survey: its names are read by its language's rules
(a Russian article's people are the run's full names too), and the language rides with the findings to
the article's second read. Either way the same items give the same rows.
"""

from __future__ import annotations

import apache_beam as beam

from schemas import tables
from transforms.common import DEAD_LETTER, Carrying
from transforms.dedup.duplicates import COPIES, COPY_RANKS, FindDuplicates
from transforms.dedup.minhash import Params
from transforms.events.reconcile import ReconcileEventIds
from transforms.findings import TO_ANALYSE, FindingsById, Mark
from transforms.nlp.analyse import AnalyseArticles, table_rows
from transforms.nlp.labels import VoteLabels
from transforms.nlp.model import DEFAULT_MODEL
from transforms.stories.groups import FindStories
from transforms.stories.names import FindCorpusNames, NameArticlesFn
from transforms.text.language import DetectLanguageFn, LanguageOnceFn, language_of


class Enrich(beam.PTransform):
    """(article id, item) pairs -> {table: rows} for articles, entities, topics, status_mentions, and the
    dead letters of reading and analysis.

    survey: the clean articles to find copies, stories and names in. reading: (label, DoFn) steps that
    turn an item into a clean Article where its findings meet it (a batch run's files are read and
    cleaned there); none when the items are the survey's own articles (a stream's window)."""

    def __init__(self, survey, model: str = DEFAULT_MODEL, dedup: Params | None = None, reading=(),
                 every_sentence: bool = False):
        super().__init__()
        self.survey, self.model, self.dedup = survey, model, dedup or Params()
        self.reading, self.every_sentence = tuple(reading), every_sentence

    def expand(self, items):
        # A stream's copies of earlier windows are marked already: this window's copies are of the rest.
        detected = self.survey | "DetectLanguage" >> beam.ParDo(DetectLanguageFn())
        survey = detected | "NotYetCopies" >> beam.Filter(lambda a: not a.is_duplicate)
        found = survey | "FindDuplicates" >> FindDuplicates(self.dedup)
        named = survey | "NameArticles" >> beam.ParDo(NameArticlesFn())
        stories = named | "FindStories" >> FindStories(found[COPY_RANKS])
        full_names = named | "FindCorpusNames" >> FindCorpusNames()

        languages = detected | "Languages" >> beam.Map(language_of)
        pairs = items | "FindingsById" >> FindingsById(found.duplicates, stories, found[COPIES], languages)
        dead = []
        for label, fn in self.reading:
            step = pairs | label >> beam.ParDo(Carrying(fn)).with_outputs(DEAD_LETTER, main="articles")
            pairs = step.articles
            dead.append(step[DEAD_LETTER])
        joined = (pairs
                  | "LanguageOnce" >> beam.ParDo(LanguageOnceFn())
                  | "Mark" >> Mark())
        analysed = joined[TO_ANALYSE] | "Analyse" >> AnalyseArticles(self.model, full_names,
                                                                     every_sentence=self.every_sentence)
        rows = table_rows(analysed)
        rows[tables.STATUSES], rows[tables.EVENTS] = ((rows[tables.STATUSES], rows[tables.EVENTS])
                                                      | "ReconcileEventIds" >> ReconcileEventIds())
        rows[tables.ENTITIES] = rows[tables.ENTITIES] | "VoteLabels" >> VoteLabels()
        dead.append(analysed[DEAD_LETTER])
        return {tables.ARTICLES: joined.articles, **rows, DEAD_LETTER: dead | "DeadLetters" >> beam.Flatten()}
