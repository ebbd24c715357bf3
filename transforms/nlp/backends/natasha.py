"""Natasha's Russian news NER (slovnet) as a spaCy component, `natasha_ner`, for Russian and Ukrainian.

spaCy has no Russian model on PyPI; natasha ships slovnet's news NER and navec embeddings inside
its wheel (~27 MB, nothing downloaded at run time), trained on Russian news, PER/LOC/ORG. Its spans
become the entities of a Doc of the shared tokenizer (transforms/nlp/tokens.py), so the evidence rules of
other languages' backends apply unchanged.
"""

from __future__ import annotations

from spacy.language import Language


class NatashaRecognizer:
    """Sets doc.ents to natasha's spans; the tagger is loaded once per worker, with the pipeline."""

    def __init__(self):
        from natasha import NewsEmbedding, NewsNERTagger, Segmenter

        self.segmenter = Segmenter()
        self.tagger = NewsNERTagger(NewsEmbedding())

    def __call__(self, doc):
        from natasha import Doc as NatashaDoc
        from spacy.util import filter_spans

        found = NatashaDoc(doc.text)
        found.segment(self.segmenter)
        found.tag_ner(self.tagger)
        spans = [doc.char_span(s.start, s.stop, label=s.type, alignment_mode="expand") for s in found.spans]
        doc.ents = filter_spans([span for span in spans if span is not None])
        return doc


@Language.factory("natasha_ner")
def make_natasha_ner(nlp, name):
    return NatashaRecognizer()
