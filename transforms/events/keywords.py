"""Event statuses in languages without English's parse rules: a status phrase beside an event word.

English statuses come from the dependency parse and the tagger (transforms/events/). For another
language whose profile has a [status] table (French, German, Russian, Spanish, Italian) a sentence reports a status
when one of its status phrases ("abgesagt", "a été reporté", "findet statt") stands within a few
words of one of its event words ("Gipfel", "sommet"), with no negation in between and none right
before the phrase. With no status phrase, the tense words of the table do ("wird", "aura": planned;
"fand", "wurde", "a eu": held), but only in a sentence that names someone or somewhere, and not in
one about a habit ("jährlich", "chaque année"). Hedge words make the report hedged. German
compounds count by their last part ("Ukraine-Gipfel", "Friedensgespräche"). Places and
participants come from the article's own entity rows in the sentence, and a capital named by its country's
adjective ("in der ungarischen Hauptstadt", "в венгерской столице": the profile's [places.capitals]) is that
city; the article's lead status and the event ids are chosen as for English: a sentence that names an event with no
status is an event mention all the same, its leaders are the people it names that the article titles as leaders,
and one whose words call it another ("otras reuniones": the profile's `others`) is an event of its own. A language
with no table gets no statuses.
"""

from __future__ import annotations

import re

from schemas.records import Article, EntityMention, EventMention, StatusMention, analysed_text
from transforms.common import fold
from transforms.events.identity import capital_in
from transforms.events.lexicon import lexicon
from transforms.events.mentions import Found, event_rows, fill_places
from transforms.events.times import words_times
from transforms.languages import section, with_section

_WORD = re.compile(r"\w+(?:['’]\w+|-\w+)*|['’]", re.UNICODE)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.MULTILINE)  # a headline ends at its line's end


class KeywordStatuses:
    """StatusMentions of articles in one language, from its profile's [status] table: status phrases
    within `window` words of an event word (a tense word within `tense_window`), in order of precedence
    as in events.toml; "fand … statt" is a separable verb, its parts up to 12 words apart."""

    def __init__(self, language: str, table: dict, confidence: dict):
        self.language = language
        self.events = {word: kind for kind, words in table["events"].items() for word in words}
        self.compounds = table.get("compound_suffixes", False)
        self.capitalised = table.get("nouns_capitalised", False)  # German: "Treffen", not "Entscheidungen treffen"
        self.order = list(table["statuses"])
        self.phrases = sorted(((tuple(tuple(_words(part)) for part in phrase.split("…")), status)
                               for status, phrases in table["statuses"].items() for phrase in phrases),
                              key=lambda item: -sum(map(len, item[0])))
        self.negations = frozenset(table["negations"])
        self.hedges = frozenset(table["hedges"])
        self.window = table.get("window", 8)
        self.tense_window = table.get("tense_window", 6)
        tense = table.get("tense", {})
        self.past, self.future = frozenset(tense.get("past", ())), frozenset(tense.get("future", ()))
        self.habits = frozenset(tense.get("habits", ()))
        self.confidence = confidence
        capitals = section(language, "places").get("capitals", {})
        self.capital_words = frozenset(map(fold, capitals.get("words", ())))
        self.adjective_endings = tuple(capitals.get("endings", ("",)))
        self.leader_titles = frozenset(table.get("leaders", ()))
        self.others = frozenset(table.get("others", ()))
        self.about_words = frozenset(table.get("about", ()))

    @classmethod
    def load(cls) -> dict[str, KeywordStatuses]:
        confidence = lexicon().confidence
        return {language: cls(language, table, confidence) for language, table in with_section("status").items()}

    def event_of(self, word: str) -> str | None:
        word = word.replace("’", "'").rsplit("'", 1)[-1]  # an elided article or preposition: "l'incontro", "d'une"
        if word in self.events:
            return self.events[word]
        if self.compounds:  # "friedensgespräche", "ukraine-gipfel"
            for end in range(1, len(word) - 3):
                if word[end:] in self.events and len(word[end:]) >= 4:
                    return self.events[word[end:]]
        return None

    def sentence_events(self, sentence: str) -> list[str]:
        """The event types a sentence's event words name, in their order, each once."""
        written = _WORD.findall(sentence)
        kinds = [kind for word in written if (kind := self.event_of(word.lower()))
                 and (not self.capitalised or word[:1].isupper())]
        return list(dict.fromkeys(kinds))

    def sentence_reports(self, sentence: str, named: bool = True) -> list[tuple[str, str, bool]]:
        """(event, status, hedged) of one sentence, one per event type, the first status by order.
        The tense words count only in a sentence that `named` someone or somewhere (news, not "bei
        meinen beiden Besuchen")."""
        written = _WORD.findall(sentence)
        words = [w.lower() for w in written]
        events = [(i, kind) for i, word in enumerate(words) if (kind := self.event_of(word))
                  and (not self.capitalised or written[i][:1].isupper())]
        if not events:
            return []
        statuses = []
        taken: set[int] = set()
        for parts, status in self.phrases:
            for i, j in _occurrences(words, parts):
                used = set(range(i, i + len(parts[0]))) | set(range(j, j + len(parts[-1])))
                if not taken & used:
                    taken |= used
                    statuses.append((i, i + len(parts[0]), status, False))
        hedged = any(word in self.hedges for word in words)
        if named and not any(word in self.habits for word in words):  # "das jährliche Treffen": no one event
            statuses += [(i, i + 1, "planned", True) for i, word in enumerate(words) if word in self.future]
            statuses += [(i, i + 1, "held", True) for i, word in enumerate(words)
                         if word in self.past and not any(s <= i < e for s, e, *_ in statuses)]
        found: dict[str, str] = {}
        for at, kind in events:
            for start, end, status, by_tense in statuses:
                window = self.tense_window if by_tense else self.window
                if min(abs(start - at), abs(end - 1 - at)) > window:
                    continue
                between = words[min(at, start) + 1:max(at, start)] + words[max(0, start - 2):start]
                if any(word in self.negations for word in between):
                    continue
                if kind not in found or self.order.index(status) < self.order.index(found[kind]):
                    found[kind] = status
        return [(kind, status, hedged) for kind, status in found.items()]

    def rows(self, article: Article, entities: list[EntityMention]) -> list[StatusMention | EventMention]:
        text = analysed_text(article)
        found = []
        for match in _SENTENCE.finditer(text):
            sentence = match.group(0).strip()
            named = [e for e in entities if e.mention in sentence]
            reports = self.sentence_reports(sentence, named=bool(named))
            reported = {kind for kind, _status, _hedged in reports}
            # a sentence that names an event with no status still names it ("bei diesen Gesprächen", "la reunión de
            # junio"), as English's event mentions do: its coverage, and a place or people for the article's other
            # mentions of it
            reports += [(kind, None, False) for kind in self.sentence_events(sentence) if kind not in reported]
            if not reports:
                continue
            people = tuple(sorted({e.canonical.split()[-1].lower() for e in named if e.label == "PERSON"}))
            # who anchors an event, as in English: the leaders among them (titled in the article), not everyone the
            # sentence names ("abrió el encuentro" beside the official who opened it)
            leaders = tuple(sorted(self.leaders(people, text, entities)))
            words = [w.lower() for w in _WORD.findall(sentence)]
            for kind, status, hedged in reports:
                at = next((i for i, word in enumerate(words) if self.event_of(word) == kind), 0)
                # a count of events ("5 095 encuentros", "79 000 reuniones") is many, none in particular: each an
                # event of its own, whose place anchors none of the article's events
                counted = at > 0 and words[at - 1].isdigit() and words[at - 1] != "1"
                found.append(Found(match.start(), self.promoted(kind, people, text, entities), status,
                                   None if counted else self.place(sentence, kind, named), hedged, sentence, leaders,
                                   people, times=words_times(self.language, words, at),
                                   refers="other" if counted else self.refers(sentence, kind)))
        return event_rows(article, fill_places(found, lexicon().fill_places), lambda kind: self.order,
                          self.confidence)


    def place(self, sentence: str, kind: str, named: list[EntityMention]) -> str | None:
        """The place named nearest the event word ("à Budapest"), a dateline's city ("PARIS, 21
        octobre -") left out: it says where the report was written."""
        at = next((m.start() for m in _WORD.finditer(sentence) if self.event_of(m.group(0).lower()) == kind), 0)
        places = [(abs(sentence.find(e.mention) - at), e.canonical) for e in named if e.label == "GPE"
                  and not (e.mention.isupper() and sentence.startswith(e.mention))
                  and not self.titled(sentence, e.mention, after=True) and not self.about(sentence, e.mention)]
        places += [(abs(start - at), city) for start, city in self.capitals(sentence)]
        return min(places)[1] if places else None

    def about(self, sentence: str, mention: str) -> bool:
        """Whether every time a sentence names a place it is what something is about, not where: right after one of
        the profile's `about` words, or one and an article ("Gespräche um die Ukraine", "sommet sur l'Ukraine")."""
        starts = [m.start() for m in re.finditer(re.escape(mention), sentence)]
        return bool(self.about_words) and bool(starts) and all(
            any(word in self.about_words for word in [w.lower() for w in _WORD.findall(sentence[max(0, at - 30):at])
                                                      if w not in "'’"][-2:])
            for at in starts)

    def titled(self, text: str, mention: str, after: bool = False) -> bool:
        """Whether a mention follows a leader's title (the profile's [status] `leaders`) within two words ("Президент
        США Дональд Трамп", "US-Präsident Donald Trump", "président américain Donald Trump"), or, `after`, is
        the country of the title right before it or joined to it ("Президент США", "US-Präsident"): the title's
        country, not where an event is."""
        if not self.leader_titles:
            return False
        for at in (m.start() for m in re.finditer(re.escape(mention), text)):
            before = [w.lower() for w in _WORD.findall(text[max(0, at - 80):at])][-(1 if after else 2):]
            glued = _WORD.findall(text[at + len(mention):at + len(mention) + 40])[:1] if after else []
            if any(self._title(word) for word in before) \
                    or glued and text[at + len(mention):].startswith("-") and self._title(glued[0].lower()):
                return True
        return False

    def _title(self, word: str) -> bool:
        return word in self.leader_titles or any(word.endswith("-" + title) for title in self.leader_titles)

    def leaders(self, people: tuple[str, ...], text: str, entities: list[EntityMention]) -> set[str]:
        """Which of a sentence's people (by surname) are leaders: named after a leader's title somewhere in the
        article."""
        return {e.canonical.split()[-1].lower() for e in entities if e.label == "PERSON"
                and e.canonical.split()[-1].lower() in people and self.titled(text, e.mention)}

    def promoted(self, kind: str, people: tuple[str, ...], text: str, entities: list[EntityMention]) -> str:
        """A meeting or talks between two leaders or more is their summit (events.toml `from`), as in English."""
        leaders = self.leaders(people, text, entities)
        return next((p.event for p in lexicon().promotions if kind in p.sources and len(leaders) >= 2), kind)

    def refers(self, sentence: str, kind: str) -> str:
        """"other" when one of the two words before the event's word says it is another event than those named
        (the profile's `others`: "otras reuniones", "ein weiteres Treffen"), as English's [anaphora] `others`; else
        ""."""
        words = [w.lower() for w in _WORD.findall(sentence)]
        at = next((i for i, word in enumerate(words) if self.event_of(word) == kind), 0)
        return "other" if self.others & set(words[max(0, at - 2):at]) else ""

    def capitals(self, sentence: str) -> list[tuple[int, str]]:
        """(offset, city) of each capital a sentence names by its country's adjective beside the word for a
        capital, either side ("der ungarischen Hauptstadt", "la capitale hongroise")."""
        words = list(_WORD.finditer(sentence))
        found = []
        for n, word in enumerate(words):
            if fold(word.group(0)) not in self.capital_words:
                continue
            for other in words[max(0, n - 1):n] + words[n + 1:n + 2]:
                if city := capital_in(self.language, other.group(0), self.adjective_endings):
                    found.append((word.start(), city))
                    break
        return found


def _words(phrase: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(phrase)]


def _occurrences(words: list[str], parts: tuple[tuple[str, ...], ...]) -> list[tuple[int, int]]:
    """(start of the first part, start of the last) of each match of a phrase; a phrase of two parts
    is a separable verb, its second part within 12 words after the first."""
    head, tail = parts[0], parts[-1]
    found = []
    for i in range(len(words) - len(head) + 1):
        if tuple(words[i:i + len(head)]) != head:
            continue
        if len(parts) == 1:
            found.append((i, i))
            continue
        after = i + len(head)
        tails = [j for j in range(after, min(after + 12, len(words) - len(tail) + 1))
                 if tuple(words[j:j + len(tail)]) == tail]
        if tails:
            found.append((i, tails[0]))
    return found
