"""English articles: the pipeline's spaCy model reads them in batches (NER, the entity ruler, the parse of
event sentences), and the entities, topics and statuses all come from that one pass (transforms/nlp/analyse.py
says why it is the cost floor)."""

from __future__ import annotations

import threading
import time
from collections import defaultdict

from apache_beam.metrics import Metrics

from schemas.records import Article, analysed_text
from schemas.tables import ENTITIES, TABLE_OF, TOPICS
from transforms.common import worker_resource
from transforms.events.grammar import SPAN_LABELS, StatusExtractor
from transforms.nlp.entities import EntityTagger
from transforms.nlp.entity_ids import identified
from transforms.nlp.model import shared_pipeline
from transforms.nlp.ner_input import NerInput
from transforms.nlp.topics import TopicMatcher

STAGE = "nlp"
NER_COMPONENTS = ("ner",)  # the entity ruler runs on each Doc afterwards, once the places are read
SENTENCE_BATCH = 64  # event sentences are short: the parser is ~20% faster on them in batches of 64 than of 8
# One memory zone at a time in a process: a zone's end removes every string added to the vocabulary since it
# began, whichever thread added it, and Prism and Dataflow run several bundles of a process at once.
_ZONE = threading.Lock()


class EnglishAnalyser:
    """A batch of English articles -> each with its (table, row) pairs; built once per worker."""

    def __init__(self, model: str, batch_size: int, every_sentence: bool):
        self.batch_size = batch_size
        with _ZONE:  # the matchers' strings are the model's own: not added inside another thread's zone
            self._build(model, every_sentence)

    def _build(self, model: str, every_sentence: bool) -> None:
        self.nlp = shared_pipeline(model)
        self.skip_for_ner = [name for name in self.nlp.pipe_names if name not in NER_COMPONENTS]
        self.ruler = self.nlp.get_pipe("entity_ruler")
        self.skip_for_status = [name for name in self.nlp.pipe_names if name not in StatusExtractor.components]
        self.entities = worker_resource(("entities",), EntityTagger)
        # the NER skips sentences that cannot hold a name, unless told to read every one
        self.openers = frozenset() if every_sentence else self.entities.lexicon.nameless_openers
        self.topics = worker_resource(("topics", model), lambda: TopicMatcher(self.nlp))
        self.status = worker_resource(("status", model), lambda: StatusExtractor(self.nlp))
        self.characters = Metrics.counter(STAGE, "characters")
        self.characters_read = Metrics.counter(STAGE, "characters_read_by_ner")
        self.spent = {name: Metrics.counter(name, "usec") for name in ("ner", "entities", "topics", "status")}

    def analyse(self, batch: list[Article], full_names: dict) -> list[tuple[Article, list]]:
        # The words a batch adds to the model's vocabulary leave with the batch: the vocabulary would
        # otherwise grow with every new name and misspelling in the news (nothing read here outlives it).
        # The status rules' sentencizer is a pipeline of its own, with a vocabulary of its own: ~3 KB an
        # article kept for good without its zone (tracemalloc in a worker, docs/quality.md).
        with _ZONE, self.nlp.memory_zone(), self.status.sentencizer.memory_zone():
            return self._analyse(batch, full_names)

    def _analyse(self, batch: list[Article], full_names: dict) -> list[tuple[Article, list]]:
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
            entities = identified(self.entities.rows(article, ents, full_names))
            matched = time.perf_counter()
            topics = self.topics.rows(article, [doc, other])
            tagged = time.perf_counter()
            events = self.status.rows(article, [self.status.with_places(next(parsed), offset, found)
                                                  for offset, _ in sentences], found, topics)
            done = time.perf_counter()
            spent["entities"] += matched - started
            spent["topics"] += tagged - matched
            spent["status"] += done - tagged
            analysed.append((article, [(ENTITIES, r) for r in entities] + [(TOPICS, r) for r in topics]
                             + [(TABLE_OF[type(r)], r) for r in events]))
        # Counted once the batch is through: a batch that fails is counted again article by article.
        self.characters.inc(sum(len(text) for text in texts))
        self.characters_read.inc(sum(len(i.text) for i in inputs))
        for name, seconds in spent.items():
            self.spent[name].inc(int(seconds * 1e6))
        return analysed
