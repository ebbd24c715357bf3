"""Entities stage: spaCy NER, then canonical names an analyst can count.

Canonicalisation, per article: the alias table (data/aliases.toml) maps spellings to one name and
fixes the label; a one-word name that is the surname of a person named in full in the same article
becomes that person ("Trump" is "Donald Trump" when the article says "Donald Trump"), whatever label
the model gave the short form; fragments without a capital letter are dropped.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from apache_beam.metrics import Metrics

from schemas.records import Article, EntityMention
from transforms.common import load_data
from transforms.nlp import RunSpacy, SpacyDoFn

STAGE = "entities"
KEPT_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC"})
_POSSESSIVE = re.compile(r"[’']s$")
_EDGE_PUNCT = "\"'“”‘’()[],.;:!?-–— "


@dataclasses.dataclass(frozen=True)
class Canonical:
    name: str
    label: str


@dataclasses.dataclass(frozen=True)
class Lexicon:
    aliases: dict[str, Canonical]
    junk: frozenset[str]
    label_priority: tuple[str, ...]

    @classmethod
    def load(cls, name: str = "aliases.toml") -> Lexicon:
        data = load_data(name)
        aliases = {}
        for entity in data["entity"]:
            canonical = Canonical(entity["canonical"], entity["label"])
            for spelling in [entity["canonical"], *entity["aliases"]]:
                aliases[name_key(spelling)] = canonical
        return cls(aliases, frozenset(name_key(j) for j in data["junk"]["mentions"]),
                   tuple(data["labels"]["priority"]))


def name_key(name: str) -> str:
    """Spellings that differ only in case, dots or a leading "the" are one key ("U.S." and "US")."""
    key = " ".join(name.lower().replace(".", "").split())
    return key[4:] if key.startswith("the ") else key


def clean_mention(text: str) -> str:
    text = " ".join(text.split())
    text = _POSSESSIVE.sub("", text).strip(_EDGE_PUNCT)
    return text[4:] if text.lower().startswith("the ") else text


def canonicalise(spans: list[tuple[str, str]], lexicon: Lexicon) -> list[tuple[str, str, str]]:
    """(mention, label) pairs of one article -> (mention, canonical, label) triples, junk removed."""
    cleaned = [(mention, clean_mention(mention), label) for mention, label in spans]
    cleaned = [(m, n, lab) for m, n, lab in cleaned
               if len(n) > 1 and any(c.isupper() for c in n) and name_key(n) not in lexicon.junk]
    known = {name_key(n) for _, n, _ in cleaned} | set(lexicon.aliases)

    resolved = []
    for mention, name, label in cleaned:
        parts = _split_compound(name, known)
        for part in parts:
            alias = lexicon.aliases.get(name_key(part))
            # A part of "Trump-Putin" (tagged ORG as a whole) casts no vote on its own label.
            part_label = label if len(parts) == 1 else ""
            resolved.append((mention, alias.name, alias.label) if alias else (mention, part, part_label))

    # A surname alone is the person the article names in full, when it names exactly one.
    full_names: dict[str, set[str]] = {}
    for _, name, label in resolved:
        if label == "PERSON" and " " in name:
            full_names.setdefault(name_key(name.split()[-1]), set()).add(name)
    linked = []
    for mention, name, label in resolved:
        candidates = full_names.get(name_key(name), set()) if " " not in name else set()
        linked.append((mention, *((next(iter(candidates)), "PERSON") if len(candidates) == 1
                                  else (name, label))))

    fixed = {alias.name: alias.label for alias in lexicon.aliases.values()}
    votes: dict[str, Counter] = {}
    for _, name, label in linked:
        votes.setdefault(name, Counter())[label] += 1 if label else 0
    rank = {label: i for i, label in enumerate(lexicon.label_priority)}
    final = {
        name: fixed.get(name) or min(counts, key=lambda lab: (-counts[lab], rank.get(lab, len(rank))))
        for name, counts in votes.items()
    }
    return [(mention, name, final[name] or "ORG") for mention, name, _ in linked]


def _split_compound(name: str, known: set[str]) -> list[str]:
    """"Trump-Putin", "Rubio and Lavrov", "Washington/Moscow": two known names, not one entity."""
    for separator in ("-", " and ", "/"):
        parts = [p.strip() for p in name.split(separator)]
        if len(parts) > 1 and all(name_key(p) in known for p in parts):
            return parts
    return [name]


class TagEntitiesFn(SpacyDoFn):
    stage = STAGE
    components = ("ner",)

    def setup(self):
        super().setup()
        self.lexicon = Lexicon.load()
        self.mentions = Metrics.counter(STAGE, "mentions")

    def extract(self, article: Article, docs: list):
        spans = [(ent.text, ent.label_) for doc in docs for ent in doc.ents if ent.label_ in KEPT_LABELS]
        for mention, canonical, label in canonicalise(spans, self.lexicon):
            self.mentions.inc()
            yield EntityMention(
                article_id=article.article_id,
                published_date=article.published_date,
                canonical=canonical,
                label=label,
                mention=mention,
            )


class TagEntities(RunSpacy):
    """Articles to EntityMentions; outputs `rows` and `dead_letter`."""

    def __init__(self, model: str):
        super().__init__(TagEntitiesFn(model))
