"""Natasha's Russian news NER (slovnet), shaped like a spaCy pipeline for multilingual.OtherLanguages.

spaCy has no Russian model on PyPI; natasha ships slovnet's news NER and navec embeddings inside
its wheel (~27 MB, nothing downloaded at run time), trained on Russian news, PER/LOC/ORG. Its spans
become the entities of a spaCy Doc of the multilingual tokenizer, so the routing and the evidence
rules of other languages' models apply unchanged.
"""

from __future__ import annotations


class NatashaPipeline:
    """`nlp(text)` -> a spaCy Doc whose ents are natasha's spans; loaded once per worker."""

    pipe_names: list[str] = []

    def __init__(self):
        from natasha import NewsEmbedding, NewsNERTagger, Segmenter

        from transforms.people import tokenizer

        self.tokenizer = tokenizer()
        self.segmenter = Segmenter()
        self.tagger = NewsNERTagger(NewsEmbedding())

    def __call__(self, text: str, disable=None):
        from natasha import Doc as NatashaDoc
        from spacy.util import filter_spans

        found = NatashaDoc(text)
        found.segment(self.segmenter)
        found.tag_ner(self.tagger)
        doc = self.tokenizer(text)
        spans = [doc.char_span(s.start, s.stop, label=s.type, alignment_mode="expand") for s in found.spans]
        doc.ents = filter_spans([span for span in spans if span is not None])
        return doc
