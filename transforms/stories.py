"""Stories stage: different texts about the same event share a `story_id`.

Duplicates already share their canonical copy's story. Beyond them, two canonical articles are one
story when the entities they name, weighted by rarity in the run (tf-idf over canonical names),
are close (cosine >= `min_cosine`) and their dates are at most `max_days` apart; when either date
is unknown the bar is `undated_cosine`. Candidates come from a GroupByKey on pairs of each
article's top entities, so no worker compares every article with every other. Groups are joined
like duplicate groups; the story id is the id of the group's earliest article.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import math
from collections import Counter

import apache_beam as beam
from apache_beam.metrics import Metrics

from transforms.dedup import connected_groups

STAGE = "stories"
STORY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "EVENT", "FAC", "NORP"})
_UNDATED = datetime.date.max


@dataclasses.dataclass(frozen=True)
class StoryParams:
    top_entities: int = 8  # the profile of an article: its most telling entities
    key_entities: int = 4  # pairs of these are the blocking keys
    min_cosine: float = 0.5
    undated_cosine: float = 0.7
    max_days: int = 2
    max_bucket: int = 200


@dataclasses.dataclass(frozen=True)
class Profile:
    article_id: str
    published_date: datetime.date | None
    weights: tuple[tuple[str, float], ...]  # top entities, heaviest first

    @property
    def rank(self) -> tuple:
        return (self.published_date or _UNDATED, self.article_id)


def cosine(left: Profile, right: Profile) -> float:
    a, b = dict(left.weights), dict(right.weights)
    dot = sum(w * b[name] for name, w in a.items() if name in b)
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def same_story(left: Profile, right: Profile, params: StoryParams) -> bool:
    if left.published_date and right.published_date:
        if abs((left.published_date - right.published_date).days) > params.max_days:
            return False
        return cosine(left, right) >= params.min_cosine
    return cosine(left, right) >= params.undated_cosine


class ProfileFn(beam.DoFn):
    def __init__(self, params: StoryParams):
        self.params = params

    def process(self, grouped, document_frequency, articles):
        article_id, mentions = grouped
        mentions = list(mentions)
        counts = Counter(name for name, label, _ in mentions if label in STORY_LABELS)
        weights = {name: n * math.log((articles + 1) / (document_frequency.get(name, 0) + 0.5))
                   for name, n in counts.items()}
        top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[: self.params.top_entities]
        if top:
            yield Profile(article_id, mentions[0][2], tuple((name, round(w, 6)) for name, w in top))


class StoryPairsFn(beam.DoFn):
    def __init__(self, params: StoryParams):
        self.params = params
        self.linked = Metrics.counter(STAGE, "linked_pairs")

    def process(self, bucket):
        _, profiles = bucket
        profiles = sorted({p.article_id: p for p in profiles}.values(), key=lambda p: p.article_id)
        # A pair of entities named by very many articles says nothing about one event.
        pairs = itertools.combinations(profiles, 2) if len(profiles) <= self.params.max_bucket else ()
        for left, right in pairs:
            if same_story(left, right, self.params):
                self.linked.inc()
                yield left.rank, right.rank


def _blocking_keys(profile: Profile, count: int):
    names = sorted(name for name, _ in profile.weights[:count])
    for pair in itertools.combinations(names, 2):
        yield "\x1f".join(pair), profile


def _story_roots(keyed_edges):
    _, edges = keyed_edges
    yield from connected_groups(edges).items()


def _with_story(article, roots):
    canonical = article.duplicate_of or article.article_id
    return dataclasses.replace(article, story_id=roots.get(canonical, canonical))


class GroupStories(beam.PTransform):
    """Articles in, the same Articles out with `story_id`; `entities` are the canonical articles' rows."""

    def __init__(self, entities, params: StoryParams | None = None):
        super().__init__()
        self.entities = entities
        self.params = params or StoryParams()

    def expand(self, articles):
        params = self.params
        per_article = (
            self.entities
            | "ByArticle" >> beam.Map(lambda e: (e.article_id, (e.canonical, e.label, e.published_date)))
            | "GroupByArticle" >> beam.GroupByKey()
        )
        document_frequency = (
            per_article
            | "Names" >> beam.FlatMap(lambda kv: {name for name, _, _ in kv[1]})
            | "CountArticles" >> beam.combiners.Count.PerElement()
        )
        article_count = per_article | "Articles" >> beam.combiners.Count.Globally()
        roots = (
            per_article
            | "Profile" >> beam.ParDo(ProfileFn(params), beam.pvalue.AsDict(document_frequency),
                                      beam.pvalue.AsSingleton(article_count))
            | "BlockingKeys" >> beam.FlatMap(_blocking_keys, params.key_entities)
            | "GroupByEntityPair" >> beam.GroupByKey()
            | "LinkPairs" >> beam.ParDo(StoryPairsFn(params))
            | "OneGraph" >> beam.Map(lambda edge: (None, edge))
            | "CollectLinks" >> beam.GroupByKey()
            | "Components" >> beam.FlatMap(_story_roots)
        )
        return articles | "SetStory" >> beam.Map(_with_story, beam.pvalue.AsDict(roots))
