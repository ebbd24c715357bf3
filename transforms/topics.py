"""Topics stage: phrases from a taxonomy data file matched with spaCy's PhraseMatcher.

Only spaCy's tokenizer is needed, so this stage loads no statistical model.
"""

from __future__ import annotations

from collections import Counter

import apache_beam as beam
from apache_beam.metrics import Metrics

from schemas.records import Article, TopicTag, analysed_text
from transforms.common import load_data, timed, worker_resource

STAGE = "topics"


class TopicMatcher:
    def __init__(self, taxonomy: str = "topics.toml"):
        import spacy
        from spacy.matcher import PhraseMatcher

        data = load_data(taxonomy)
        self.min_matches = data["min_matches"]
        self.min_density = data["min_per_1000_words"] / 1000
        self.nlp = spacy.blank("en")
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for topic, spec in data["topic"].items():
            self.matcher.add(topic, list(self.nlp.tokenizer.pipe(spec["phrases"])))

    def topics(self, text: str) -> list[tuple[str, float]]:
        doc = self.nlp.make_doc(text)
        counts = Counter(self.nlp.vocab.strings[match_id] for match_id, _, _ in self.matcher(doc))
        total = sum(counts.values())
        least = min(self.min_matches, self.min_density * len(doc))
        return sorted(
            ((topic, round(n / total, 4)) for topic, n in counts.items() if n >= least),
            key=lambda pair: (-pair[1], pair[0]),
        )


class TagTopicsFn(beam.DoFn):
    def __init__(self):
        self.untagged = Metrics.counter(STAGE, "untagged_articles")

    def setup(self):
        self.matcher = worker_resource(("topics", "topics.toml"), TopicMatcher)

    @timed("topics")
    def process(self, article: Article):
        topics = self.matcher.topics(analysed_text(article))
        if not topics:
            self.untagged.inc()
        for topic, score in topics:
            yield TopicTag(article_id=article.article_id, published_date=article.published_date,
                           topic=topic, score=score)


class TagTopics(beam.PTransform):
    def expand(self, articles):
        return articles | "Match" >> beam.ParDo(TagTopicsFn())
