"""Status stage: sentences that report a summit's or meeting's status become StatusMentions.

Only sentences that name an event word are parsed (a cheap rule-based sentencizer finds them),
so the dependency parser's cost follows the number of event sentences, not the article length.
A status trigger counts for an event word when the parse links them closely; negated triggers
("no plans to meet") are dropped, hedged ones ("may be dashed", "whether ... would be postponed")
are kept with `hedged` set and a lower confidence. Lexicon and places: data/status.toml.
"""

from __future__ import annotations

import dataclasses
import re

from schemas.records import Article, StatusMention, analysed_text
from transforms.common import load_data

STAGE = "status"
MAX_LINK_DISTANCE = 3  # dependency arcs between a trigger and its event word
# The small model misparses some headlines and quoted verbs; a trigger this close to the only event
# word around still counts ("Preparations for a meeting between ... are now being "fast-tracked"").
MAX_TOKEN_GAP = 20
LEDE_LINES = 2  # the headline and the first paragraph: what an article reports now
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_HELD_PREPOSITIONS = frozenset({"at", "during"})
_CLAUSE_DEPS = frozenset({"ROOT", "xcomp", "ccomp", "advcl", "relcl"})
_VERB_CHILD_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "aux", "auxpass"})


@dataclasses.dataclass(frozen=True)
class Lexicon:
    events: dict[str, str]
    statuses: dict[str, list[str]]
    negations: frozenset[str]
    hedges: frozenset[str]
    confidence: dict[str, float]
    places: dict[str, str]
    leaders: frozenset[str]
    leader_groups: tuple[str, ...]

    @classmethod
    def load(cls, name: str = "status.toml") -> Lexicon:
        data = load_data(name)
        return cls(
            events={word: event for event, words in data["events"].items() for word in words},
            statuses=data["statuses"],
            negations=frozenset(data["modifiers"]["negations"]),
            hedges=frozenset(data["modifiers"]["hedges"]),
            confidence=data["confidence"],
            places=data["places"],
            leaders=frozenset(data["summit_participants"]["leaders"]),
            leader_groups=tuple(data["summit_participants"]["groups"]),
        )

    @property
    def event_pattern(self) -> re.Pattern:
        return re.compile(r"\b(" + "|".join(map(re.escape, self.events)) + r")\b", re.IGNORECASE)

    @property
    def worth_parsing(self) -> re.Pattern:
        """A status trigger, or a hint of a place ("in Budapest", "at the Alaska summit", "Budapest
        summit"): an event sentence with neither can add no status and no place, so it is not parsed."""
        phrases = sorted({p for ps in self.statuses.values() for p in ps if p not in _HELD_PREPOSITIONS}, key=len)
        events = "|".join(map(re.escape, self.events))
        return re.compile(r"(?i:\b(?:" + "|".join(map(re.escape, reversed(phrases))) + r")\b)"
                          r"|\b(?:in|at|In|At)\s+(?:the\s+)?[A-Z]|\b[A-Z]\w+\s+(?i:" + events + r")\b")


def _path(token) -> list:
    return [token, *token.ancestors]


def link_distance(a, b) -> int:
    """Number of dependency arcs between two tokens of one sentence."""
    up_a, up_b = _path(a), _path(b)
    positions_b = {t.i: depth for depth, t in enumerate(up_b)}
    for depth, token in enumerate(up_a):
        if token.i in positions_b:
            return depth + positions_b[token.i]
    return 1_000


def _between(a, b) -> list:
    up_a, up_b = _path(a), _path(b)
    ids_b = {t.i for t in up_b}
    common = next((t for t in up_a if t.i in ids_b), None)
    if common is None:
        return [a, b]
    return [t for t in up_a if t.i != common.i] + [common] + [t for t in up_b if t.i not in {common.i}]


class StatusFinder:
    def __init__(self, nlp, lexicon: Lexicon):
        from spacy.matcher import PhraseMatcher

        self.lexicon = lexicon
        self.rank = {status: n for n, status in enumerate(lexicon.statuses)}
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for status, phrases in lexicon.statuses.items():
            self.matcher.add(status, list(nlp.tokenizer.pipe(phrases)))

    def triggers(self, doc) -> list:
        """Status trigger spans labelled with their status; overlapping matches keep the longest."""
        from spacy.tokens import Span
        from spacy.util import filter_spans

        return filter_spans([Span(doc, start, end, label=match_id) for match_id, start, end in self.matcher(doc)])

    def negated(self, trigger, event) -> bool:
        for token in {*_between(trigger, event), trigger.head}:
            if any(child.lower_ in self.lexicon.negations and child.dep_ in ("neg", "det", "advmod")
                   for child in token.children):
                return True
        return False

    def hedged(self, sent, trigger, event) -> bool:
        """A modal, a "whether" or a hedging verb on the trigger, its head or the path to the event."""
        path = {*_between(trigger, event), trigger.head}
        scope = path | {child for token in path for child in token.children
                        if child.dep_ in ("aux", "auxpass", "advmod", "mark", "neg")}
        return any(t.lower_ in self.lexicon.hedges for t in scope) or sent.text.rstrip().endswith("?")

    def attached(self, sent, trigger, event) -> bool:
        if link_distance(trigger, event) <= MAX_LINK_DISTANCE:
            return True
        low, high = sorted((trigger.i, event.i))
        others = [t for t in sent.doc[low + 1:high] if t.lower_ in self.lexicon.events]
        return high - low <= MAX_TOKEN_GAP and not others

    def event_kind(self, sent, event) -> str:
        """summit or meeting; a meeting between leaders is a summit."""
        kind = self.lexicon.events[event.lower_]
        if kind == "summit":
            return kind
        between = [c for c in event.children if c.dep_ == "prep" and c.lower_ in ("between", "with")]
        # A noun's participants follow "between" or "with"; a verb's ("meet") are in the sentence.
        scope = [t for c in between for t in c.subtree] or (list(sent) if _is_verb(event) else [])
        text = " ".join(t.lower_ for t in scope)
        leaders = {t.lower_ for t in scope if t.lower_ in self.lexicon.leaders}
        if len(leaders) >= 2 or any(group in text for group in self.lexicon.leader_groups):
            return "summit"
        return kind

    def place(self, sent, event, trigger=None) -> str | None:
        text = sent.text.lower()
        for written, place in self.lexicon.places.items():
            if re.search(rf"\b{re.escape(written)}\b", text):
                return place
        places = [ent for ent in sent.ents if ent.label_ in PLACE_LABELS]
        # "Budapest summit", but not "US-Russia summit", which names who meets, not where
        attached = [ent for ent in places if ent.root.head.i == event.i and not _hyphenated(ent)]
        # "summit in Budapest", "meet Putin in Hungary", "scheduled to take place ... in Budapest"
        path = _between(trigger, event) if trigger is not None else [event, event.head]
        anchors = {t.i for t in path} | {c.i for t in path for c in t.children} | {t.i for t in event.subtree}
        located = [ent for ent in places if ent.root.dep_ == "pobj" and ent.root.head.lower_ == "in"
                   and ent.root.head.head.i in anchors]
        chosen = (attached or located or [None])[0]
        return chosen.text if chosen is not None else None

    def find(self, sent, triggers: list):
        """(event, status or None, place, hedged) for each event word of the sentence: with its status
        when it has one, and without one when it only says where the event is (for places)."""
        events = [t for t in sent if t.lower_ in self.lexicon.events]
        triggers = [span for span in triggers if sent.start <= span.start < sent.end]
        found = {}
        for event in events:
            kind = self.event_kind(sent, event)
            statuses = []
            if event.dep_ == "pobj" and event.head.lower_ in _HELD_PREPOSITIONS:
                statuses.append(("held", event.head))
            for span in triggers:
                status, trigger = span.label_, span.root
                if status == "held" and trigger.lower_ in _HELD_PREPOSITIONS:
                    continue
                if self.attached(sent, trigger, event) and not self.negated(trigger, event):
                    statuses.append((status, trigger))
            if not statuses:
                found.setdefault((kind, None), (self.place(sent, event), False))
                continue
            status, trigger = min(statuses, key=lambda st: self.rank[st[0]])
            hedged = self.hedged(sent, trigger, event)
            key = (kind, status)
            if key not in found or found[key][1] and not hedged:
                found[key] = (self.place(sent, event, trigger), hedged)
        for (event, status), (place, hedged) in found.items():
            if status is not None or place is not None:
                yield event, status, place, hedged


def _is_verb(token) -> bool:
    """From the parse alone (the tagger does not run): a verb heads a clause or has a subject, object
    or auxiliary ("plans to meet Putin")."""
    return token.dep_ in _CLAUSE_DEPS or any(child.dep_ in _VERB_CHILD_DEPS for child in token.children)


def _hyphenated(ent) -> bool:
    doc = ent.doc
    return (ent.start > 0 and doc[ent.start - 1].text == "-") or (ent.end < len(doc) and doc[ent.end].text == "-")


def lede_end(text: str) -> int:
    """Where the headline and first paragraph of an analysed text end (LEDE_LINES non-empty lines)."""
    seen, offset = 0, 0
    for line in text.split("\n"):
        offset += len(line) + 1
        seen += bool(line.strip())
        if seen == LEDE_LINES:
            return offset
    return len(text)


def article_status(mentions: list[tuple[int, str, bool]], lede: int, order) -> str | None:
    """The status an article reports of its event: among the (position, status, hedged) mentions in its
    lede (before `lede`) the asserted before the hedged, then the most specific by `order` ("a planned
    summit has been postponed" is postponed); with none in the lede, its first mention."""
    if not mentions:
        return None
    rank = {status: n for n, status in enumerate(order)}
    in_lede = [m for m in mentions if m[0] < lede]
    if not in_lede:
        return min(mentions)[1]
    return min(in_lede, key=lambda m: (m[2], rank.get(m[1], len(rank)), m[0]))[1]


def fill_places(mentions: list[tuple]) -> list[tuple]:
    """A summit status without a place takes the place of the nearest mention of a summit in the
    article, before it if any, else after it ("the summit was called off" follows "a planned summit
    ... in Budapest"). Meetings are many and different, so they are left as they are.
    Mentions are (position, event, status, place, hedged, sentence)."""
    filled = []
    for position, event, status, place, hedged, sentence in mentions:
        if place is None and event == "summit":
            placed = [(abs(position - p) + (0.5 if p > position else 0), where)
                      for p, e, _, where, _, _ in mentions if e == event and where is not None]
            place = min(placed)[1] if placed else None
        filled.append((position, event, status, place, hedged, sentence))
    return filled


class StatusExtractor:
    """StatusMentions of one article: `units` picks the sentences worth parsing, `rows` reads their parses.

    The sentences are parsed with tok2vec and parser only; their places are the article's own NER
    spans (`with_places`), taken before the entity ruler, so that in "Budapest summit" Budapest stays
    a place. The NER is not run twice on the same words.
    """

    components = ("tok2vec", "parser")

    def __init__(self, nlp):
        import spacy

        self.lexicon = Lexicon.load()
        self.sentencizer = spacy.blank("en")
        self.sentencizer.add_pipe("sentencizer")
        self.finder = StatusFinder(nlp, self.lexicon)
        self.event_words = self.lexicon.event_pattern
        self.worth_parsing = self.lexicon.worth_parsing

    def units(self, article: Article) -> list[tuple[int, str]]:
        """(offset in the article's analysed text, sentence) of the sentences that name an event word,
        and a status or a place: only they are parsed."""
        sentences, offset = [], 0
        for paragraph in analysed_text(article).split("\n"):
            if self.event_words.search(paragraph):
                sentences.extend((offset + s.start_char, s.text) for s in self.sentencizer(paragraph).sents
                                 if self.event_words.search(s.text) and self.worth_parsing.search(s.text))
            offset += len(paragraph) + 1
        return sentences

    @staticmethod
    def with_places(doc, offset: int, places: list[tuple[int, int, str]]):
        """The parsed sentence at `offset` with the places (start, end, label) found in its article."""
        from spacy.util import filter_spans

        spans = [doc.char_span(start - offset, end - offset, label=label) for start, end, label in places
                 if offset <= start and end <= offset + len(doc.text)]
        doc.ents = filter_spans([span for span in spans if span is not None])
        return doc

    def rows(self, article: Article, docs: list) -> list[StatusMention]:
        mentions = []
        for doc in docs:
            triggers = self.finder.triggers(doc)
            for sent in doc.sents:
                for event, status, place, hedged in self.finder.find(sent, triggers):
                    mentions.append((len(mentions), event, status, place, hedged, sent.text.strip()))
        return [StatusMention(article_id=article.article_id, published_date=article.published_date, event=event,
                              status=status, place=place, sentence=sentence, hedged=hedged,
                              confidence=self.lexicon.confidence["hedged" if hedged else "asserted"])
                for _, event, status, place, hedged, sentence in fill_places(mentions) if status is not None]
