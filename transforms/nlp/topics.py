"""Topics: phrases from a taxonomy data file matched with spaCy's PhraseMatcher.

Matching needs only tokens: in the pipeline it runs on the Doc the entities stage already made
(transforms/nlp/analyse.py); alone it tokenises with a blank English pipeline and loads no model.
"""

from __future__ import annotations

from collections import Counter

from schemas.records import Article, TopicTag
from transforms.common import load_data
from transforms.languages import ENGLISH, section, with_section


class TopicMatcher:
    """`language`: which phrases of each topic (`phrases` for English, else the list under the language's
    code); with no model given it tokenises with spaCy's blank pipeline of that language."""

    def __init__(self, nlp=None, taxonomy: str = "topics.toml", language: str = "en"):
        import spacy
        from spacy.matcher import PhraseMatcher

        data = load_data(taxonomy)
        # English phrases are the taxonomy's own; another language's are in its profile
        phrases = ({topic: spec.get("phrases") for topic, spec in data["topic"].items()} if language == ENGLISH
                   else section(language, "topics"))
        self.min_matches = data["min_matches"]
        self.min_density = data["min_per_1000_words"] / 1000
        self.nlp = nlp if nlp is not None else spacy.blank(language)
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.available = False  # whether the taxonomy has phrases in this language at all
        for topic in data["topic"]:
            if phrases.get(topic):
                self.matcher.add(topic, list(self.nlp.tokenizer.pipe(phrases[topic])))
                self.available = True

    @staticmethod
    def languages() -> frozenset[str]:
        """The languages with topic phrases: English, and those whose profile has [topics]."""
        return frozenset({*with_section("topics"), ENGLISH})

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
