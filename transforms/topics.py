"""Topics: phrases from a taxonomy data file matched with spaCy's PhraseMatcher.

Matching needs only tokens: in the pipeline it runs on the Doc the entities stage already made
(transforms/analyse.py); alone it tokenises with a blank English pipeline and loads no model.
"""

from __future__ import annotations

from collections import Counter

from schemas.records import Article, TopicTag
from transforms.common import load_data


class TopicMatcher:
    """`language`: which phrases of each topic (`phrases` for English, else the list under the language's
    code); with no model given it tokenises with spaCy's blank pipeline of that language."""

    def __init__(self, nlp=None, taxonomy: str = "topics.toml", language: str = "en"):
        import spacy
        from spacy.matcher import PhraseMatcher

        data = load_data(taxonomy)
        key = "phrases" if language == "en" else language
        self.min_matches = data["min_matches"]
        self.min_density = data["min_per_1000_words"] / 1000
        self.nlp = nlp if nlp is not None else spacy.blank(language)
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.available = False  # whether the taxonomy has phrases in this language at all
        for topic, spec in data["topic"].items():
            if spec.get(key):
                self.matcher.add(topic, list(self.nlp.tokenizer.pipe(spec[key])))
                self.available = True

    @staticmethod
    def languages(taxonomy: str = "topics.toml") -> frozenset[str]:
        """The languages the taxonomy has phrases in."""
        codes = {key for spec in load_data(taxonomy)["topic"].values() for key in spec if len(key) == 2}
        return frozenset(codes | {"en"})

    def topics(self, text: str) -> list[tuple[str, float]]:
        return self.topics_of([self.nlp.make_doc(text)])

    def topics_of(self, docs: list) -> list[tuple[str, float]]:
        """(topic, share of the matches) for each topic with enough matches in the article's Docs (its
        text may come in pieces), best first."""
        counts = Counter(self.nlp.vocab.strings[match_id] for doc in docs for match_id, _, _ in self.matcher(doc))
        total = sum(counts.values())
        least = min(self.min_matches, self.min_density * sum(len(doc) for doc in docs))
        return sorted(
            ((topic, round(n / total, 4)) for topic, n in counts.items() if n >= least),
            key=lambda pair: (-pair[1], pair[0]),
        )

    def rows(self, article: Article, docs: list) -> list[TopicTag]:
        return [TopicTag(article_id=article.article_id, published_date=article.published_date, topic=topic,
                         score=score) for topic, score in self.topics_of(docs)]
