"""Event types, their words and statuses, and the grammar words of tense: data/events.toml as records."""

from __future__ import annotations

import dataclasses
import functools
import os
import re

from transforms.common import DATA_ENV, load_data

EVENTS_FILE = "events.toml"


@dataclasses.dataclass(frozen=True)
class Tense:
    """What the parse's words mean for an event's status (data/status.toml, [tense])."""
    future_auxiliaries: frozenset[str]
    modals: frozenset[str]
    plan_heads: frozenset[str]
    wishes: frozenset[str]
    conditions: frozenset[str]
    future_words: frozenset[str]
    past_modifiers: frozenset[str]
    future_modifiers: frozenset[str]
    after_words: frozenset[str]
    before_words: frozenset[str]
    clause_relations: frozenset[str]
    measures: frozenset[str]
    holding_verbs: frozenset[str]
    ongoing: frozenset[str]
    habits: frozenset[str]
    simple_present_future: frozenset[str] = frozenset()
    verb_relations: frozenset[str] = frozenset()
    on_events: frozenset[str] = frozenset()
    purpose_verbs: frozenset[str] = frozenset()
    frame_relations: frozenset[str] = frozenset()
    continuing: frozenset[str] = frozenset()
    endings: frozenset[str] = frozenset()
    convening: frozenset[str] = frozenset()
    aspects: frozenset[str] = frozenset()
    attempts: frozenset[str] = frozenset()
    attempt_events: frozenset[str] = frozenset()
    copulas: frozenset[str] = frozenset()
    still_ahead: frozenset[str] = frozenset()
    time_clauses: frozenset[str] = frozenset()
    act_frames: frozenset[str] = frozenset()
    ongoing_states: frozenset[str] = frozenset()
    prospects: frozenset[str] = frozenset()
    tallies: frozenset[str] = frozenset()
    tallied_events: frozenset[str] = frozenset()
    past_habits: frozenset[str] = frozenset()
    purposes: frozenset[str] = frozenset()
    simultaneous: frozenset[str] = frozenset()


@dataclasses.dataclass(frozen=True)
class Promotion:
    """An event type that others become when held between leaders (data/events.toml, `from`)."""
    event: str
    sources: frozenset[str]
    titles: tuple[str, ...]
    groups: tuple[str, ...]
    bodies: tuple[str, ...] = ()  # bodies of states ("G8", "EU"): their meeting is one of leaders
    otherwise: str | None = None  # the type a mention of this one's own words takes with no leaders around
    one_body: tuple[tuple[str, ...], ...] = ()  # names of `bodies` that are one body ("eu", "european council")

    @property
    def title_pattern(self) -> re.Pattern:
        return _title_pattern(self.titles)

    @property
    def body_pattern(self) -> re.Pattern:
        return _words_pattern(self.bodies)


@dataclasses.dataclass(frozen=True)
class Sense:
    """A sense of some event words that names no event (data/events.toml, [senses.NAME]): a sentence with one
    of `sentence_words`, or any sentence of an article with `article_count` different `article_words` that are
    `article_density` of its words in a thousand or more, unless it has one of `keep_words` (a board meeting,
    contract talks, a minister)."""
    name: str
    events: frozenset[str]
    sentence_words: re.Pattern
    article_words: re.Pattern
    article_count: int
    keep_words: re.Pattern
    article_density: float = 0.0

    def article(self, text: str) -> bool:
        found = [m.group(0).lower() for m in self.article_words.finditer(text)]
        return len(set(found)) >= self.article_count and len(found) * 1000 >= self.article_density * len(text.split())

    def applies(self, kind: str, sentence: str, in_article: bool) -> bool:
        """Whether an event of type `kind` in `sentence` is of this sense: no event."""
        return kind in self.events and (in_article or self.sentence_words.search(sentence) is not None) \
            and self.keep_words.search(sentence) is None


def _words_pattern(words) -> re.Pattern:
    alternatives = "|".join(map(re.escape, sorted(words, key=len, reverse=True))) or "(?!)"
    return re.compile(r"(?<![\w-])(?:" + alternatives + r")(?![\w-])", re.IGNORECASE)


@dataclasses.dataclass(frozen=True)
class Lexicon:
    """Event types, their words and statuses, and the grammar of tense (data/events.toml)."""
    events: dict[str, str]  # noun -> event
    event_verbs: dict[str, str]  # verb form -> event
    not_met: frozenset[str]
    participant_verbs: frozenset[str]  # verbs whose object must be one who meets ("meet the standards" is none)
    participants: frozenset[str]  # nouns of people and bodies of people who can be met
    statuses: dict[str, list[str]]  # shared by every event type, in order of precedence
    negations: frozenset[str]
    hedges: frozenset[str]
    confidence: dict[str, float]
    places: dict[str, str]
    tense: Tense
    promotions: tuple[Promotion, ...] = ()
    own_statuses: dict[str, dict[str, list[str]]] = dataclasses.field(default_factory=dict)  # event -> its own
    fill_places: frozenset[str] = frozenset()  # event types whose unplaced mentions take a nearby place
    default_event: str | None = None
    senses: tuple[Sense, ...] = ()
    subject_verbs: frozenset[str] = frozenset()  # verbs whose subject must be one who can meet or visit
    not_objects: dict[str, frozenset[str]] = dataclasses.field(default_factory=dict)  # event -> its own `not_met`
    narrators: frozenset[str] = frozenset()  # subjects that are the writer's own ("I", "we")
    quote_marks: tuple[str, ...] = ()  # what shows that a sentence quotes someone
    dated: frozenset[str] = frozenset()  # words that place a narrator's meeting with someone on a day
    narrated_events: frozenset[str] = frozenset()  # the event types a narrator's own verb can be private life of
    in_office: str | None = None  # the sense whose keep words say a narrator met or visited in office
    place_prepositions: dict[str, frozenset[str]] = dataclasses.field(default_factory=dict)  # event -> "in", "to"
    anaphors: frozenset[str] = frozenset()  # words before an event's word that point back ("these talks")
    others: frozenset[str] = frozenset()  # words before an event's word that say it is another ("another visit")
    about: dict[str, frozenset[str]] = dataclasses.field(default_factory=dict)  # event -> words before its subject
    not_topics: frozenset[str] = frozenset()  # nouns before "talks" that say who talks or how, not what about
    settings: dict[str, str] = dataclasses.field(default_factory=dict)  # noun a verb form of an event names it by
    # event -> what after its noun read as a present verb makes it another verb ("talks about")
    verb_prepositions: dict[str, frozenset[str]] = dataclasses.field(default_factory=dict)

    @classmethod
    def load(cls, name: str = EVENTS_FILE) -> Lexicon:
        data = load_data(name)
        types = data["event"]
        return cls(
            events={word: event for event, spec in types.items() for word in spec.get("nouns", ())},
            event_verbs={word: event for event, spec in types.items() for word in spec.get("verbs", ())},
            not_met=frozenset(data["not_met"]["objects"]),
            participant_verbs=frozenset(data["not_met"].get("participant_verbs", ())),
            participants=frozenset(data["not_met"].get("participants", ())),
            statuses=data["statuses"],
            negations=frozenset(data["modifiers"]["negations"]),
            hedges=frozenset(data["modifiers"]["hedges"]),
            confidence=data["confidence"],
            places=data["places"],
            tense=Tense(**{key: frozenset(words) for key, words in data["tense"].items()}),
            promotions=tuple(Promotion(event, frozenset(spec["from"]), tuple(spec["leaders"]["titles"]),
                                       tuple(spec["leaders"]["groups"]), tuple(spec["leaders"].get("bodies", ())),
                                       spec["leaders"].get("otherwise"),
                                       tuple(tuple(names) for names in spec["leaders"].get("one_body", ())))
                             for event, spec in types.items() if spec.get("from")),
            own_statuses={event: spec["statuses"] for event, spec in types.items() if spec.get("statuses")},
            fill_places=frozenset(event for event, spec in types.items() if spec.get("fill_places")),
            default_event=data.get("default") or next(iter(types)),
            senses=tuple(Sense(name, frozenset(spec["events"]), _words_pattern(spec.get("sentence_words", ())),
                               _words_pattern(spec.get("article_words", ())), spec.get("article_count", 1_000),
                               _words_pattern(spec.get("keep_words", ())), spec.get("article_density", 0.0))
                         for name, spec in data.get("senses", {}).items()),
            subject_verbs=frozenset(data["not_met"].get("subject_verbs", ())),
            not_objects={event: frozenset(spec["not_objects"]) for event, spec in types.items()
                         if "not_objects" in spec},
            narrators=frozenset(data["not_met"].get("narrators", ())),
            quote_marks=tuple(data["not_met"].get("quote_marks", ())),
            dated=frozenset(data["not_met"].get("dated", ())),
            narrated_events=frozenset(data["not_met"].get("narrated_events", ())),
            in_office=data["not_met"].get("in_office"),
            place_prepositions={event: frozenset(data.get("where", {}).get("prepositions", ("in",)))
                                | frozenset(spec.get("place_prepositions", ())) for event, spec in types.items()},
            anaphors=frozenset(data.get("anaphora", {}).get("words", ())),
            others=frozenset(data.get("anaphora", {}).get("others", ())),
            about={event: frozenset(spec["about"]) for event, spec in types.items() if spec.get("about")},
            not_topics=frozenset(word for spec in types.values() for word in spec.get("not_topics", ()))
            | frozenset(noun for spec in types.values() for noun in spec["nouns"]),
            settings={word: event for event, spec in types.items() for word in spec.get("settings", ())},
            verb_prepositions={event: frozenset(spec["verb_prepositions"]) for event, spec in types.items()
                               if spec.get("verb_prepositions")},
        )

    def order(self, event: str) -> list[str]:
        """The statuses an event type can take, most specific first: its own, then the shared ones."""
        own = list(self.own_statuses.get(event, ()))
        return own + [status for status in self.statuses if status not in own]

    @property
    def titles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(title for p in self.promotions for title in p.titles))

    @property
    def event_pattern(self) -> re.Pattern:
        words = sorted({*self.events, *self.event_verbs}, key=len, reverse=True)
        return re.compile(r"\b(" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)

    @property
    def title_pattern(self) -> re.Pattern:
        """A leader's title and the name after it: group 1 is the surname ("President Donald Trump")."""
        return _title_pattern(self.titles)


def _title_pattern(titles) -> re.Pattern:
    alternatives = "|".join(map(re.escape, sorted(titles, key=len, reverse=True)))
    return re.compile(r"\b(?i:" + alternatives + r")\s+(?:[A-Z][\w'’-]+\s+){0,2}([A-Z][\w'’-]+)")


def lexicon() -> Lexicon:
    """The event lexicon, read once per process and data folder."""
    return _lexicon(os.environ.get(DATA_ENV))


@functools.cache
def _lexicon(user: str | None) -> Lexicon:
    return Lexicon.load()


def default_event() -> str:
    """The event type queries and the report count unless told (data/events.toml, `default`)."""
    return lexicon().default_event
