"""Stories stage: different texts about the same event share a `story_id`.

Runs on the first read of the input, beside FindDuplicates, so that story ids are known when the
articles stream through the second read. An article's profile is the names it repeats most
(capitalised phrases, canonicalised with the same alias table as the entities stage), weighted by
rarity in the run (tf-idf, document frequencies from a count-min sketch). Two articles are one story
when their profiles are close (cosine >= `min_cosine`) and their dates at most `max_days` apart;
when either date is unknown the bar is `undated_cosine`. Candidates share a pair of top names (a
GroupByKey through buckets.CandidatePairs). Duplicates are always in their canonical copy's story.
The story id is the id of the group's earliest article.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import math

import apache_beam as beam
import numpy as np
from apache_beam.metrics import Metrics

from schemas.records import Article
from transforms.buckets import ENTRY, PAIR, CandidatePairs, keep_paired, key_hash
from transforms.dedup import connected_groups
from transforms.entities import NamedArticle

STAGE = "stories"
_UNDATED = datetime.date.max
_SKETCH_WIDTH, _SKETCH_DEPTH = 1 << 18, 4


@dataclasses.dataclass(frozen=True)
class StoryParams:
    top_names: int = 8  # an article's profile
    key_names: int = 4  # pairs of these are the blocking keys
    min_cosine: float = 0.6
    undated_cosine: float = 0.8
    max_days: int = 2
    max_bucket: int = 200  # a pair of names shared by more articles says little about one event


def _sketch_slots(name: str) -> np.ndarray:
    h = key_hash(name)
    return np.array([(h >> (16 * row)) % _SKETCH_WIDTH + row * _SKETCH_WIDTH for row in range(_SKETCH_DEPTH)])


class DocumentFrequency(beam.CombineFn):
    """Count-min sketch of how many articles name each name: fixed size, whatever the vocabulary."""

    def create_accumulator(self):
        return np.zeros(_SKETCH_WIDTH * _SKETCH_DEPTH, dtype=np.uint32)

    def add_input(self, sketch, names):
        for name in names:
            sketch[_sketch_slots(name)] += 1
        return sketch

    def merge_accumulators(self, sketches):
        sketches = list(sketches)
        return np.sum(sketches, axis=0, dtype=np.uint32) if sketches else self.create_accumulator()

    def extract_output(self, sketch):
        return sketch


def weights(profile: NamedArticle, frequency: np.ndarray, articles: int, top: int) -> dict[str, float]:
    scored = {name: count * math.log((articles + 1) / (int(frequency[_sketch_slots(name)].min()) + 0.5))
              for name, count in zip(profile.names, profile.counts, strict=True)}
    return dict(sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[:top])


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(w * b[name] for name, w in a.items() if name in b)
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


class WeighFn(beam.DoFn):
    """NamedArticle -> (doc, rank, top weights) and its blocking-key entries (`entries` output)."""

    def __init__(self, params: StoryParams):
        self.params = params

    def process(self, profile: NamedArticle, frequency, articles):
        top = weights(profile, frequency, articles, self.params.top_names)
        if not top:
            return
        keys = [key_hash("\x1f".join(pair))
                for pair in itertools.combinations(sorted(list(top)[: self.params.key_names]), 2)]
        if keys:
            entries = np.zeros(len(keys), dtype=ENTRY)
            entries["key"], entries["doc"] = keys, profile.doc
            yield beam.pvalue.TaggedOutput("entries", entries)
        yield profile.doc, (profile.rank, top)


class LinkStoriesFn(beam.DoFn):
    """All candidate pairs (one packed array) -> (article_id, story root id) of the linked articles.

    The pairs are read a chunk at a time: at 100k articles there are 2.4 million, ~0.3 GB as one
    list of Python tuples.
    """

    chunk = 1 << 16

    def __init__(self, params: StoryParams):
        self.params = params
        self.candidates = Metrics.counter(STAGE, "candidate_pairs")
        self.linked = Metrics.counter(STAGE, "linked_pairs")

    def process(self, pairs: bytes, weighted: dict, duplicates: dict):
        edges = []
        array = np.frombuffer(pairs, dtype=PAIR)
        self.candidates.inc(len(array))
        for start in range(0, len(array), self.chunk):
            for left, right in array[start:start + self.chunk].tolist():
                (rank_a, top_a), (rank_b, top_b) = weighted[left], weighted[right]
                if self.same_story(rank_a[0], rank_b[0], cosine(top_a, top_b)):
                    self.linked.inc()
                    edges.append((rank_a, rank_b))
        ranks = {rank[1]: rank for rank, _ in weighted.values()}
        for copy, canonical in duplicates.items():
            if copy in ranks and canonical in ranks:
                edges.append((ranks[copy], ranks[canonical]))
        yield from sorted(connected_groups(edges).items())

    def same_story(self, day_a: datetime.date, day_b: datetime.date, similarity: float) -> bool:
        if day_a != _UNDATED and day_b != _UNDATED:
            return abs((day_a - day_b).days) <= self.params.max_days and similarity >= self.params.min_cosine
        return similarity >= self.params.undated_cosine


class FindStories(beam.PTransform):
    """NamedArticles (first read) and the duplicates map -> (article_id, story root id) for linked articles."""

    def __init__(self, duplicates, params: StoryParams | None = None):
        super().__init__()
        self.duplicates = duplicates
        self.params = params or StoryParams()

    def expand(self, profiles):
        frequency = (profiles
                     | "Names" >> beam.Map(lambda p: p.names)
                     | "DocumentFrequency" >> beam.CombineGlobally(DocumentFrequency()))
        count = profiles | "CountArticles" >> beam.combiners.Count.Globally()
        weighed = profiles | "Weigh" >> beam.ParDo(
            WeighFn(self.params), beam.pvalue.AsSingleton(frequency), beam.pvalue.AsSingleton(count)
        ).with_outputs("entries", main="weighted")
        pairs = weighed.entries | "CandidatePairs" >> CandidatePairs(max_bucket=self.params.max_bucket)
        paired = weighed.weighted | "KeepPaired" >> keep_paired(pairs)
        return pairs | "Link" >> beam.ParDo(LinkStoriesFn(self.params), beam.pvalue.AsDict(paired),
                                            beam.pvalue.AsDict(self.duplicates))


def _set_story(article: Article, stories: dict) -> Article:
    own = article.duplicate_of or article.article_id
    return dataclasses.replace(article, story_id=stories.get(article.article_id, stories.get(own, own)))


class SetStories(beam.PTransform):
    """Articles -> the same Articles with story_id from FindStories' map (own canonical id otherwise)."""

    def __init__(self, stories):
        super().__init__()
        self.stories = stories

    def expand(self, articles):
        return articles | "SetStory" >> beam.Map(_set_story, beam.pvalue.AsDict(self.stories))
