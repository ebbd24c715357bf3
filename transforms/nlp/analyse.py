"""Analyse stage: one spaCy pass per unique article gives its entities, topics and statuses.

The NER is the cost floor of the pipeline, so everything that reads the model's output shares it:
the entities come from the Doc of the ner (the small English model's ner has its own tok2vec, so
the shared tok2vec and the parser are skipped) and the entity ruler after it, the topics' phrase
matcher runs on the same Doc's tokens, and only the few sentences that report an event are parsed
again for statuses (tok2vec and parser; their places are the same NER's, read before the ruler).
The NER does not read sentences that cannot hold a name ("He said the talks would go on.": a plain
opening word and no other capital letter; ner_input.NerInput), about a fifth of news text. Rows
of a canonical article are repeated here for each of its copies (joined to it by key, from dedup), so a
copy counts as an article in per-article trends without a model call or another stage.

English articles go to transforms/nlp/english.py (the pipeline's model); an article in another language
never meets the English model and goes to transforms/nlp/other_languages.py (its language's profile).

Articles arrive in batches of 8 (BatchElements with a fixed size) and go through `nlp.pipe`. A batch
that fails is retried one article at a time, so one bad article becomes a dead_letter row and its
neighbours get through.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

import apache_beam as beam
from apache_beam.metrics import Metrics

from schemas.records import Article, DeadLetter, TopicTag, analysed_text
from schemas.tables import ENTITIES, EVENTS, STATUSES, TOPICS  # each output tag is its table's name
from transforms.common import DEAD_LETTER, Progress, give_back_memory, tune_allocator
from transforms.nlp.english import EnglishAnalyser
from transforms.nlp.model import DEFAULT_MODEL, split_models
from transforms.nlp.multilingual import is_english
from transforms.nlp.other_languages import OtherLanguagesAnalyser

STAGE = "nlp"
# Articles per nlp.pipe call. The small model's ner is fastest on batches of about 8 articles: 8% slower
# one by one, 2% by twos, 11% by 64 (200 BBC articles, CPU time). BatchElements' adaptive size is not used:
# it aims at a fixed cost per batch, which here is nil, so it keeps batches of 1-3 articles.
ARTICLE_BATCH = 8
# Longer articles are analysed in pieces of at most this many characters, cut between paragraphs: spaCy
# refuses texts over 1,000,000 characters, and its memory grows with the text (a 1.2 MB article in one
# piece took the run to 3.2 GB).
PIECE_CHARS = 100_000
# Batches between two returns of freed memory to the OS: the model's arrays are reused from batch to
# batch (transforms/nlp/model.py), but what the analyses leave between them would pile up over a run.
GIVE_BACK_EVERY = 250


class AnalyseFn(beam.DoFn):
    """A batch of unique articles -> tagged outputs ENTITIES, TOPICS, STATUSES, EVENTS and DEAD_LETTER."""

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = ARTICLE_BATCH, every_sentence: bool = False):
        self.model = model
        self.batch_size = batch_size
        self.every_sentence = every_sentence  # else the NER skips sentences that cannot hold a name
        self.model_calls = Metrics.counter(STAGE, "model_calls")
        self.rejected = Metrics.counter(STAGE, "rejected")
        self.shared = Metrics.counter(STAGE, "rows_shared_with_copies")

    def setup(self):
        tune_allocator()  # before the model: a worker that newsbeam did not start
        english, chosen = split_models(self.model)
        # in the order their rows come out: other languages first, then English
        self.analysers = (OtherLanguagesAnalyser(chosen), EnglishAnalyser(english, self.batch_size,
                                                                           self.every_sentence))
        self.progress = Progress(STAGE)
        self.batches = 0
        give_back_memory()  # what the first read's stages freed, before the analyses fill the worker

    def finish_bundle(self):
        self.progress.finish()
        give_back_memory()  # for the stages after this one (label vote, writers)

    def process(self, batch: list, full_names=None):
        """batch: Articles, or (Article, its copies' (article_id, published_date)) from the findings join."""
        full_names = full_names or {}
        copies = dict((a.article_id, members) for a, members in (
            item if isinstance(item, tuple) else (item, ()) for item in batch) if members)
        batch = [item[0] if isinstance(item, tuple) else item for item in batch]
        long = [a for a in batch if len(analysed_text(a)) > PIECE_CHARS]
        batch = [a for a in batch if len(analysed_text(a)) <= PIECE_CHARS]
        try:
            analysed = self._analyse(batch, full_names)
        except Exception:  # noqa: BLE001 - isolate the article that breaks the batch
            analysed, long = [], batch + long
        for article in long:
            try:
                analysed.append(self._analyse_in_pieces(article, full_names))
            except Exception as error:  # noqa: BLE001 - any failure here is this article's
                self.rejected.inc()
                yield beam.pvalue.TaggedOutput(DEAD_LETTER, DeadLetter.of(
                    article.source, STAGE, f"{type(error).__name__}: {error}", article.text))
        self.model_calls.inc(len(analysed))
        self.progress.advance(len(analysed))
        self.batches += 1
        if self.batches % GIVE_BACK_EVERY == 0:
            give_back_memory()
        for article, rows in analysed:
            members = copies.get(article.article_id, ())
            for tag, row in rows:
                yield beam.pvalue.TaggedOutput(tag, row)
                for article_id, published_date in members:
                    self.shared.inc()
                    yield beam.pvalue.TaggedOutput(tag, dataclasses.replace(
                        row, article_id=article_id, published_date=published_date))

    def _analyse_in_pieces(self, article: Article, full_names: dict) -> tuple[Article, list]:
        """One article, analysed a piece at a time; a topic's score is its length-weighted mean."""
        rows, topics, total = [], defaultdict(float), 0
        for n, piece in enumerate(pieces(article.text, PIECE_CHARS)):
            part = dataclasses.replace(article, text=piece, title=article.title if n == 0 else None)
            ((_, found),) = self._analyse([part], full_names)
            total += len(piece)
            for tag, row in found:
                if tag == TOPICS:
                    topics[(row.level, row.code, row.topic)] += row.score * len(piece)
                else:
                    rows.append((tag, row))
        rows += [(TOPICS, TopicTag(article.article_id, article.published_date, topic, round(score / total, 4), code,
                                   level))
                 for (level, code, topic), score in sorted(topics.items(), key=lambda pair: (pair[0][0], -pair[1]))]
        return article, rows

    def _analyse(self, batch: list[Article], full_names: dict) -> list[tuple[Article, list]]:
        """Each article by its language's analyser: the English model's, or its own language's."""
        others, english = self.analysers
        groups = ([a for a in batch if not is_english(a)], [a for a in batch if is_english(a)])
        return [found for analyser, group in zip((others, english), groups, strict=True) if group
                for found in analyser.analyse(group, full_names)]

def pieces(text: str, limit: int) -> list[str]:
    """The text in pieces of at most `limit` characters, cut after a paragraph, else a sentence, else a space."""
    found, start = [], 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cuts = (window.rfind(separator) for separator in ("\n", ". ", " "))
        cut = next((c for c in cuts if c > limit // 2), limit - 1)
        end = start + cut + 1
        found.append(text[start:end])
        start = end
    found.append(text[start:])
    return [piece for piece in found if piece.strip()]


def table_rows(analysed) -> dict:
    """The stage's row outputs by table name (each output's tag is its table's name)."""
    return {tag: analysed[tag] for tag in (ENTITIES, TOPICS, STATUSES, EVENTS)}


class AnalyseArticles(beam.PTransform):
    """Unique articles -> `entities`, `topics`, `status_mentions`, `event_mentions` and `dead_letter`.

    An element is an Article, or (Article, its copies' (id, published date) pairs) from the findings
    join: rows are repeated for copies. Optional side input `full_names` (one dict: surname key -> the
    full name the run uses; bounded by the run's distinct repeated names, not by its articles).
    """

    def __init__(self, model: str = DEFAULT_MODEL, full_names=None, batch_size: int = ARTICLE_BATCH,
                 every_sentence: bool = False):
        super().__init__()
        self.model = model
        self.every_sentence = every_sentence
        self.full_names = full_names
        self.batch_size = batch_size

    def expand(self, articles):
        side_inputs = {}
        if self.full_names is not None:
            side_inputs["full_names"] = beam.pvalue.AsSingleton(self.full_names, default_value={})
        return (
            articles
            | "Batch" >> beam.BatchElements(min_batch_size=self.batch_size, max_batch_size=self.batch_size)
            | "Analyse" >> beam.ParDo(AnalyseFn(self.model, self.batch_size, self.every_sentence),
                                     **side_inputs).with_outputs(ENTITIES, TOPICS, STATUSES, EVENTS, DEAD_LETTER)
        )
