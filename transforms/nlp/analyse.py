"""Analyse stage: one spaCy pass per unique article gives its entities, topics and statuses.

The NER is the cost floor of the pipeline, so everything that reads the model's output shares it:
the entities come from the Doc of the ner (the small English model's ner has its own tok2vec, so
the shared tok2vec and the parser are skipped) and the entity ruler after it, the topics' phrase
matcher runs on the same Doc's tokens, and only the few sentences that report an event are parsed
again for statuses (tok2vec and parser; their places are the same NER's, read before the ruler).
The NER does not read sentences that cannot hold a name ("He said the talks would go on.": a plain
opening word and no other capital letter; ner_input.NerInput), about a fifth of news text. Rows
of a canonical article are repeated here for each of its copies (a side input from dedup), so a
copy counts as an article in per-article trends without a model call or another stage.

An article in another language never meets the English model: it gets its entities from its own
language's model or from the names the run knows and the shape of names (transforms/nlp/multilingual.py,
people.py), and topics and statuses only from a lexicon in its language (topics.toml's French and
German phrases; status phrases beside event words, transforms/events/keywords.py).

Articles arrive in batches of 8 (BatchElements with a fixed size) and go through `nlp.pipe`. A batch
that fails is retried one article at a time, so one bad article becomes a dead_letter row and its
neighbours get through.
"""

from __future__ import annotations

import dataclasses
import time
from collections import defaultdict

import apache_beam as beam
from apache_beam.metrics import Metrics

from schemas.records import Article, DeadLetter, TopicTag, analysed_text
from schemas.tables import ENTITIES, STATUSES, TOPICS  # each output tag is its table's name
from transforms.common import DEAD_LETTER, Progress, worker_resource
from transforms.events.grammar import SPAN_LABELS, StatusExtractor
from transforms.events.keywords import KeywordStatuses
from transforms.nlp.entities import CYRILLIC, EntityTagger
from transforms.nlp.latin import latin
from transforms.nlp.model import DEFAULT_MODEL, shared_pipeline, split_models
from transforms.nlp.morphology import canonical_names, place_nominative
from transforms.nlp.multilingual import OtherLanguages, is_english
from transforms.nlp.ner_input import NerInput
from transforms.nlp.places import Gazetteer
from transforms.nlp.topics import TopicMatcher

STAGE = "nlp"
NER_COMPONENTS = ("ner",)  # the entity ruler runs on each Doc afterwards, once the places are read
SENTENCE_BATCH = 64  # event sentences are short: the parser is ~20% faster on them in batches of 64 than of 8
# Articles per nlp.pipe call. The small model's ner is fastest on batches of about 8 articles: 8% slower
# one by one, 2% by twos, 11% by 64 (200 BBC articles, CPU time). BatchElements' adaptive size is not used:
# it aims at a fixed cost per batch, which here is nil, so it keeps batches of 1-3 articles.
ARTICLE_BATCH = 8
# Longer articles are analysed in pieces of at most this many characters, cut between paragraphs: spaCy
# refuses texts over 1,000,000 characters, and its memory grows with the text (a 1.2 MB article in one
# piece took the run to 3.2 GB).
PIECE_CHARS = 100_000


class AnalyseFn(beam.DoFn):
    """A batch of unique articles -> tagged outputs ENTITIES, TOPICS, STATUSES and DEAD_LETTER."""

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = ARTICLE_BATCH, every_sentence: bool = False):
        self.model = model
        self.batch_size = batch_size
        self.every_sentence = every_sentence  # else the NER skips sentences that cannot hold a name
        self.characters = Metrics.counter(STAGE, "characters")
        self.characters_read = Metrics.counter(STAGE, "characters_read_by_ner")
        self.model_calls = Metrics.counter(STAGE, "model_calls")
        self.rejected = Metrics.counter(STAGE, "rejected")
        self.shared = Metrics.counter(STAGE, "rows_shared_with_copies")
        self.other_languages = Metrics.counter(STAGE, "articles_not_in_english")
        self.spent = {name: Metrics.counter(name, "usec") for name in ("ner", "entities", "topics", "status")}

    def setup(self):
        english, self.language_models = split_models(self.model)
        self.nlp = shared_pipeline(english)
        self.skip_for_ner = [name for name in self.nlp.pipe_names if name not in NER_COMPONENTS]
        self.ruler = self.nlp.get_pipe("entity_ruler")
        self.skip_for_status = [name for name in self.nlp.pipe_names if name not in StatusExtractor.components]
        self.entities = worker_resource(("entities",), EntityTagger)
        self.openers = frozenset() if self.every_sentence else self.entities.lexicon.nameless_openers
        self.topics = worker_resource(("topics", self.model), lambda: TopicMatcher(self.nlp))
        self.status = worker_resource(("status", self.model), lambda: StatusExtractor(self.nlp))
        chosen = self.language_models
        self.others = worker_resource(("other-languages", tuple(sorted(chosen.items()))),
                                      lambda: OtherLanguages(chosen))
        self.topic_languages = TopicMatcher.languages()
        self.progress = Progress(STAGE)

    def finish_bundle(self):
        self.progress.finish()

    def process(self, batch: list[Article], full_names=None, copies=None):
        full_names = full_names or {}
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
        for article, rows in analysed:
            members = copies.get(article.article_id, ()) if copies is not None else ()
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
                    topics[row.topic] += row.score * len(piece)
                else:
                    rows.append((tag, row))
        rows += [(TOPICS, TopicTag(article.article_id, article.published_date, topic, round(score / total, 4)))
                 for topic, score in sorted(topics.items(), key=lambda pair: (-pair[1], pair[0]))]
        return article, rows

    def _analyse(self, batch: list[Article], full_names: dict) -> list[tuple[Article, list]]:
        others = [(a, self._other_language(a, full_names)) for a in batch if not is_english(a)]
        english = [a for a in batch if is_english(a)]
        return others + (self._analyse_english(english, full_names) if english else [])

    def _other_language(self, article: Article, full_names: dict) -> list:
        """Entities only, from the article's own language (multilingual.OtherLanguages)."""
        started = time.perf_counter()
        self.other_languages.inc()
        rows = self.entities.rows(article, self.others.spans(article, full_names), full_names)
        names = canonical_names([r.canonical for r in rows if r.label == "PERSON" and CYRILLIC.search(r.canonical)],
                                article.language)
        rows = [dataclasses.replace(r, canonical=names[r.canonical]) if r.label == "PERSON" and r.canonical in names
                else dataclasses.replace(r, canonical=place_nominative(r.canonical, article.language))
                if r.label == "GPE" and CYRILLIC.search(r.canonical) else r for r in rows]
        # built on the first article not in English: a run of English articles never loads it
        rows = worker_resource(("places",), Gazetteer).with_english_names(rows, article.language)
        rows = [dataclasses.replace(r, canonical=latin(r.canonical, article.language) or r.canonical)
                if r.label == "PERSON" and CYRILLIC.search(r.canonical) else r for r in rows]
        self.spent["entities"].inc(int((time.perf_counter() - started) * 1e6))
        topics = []
        if article.language in self.topic_languages:
            matcher = worker_resource(("topics", article.language), lambda: TopicMatcher(language=article.language))
            topics = matcher.rows(article, [matcher.nlp.make_doc(analysed_text(article))])
        keywords = worker_resource(("keyword-statuses",), KeywordStatuses.load).get(article.language)
        statuses = keywords.rows(article, rows) if keywords else []
        return [(ENTITIES, r) for r in rows] + [(TOPICS, r) for r in topics] + [(STATUSES, r) for r in statuses]

    def _analyse_english(self, batch: list[Article], full_names: dict) -> list[tuple[Article, list]]:
        spent = defaultdict(float)
        started = time.perf_counter()
        texts = [analysed_text(a) for a in batch]
        inputs = [NerInput.of(text, self.openers) for text in texts]
        docs = list(self.nlp.pipe([i.text for i in inputs], batch_size=self.batch_size, disable=self.skip_for_ner))
        places = [[(start := i.original_offset(ent.start_char), start + len(ent.text), ent.label_)
                   for ent in doc.ents if ent.label_ in SPAN_LABELS] for i, doc in zip(inputs, docs, strict=True)]
        docs = [self.ruler(doc) for doc in docs]
        others = [self.nlp.make_doc(i.rest) for i in inputs]  # tokens only: the topics read them too
        spent["ner"] += time.perf_counter() - started
        started = time.perf_counter()
        units = [self.status.units(article) for article in batch]
        parsed = iter(self.nlp.pipe([s for sentences in units for _, s in sentences], batch_size=SENTENCE_BATCH,
                                    disable=self.skip_for_status))
        spent["status"] += time.perf_counter() - started
        analysed = []
        for article, ner_input, doc, other, sentences, found in zip(batch, inputs, docs, others, units, places,
                                                                    strict=True):
            started = time.perf_counter()
            ents = [(ent.text, ent.label_, ner_input.original_offset(ent.start_char)) for ent in doc.ents]
            entities = self.entities.rows(article, ents, full_names)
            matched = time.perf_counter()
            topics = self.topics.rows(article, [doc, other])
            tagged = time.perf_counter()
            statuses = self.status.rows(article, [self.status.with_places(next(parsed), offset, found)
                                                  for offset, _ in sentences])
            done = time.perf_counter()
            spent["entities"] += matched - started
            spent["topics"] += tagged - matched
            spent["status"] += done - tagged
            analysed.append((article, [(ENTITIES, r) for r in entities] + [(TOPICS, r) for r in topics]
                             + [(STATUSES, r) for r in statuses]))
        # Counted once the batch is through: a batch that fails is counted again article by article.
        self.characters.inc(sum(len(text) for text in texts))
        self.characters_read.inc(sum(len(i.text) for i in inputs))
        for name, seconds in spent.items():
            self.spent[name].inc(int(seconds * 1e6))
        return analysed


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
    return {tag: analysed[tag] for tag in (ENTITIES, TOPICS, STATUSES)}


class AnalyseArticles(beam.PTransform):
    """Unique articles -> `entities`, `topics`, `status_mentions` and `dead_letter`.

    Optional side inputs: `full_names` (one dict: surname key -> the full name the run uses) and
    `copies` ((canonical id, its copies' (id, published date) pairs)): rows are repeated for copies.
    `copies` is read as one dict, not a multimap: a multimap lookup per article costs a state read
    and Beam's cache sizes each answer (objsize), ~1 ms per article on the in-process runner.
    """

    def __init__(self, model: str = DEFAULT_MODEL, full_names=None, copies=None, batch_size: int = ARTICLE_BATCH,
                 every_sentence: bool = False):
        super().__init__()
        self.model = model
        self.every_sentence = every_sentence
        self.full_names = full_names
        self.copies = copies
        self.batch_size = batch_size

    def expand(self, articles):
        side_inputs = {}
        if self.full_names is not None:
            side_inputs["full_names"] = beam.pvalue.AsSingleton(self.full_names, default_value={})
        if self.copies is not None:
            side_inputs["copies"] = beam.pvalue.AsDict(self.copies)
        return (
            articles
            | "Batch" >> beam.BatchElements(min_batch_size=self.batch_size, max_batch_size=self.batch_size)
            | "Analyse" >> beam.ParDo(AnalyseFn(self.model, self.batch_size, self.every_sentence),
                                     **side_inputs).with_outputs(ENTITIES, TOPICS, STATUSES, DEAD_LETTER)
        )
