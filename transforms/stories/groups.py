"""Stories stage: different texts about the same event share a `story_id`.

Runs on the first read of the input, beside FindDuplicates, so that story ids are known when the
articles stream through the second read. An article's profile is the names it repeats most
(capitalised phrases, canonicalised with the same alias table as the entities stage), weighted by
rarity in the run (tf-idf, document frequencies from a count-min sketch). Two articles are one story
when their profiles are close (cosine >= `min_cosine`) and their dates at most `max_days` apart;
when either date is unknown the bar is `undated_cosine`. Candidates share a pair of top names (a
GroupByKey through grouping.CandidatePairs). Duplicates are always in their canonical copy's story.
The story id is the id of the group's earliest article.
"""

from __future__ import annotations

import array
import dataclasses
import datetime
import itertools
import logging
import math

import apache_beam as beam
import numpy as np
from apache_beam.metrics import Metrics

from schemas.records import Article
from transforms.dedup.grouping import ENTRY, PAIR, CandidatePairs, connected_groups, keep_paired, key_hash
from transforms.stories.names import NamedArticle

STAGE = "stories"
_UNDATED = datetime.date.max.toordinal()
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


@dataclasses.dataclass(frozen=True)
class Profiles:
    """The weighed profiles of the articles in some candidate pair, as arrays sorted by doc: ~140
    bytes an article plus its id, where it was a dict of name weights (at 100k the rise in memory
    before the link step went from ~460 to ~380 MB)."""

    docs: np.ndarray  # uint64, sorted
    days: np.ndarray  # int32 date ordinals; date.max's when undated
    names: np.ndarray  # uint64 (n, top) name hashes; 0 pads a short profile
    weights: np.ndarray  # float64 (n, top), each row of unit length
    ids: tuple[str, ...]

    def rank(self, index: int) -> tuple[datetime.date, str]:
        return datetime.date.fromordinal(int(self.days[index])), self.ids[index]


class ProfileTable(beam.CombineFn):
    """(doc, (day, article_id, name hashes, unit weights)) elements -> one Profiles."""

    def __init__(self, top: int):
        self.top = top

    def create_accumulator(self):
        return array.array("Q"), array.array("i"), [], array.array("Q"), array.array("d")

    def add_input(self, accumulator, element):
        docs, days, ids, names, weights = accumulator
        doc, (day, article_id, hashes, unit) = element
        docs.append(doc)
        days.append(day)
        ids.append(article_id)
        names.extend(hashes + (0,) * (self.top - len(hashes)))
        weights.extend(unit + (0.0,) * (self.top - len(unit)))
        return accumulator

    def merge_accumulators(self, accumulators):
        merged = self.create_accumulator()
        for accumulator in accumulators:
            for into, part in zip(merged, accumulator, strict=True):
                into.extend(part)
        return merged

    def extract_output(self, accumulator):
        docs, days, ids, names, weights = accumulator
        docs = np.array(docs, dtype=np.uint64)
        order = np.argsort(docs, kind="stable")
        return Profiles(docs=docs[order], days=np.array(days, dtype=np.int32)[order],
                        names=np.array(names, dtype=np.uint64).reshape(-1, self.top)[order],
                        weights=np.array(weights, dtype=np.float64).reshape(-1, self.top)[order],
                        ids=tuple(ids[i] for i in order.tolist()))


class WeighFn(beam.DoFn):
    """NamedArticle -> (doc, (day, id, top name hashes, unit weights)) and its blocking-key entries
    (`entries` output)."""

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
        norm = math.sqrt(sum(w * w for w in top.values()))
        day, article_id = profile.rank
        yield profile.doc, (day.toordinal(), article_id, tuple(key_hash(name) for name in top),
                            tuple(w / norm for w in top.values()))


class LinkStoriesFn(beam.DoFn):
    """All candidate pairs (one packed array) -> (article_id, story root id) of the linked articles.

    Cosines are computed on the profile arrays a chunk of pairs at a time (there are 2.4 million
    pairs at 100k articles).
    """

    chunk = 1 << 14

    def __init__(self, params: StoryParams):
        self.params = params
        self.candidates = Metrics.counter(STAGE, "candidate_pairs")
        self.linked = Metrics.counter(STAGE, "linked_pairs")
        self.unlinked = Metrics.counter(STAGE, "unlinked_pairs")

    def process(self, pairs: bytes, profiles: Profiles, duplicates: dict):
        pairs = np.frombuffer(pairs, dtype=PAIR)
        self.candidates.inc(len(pairs))
        if not isinstance(profiles, Profiles):
            # Prism (2.77) has read a stream window's profile table before it was computed (CI:
            # EmptySideInput), though the pairs come from the same profiles: the window's articles
            # are still written, each its own story, and the run goes on rather than crash
            self.unlinked.inc(len(pairs))
            logging.getLogger(__name__).warning(
                "stories: %d candidate pairs not linked, the runner gave no profile table for their window",
                len(pairs))
            return
        edges = []
        for start in range(0, len(pairs), self.chunk):
            chunk = pairs[start:start + self.chunk]
            left, right = np.searchsorted(profiles.docs, chunk["left"]), np.searchsorted(profiles.docs, chunk["right"])
            shared = profiles.names[left][:, :, None] == profiles.names[right][:, None, :]
            products = profiles.weights[left][:, :, None] * profiles.weights[right][:, None, :]
            cosines = np.where(shared, products, 0.0).sum(axis=(1, 2))
            linked = self.same_story(profiles.days[left], profiles.days[right], cosines)
            self.linked.inc(int(linked.sum()))
            edges.extend((profiles.rank(a), profiles.rank(b))
                         for a, b in zip(left[linked].tolist(), right[linked].tolist(), strict=True))
        position = {article_id: index for index, article_id in enumerate(profiles.ids)}
        for copy, canonical in duplicates.items():
            if copy in position and canonical in position:
                edges.append((profiles.rank(position[copy]), profiles.rank(position[canonical])))
        yield from sorted(connected_groups(edges).items())

    def same_story(self, days_a: np.ndarray, days_b: np.ndarray, similarity: np.ndarray) -> np.ndarray:
        """Date ordinals and cosines of pairs -> which pairs are one story."""
        dated = (days_a != _UNDATED) & (days_b != _UNDATED)
        near = np.abs(days_a.astype(np.int64) - days_b) <= self.params.max_days
        return np.where(dated, near & (similarity >= self.params.min_cosine), similarity >= self.params.undated_cosine)


class FindStories(beam.PTransform):
    """NamedArticles (first read) and the duplicates map -> (article_id, story root id) for linked articles."""

    def __init__(self, duplicates, params: StoryParams | None = None):
        super().__init__()
        self.duplicates = duplicates
        self.params = params or StoryParams()

    def expand(self, profiles):
        frequency = (profiles
                     | "Names" >> beam.Map(lambda p: p.names)
                     | "DocumentFrequency" >> beam.CombineGlobally(DocumentFrequency()).without_defaults())
        count = profiles | "CountArticles" >> beam.combiners.Count.Globally().without_defaults()
        weighed = profiles | "Weigh" >> beam.ParDo(
            WeighFn(self.params), beam.pvalue.AsSingleton(frequency), beam.pvalue.AsSingleton(count)
        ).with_outputs("entries", main="weighted")
        pairs = weighed.entries | "CandidatePairs" >> CandidatePairs(max_bucket=self.params.max_bucket)
        table = (weighed.weighted
                 | "KeepPaired" >> keep_paired(pairs)
                 | "ProfileTable" >> beam.CombineGlobally(ProfileTable(self.params.top_names)).without_defaults())
        return pairs | "Link" >> beam.ParDo(LinkStoriesFn(self.params), beam.pvalue.AsSingleton(table),
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
