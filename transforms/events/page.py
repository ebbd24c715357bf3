"""What kind of page an article is, and who an event on it is between: cues of public life for the status model.

A status is news when its event is public: leaders, officials, bodies or states are its participants, on a page that
reports current events. Fiction, a blog, a podcast's notes or a biography tell of meetings and visits too ("the pair
met after years of admiring each other's work", "by the time of my visit in February", "Brad visited Tacoma"), and no
one sentence of them says it is private life: the page does. `Page` measures a page from what the pipeline already
has (its text, the NER's names, its topic): how much it speaks in the first person outside quotes, how much of it is
dialogue, how dense its names of bodies, places and peoples, its offices and its words of reporting are. `who` tells
what kind of participants an event names. Both become features of the status model
(transforms/events/status_model.py), which learns from the dev labels how much they count. Words and bounds:
data/pages.toml.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re

from transforms.common import DATA_ENV, load_data

PAGES_FILE = "pages.toml"
QUOTED = re.compile(r"[\"“”][^\"“”\n]*[\"“”]")
OPENS_WITH_QUOTE = re.compile(r"^\s*[-–—]?\s*[\"“”‘']")
WORD = re.compile(r"[\w'’-]+")


def _pattern(words) -> re.Pattern:
    alternatives = "|".join(map(re.escape, sorted(words, key=len, reverse=True))) or "(?!)"
    return re.compile(r"(?<![\w-])(?:" + alternatives + r")(?![\w-])", re.IGNORECASE)


@dataclasses.dataclass(frozen=True)
class PageWords:
    """data/pages.toml as patterns and bounds."""
    first_person: frozenset[str]
    public_labels: frozenset[str]
    offices: re.Pattern
    office_words: frozenset[str]
    reporting: re.Pattern
    private: frozenset[str]
    bounds: dict[str, tuple[float, float]]
    short: int  # a page of fewer words has no rates

    @classmethod
    def load(cls) -> PageWords:
        data = load_data(PAGES_FILE)
        return cls(frozenset(data["first_person"]), frozenset(data["public_labels"]), _pattern(data["offices"]),
                   frozenset(w for w in data["offices"] if " " not in w), _pattern(data["reporting"]),
                   frozenset(data["private"]), {name: tuple(pair) for name, pair in data["bounds"].items()},
                   data["short"])

    def level(self, name: str, rate: float) -> str:
        low, high = self.bounds[name]
        return "none" if rate < low else "low" if rate < high else "high"


def page_words() -> PageWords:
    """data/pages.toml, read once per process and data folder."""
    return _page_words(os.environ.get(DATA_ENV))


@functools.cache
def _page_words(user: str | None) -> PageWords:
    return PageWords.load()


@dataclasses.dataclass(frozen=True)
class Page:
    """A page's rates: first_person and dialogue as shares of its paragraphs, public names and offices in a hundred
    words, reporting in a thousand; `topic` its first IPTC subject (None when it has none)."""
    first_person: float
    dialogue: float
    public: float
    offices: float
    reporting: float
    topic: str | None = None
    words: int = 0
    leaders: frozenset[str] = frozenset()  # surnames the page gives a leader's title ("President Obama")

    @classmethod
    def of(cls, text: str, labels: list[str] = (), topic: str | None = None,
           leaders: frozenset[str] = frozenset()) -> Page:
        """A page from its analysed text, the labels of the NER's names in it, its topic and its leaders."""
        words = page_words()
        paragraphs = [line for line in text.split("\n") if line.strip()] or [""]
        unquoted = [QUOTED.sub(" ", line) for line in paragraphs]
        first = sum(any(w.lower() in words.first_person for w in WORD.findall(line)) for line in unquoted)
        dialogue = sum(OPENS_WITH_QUOTE.match(line) is not None for line in paragraphs)
        count = max(len(text.split()), 1)
        public = sum(label in words.public_labels for label in labels)
        return cls(first / len(paragraphs), dialogue / len(paragraphs), 100 * public / count,
                   100 * len(words.offices.findall(text)) / count, 1000 * len(words.reporting.findall(text)) / count,
                   topic, count, leaders)

    def news(self) -> bool:
        """Whether the page reads as news: names of public life, offices and words of reporting, each above its first
        bound."""
        words = page_words()
        return all(words.level(name, getattr(self, name)) != "none" for name in ("public", "offices", "reporting"))

    def features(self, decision: str) -> list[str]:
        """The model's features of the page, alone and with the rules' decision (none, held, planned ...)."""
        words = page_words()
        if self.words < words.short:
            return ["page=short", f"page_rule=short:{decision}"]  # a headline, a sentence, a feed item
        levels = {name: words.level(name, getattr(self, name))
                  for name in ("first_person", "dialogue", "public", "offices", "reporting")}
        names = [f"page_{name}={level}" for name, level in levels.items()]
        names += [f"page_{name}_rule={level}:{decision}" for name, level in levels.items()]
        news = self.news()
        names += [f"page_news={news}", f"page_news_rule={news}:{decision}"]
        if self.topic:
            names += [f"page_topic={self.topic}", f"page_topic_rule={self.topic}:{decision}"]
        return names


def who(tokens, ents, decision: str, page: Page | None = None) -> list[str]:
    """The model's features of an event's participants (grammar.participant_tokens): public (a body, a place, a people,
    an office, a leader of the page), a person by name, private life (family, friends), only pronouns, or no one named;
    each with the rules' decision and with whether its page reports news."""
    words = page_words()
    scope = {t.i for t in tokens}
    labels = {e.label_ for e in ents if e.root.i in scope}
    lowered = {t.lower_ for t in tokens}
    leaders = page.leaders if page is not None else frozenset()
    kinds = []
    if labels & words.public_labels or lowered & (words.office_words | leaders):
        kinds.append("public")
    if "PERSON" in labels:
        kinds.append("person")
    if lowered & words.private:
        kinds.append("private")
    if not kinds and any(t.tag_ in ("PRP", "PRP$") for t in tokens):
        kinds.append("pronoun")
    kinds = kinds or (["named"] if any(t.tag_ in ("NNP", "NNPS") for t in tokens) else ["nobody"] if not tokens
                      else ["other"])
    news = "none" if page is None else "short" if page.words < words.short else page.news()
    return [f"who={kind}" for kind in kinds] + [f"who_rule={kind}:{decision}" for kind in kinds] \
        + [f"who_page={kind}:{news}" for kind in kinds]
