"""When an event is, as its own mention says: the times its phrase and clause name (data/event_times.toml).

Two mentions of one event type in one article that name times of one kind, none in common, are two events
(transforms/events/identity.py): "On Sunday, Zinni walked out of a security meeting" and "describing today's
US-hosted meeting as positive" share no place or leader and are not one meeting. A mention that names no time
says nothing either way. The words are read from the parse of the event's sentence: the event's own phrase
("Monday's meeting", "the January 4-6 summit", "recent meetings", "met Zinni yesterday") and the clause it
hangs from ("On Sunday ... walked out of a meeting"), not the sentence's other clauses ("On Friday he said he
was willing to meet ..." says when he spoke), unless "when" joins the event's clause to them ("in 1994, when talks
... came close").
"""

from __future__ import annotations

import functools

from transforms.common import load_data

TIMES_FILE = "event_times.toml"
# relations whose words are another clause's, not the event's
COARSE = "order:"  # before or after the writer's day: shared by too many events to make two mentions one
CLAUSES = frozenset({"ccomp", "advcl", "xcomp", "conj", "parataxis", "relcl", "csubj", "cc", "punct"})


@functools.cache
def _table() -> tuple[dict[str, str], dict[tuple[str, str], str], frozenset[str]]:
    data = load_data(TIMES_FILE)
    phrases = {tuple(phrase.split()): time for phrase, time in data["phrases"].items()}
    return dict(data["words"]), phrases, frozenset(data["capitalised"]["words"])


@functools.cache
def _relations() -> frozenset[str]:
    return frozenset(load_data(TIMES_FILE)["relations"]["words"])


@functools.cache
def _simultaneous() -> frozenset[str]:
    return frozenset(load_data(TIMES_FILE)["simultaneous"]["words"])


def at_the_time_of(clause) -> list:
    """The words that date a clause joined by "when" to what it hangs from: the time a relative clause describes
    ("back to 1994, when talks ... came close"), or the main clause's own time modifiers ("In 1939, when Einstein
    met Roosevelt, the war had begun")."""
    if not any(c.dep_ in ("advmod", "mark") and c.lower_ in _simultaneous() for c in clause.children):
        return []
    head = clause.head
    if clause.dep_ == "relcl":
        return [head, *(c for c in head.children if c.dep_ in ("compound", "nummod", "amod"))]
    if clause.dep_ == "advcl":
        return [t for c in head.children if c.dep_ in ("prep", "npadvmod") and c.i != clause.i for t in c.subtree]
    return []


def with_status(times: tuple[str, ...], status: str | None) -> tuple[str, ...]:
    """A mention's times and, when it names one, the side of the writer's day its status puts it on (held:
    before, planned: after)."""
    side = status_side(status)
    return tuple(sorted({*times, side})) if times and side else times


def sides(times) -> frozenset[str]:
    """The sides of the writer's day ("order:before", "order:after") that times name by their own words ("last week"
    is before, "next month" after; "on Tuesday" is either)."""
    named = load_data(TIMES_FILE)["sides"]
    return frozenset(side for side, words in named.items() if set(times) & set(words))


def status_side(status: str | None) -> str | None:
    """The side of the writer's day a status puts an event on (held: before, planned: after), or None."""
    return load_data(TIMES_FILE)["statuses"].get(status or "")


def own_tokens(event) -> list:
    """The tokens that can say when the event is: its phrase, and the clause's words around it (the verb it
    hangs from and that verb's modifiers other than clauses), for a noun, unless it hangs by a word that puts
    the clause at another time ("In London on Thursday ahead of the meeting"); a verb's own modifiers."""
    if event.tag_.startswith("VB"):
        return [t for c in event.children if c.dep_ not in CLAUSES for t in c.subtree] + at_the_time_of(event)
    tokens = list(event.subtree)
    child, head = event, event.head
    while head.i != child.i and child.dep_ not in CLAUSES and head.lower_ not in _relations():
        tokens += [t for c in head.children if c.i != child.i and c.dep_ not in CLAUSES | {"nsubj", "dobj"}
                   for t in c.subtree]
        if head.tag_.startswith("VB"):
            tokens += at_the_time_of(head)
            break
        child, head = head, head.head
    return tokens


def times_of(tokens) -> tuple[str, ...]:
    """The times named by these tokens (of one sentence), sorted."""
    words, phrases, capitalised = _table()
    found, used = set(), set()
    ordered = sorted(tokens, key=lambda t: t.i)
    for token, after in zip(ordered, ordered[1:], strict=False):
        if after.i == token.i + 1 and (time := phrases.get((token.lower_, after.lower_))):
            found.add(time)
            used |= {token.i, after.i}
    for token in ordered:
        if token.i in used:
            continue
        word = token.lower_
        if word in words and (word not in capitalised or token.text[:1].isupper()):
            found.add(words[word])
        elif token.like_num and len(token.text) == 4 and token.text.isdigit() and 1900 <= int(token.text) <= 2099:
            found.add(f"year:{token.text}")
    return tuple(sorted(found))


def event_times(event) -> tuple[str, ...]:
    """When the event of this token is, as its mention says; () when it names no time."""
    return times_of(own_tokens(event))


def apart(one, other) -> bool:
    """Whether two mentions' times (KIND:TIME) say two events: of some kind both name times, and none in common
    ("day:monday", "day:tuesday"); times of two kinds never differ ("week:last", "day:friday")."""
    if any(not time.startswith(COARSE) for time in set(one) & set(other)):
        return False  # one day, week, month or year in common: one event, whatever else they say
    kinds = {time.split(":")[0] for time in one} & {time.split(":")[0] for time in other}
    return any(not {t for t in one if t.startswith(kind + ":")} & {t for t in other if t.startswith(kind + ":")}
               for kind in kinds)


@functools.cache
def _language_table(language: str) -> tuple[dict[str, str], dict[tuple[str, str], str], int]:
    """A language's times: its profile's [dates] month and weekday names (abbreviations of three letters or fewer left
    out, but for a month with no longer name: "mai", "май"), and data/event_times.toml [languages.LANGUAGE]: words,
    two-word phrases, and the window of words around the event's word they are read in."""
    from transforms.languages import section

    own = load_data(TIMES_FILE).get("languages", {}).get(language, {})
    dates = section(language, "dates")
    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    months = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december")
    words = {}
    for kind, english, spellings in (("month", months, dates.get("months", ())),
                                     ("day", days, dates.get("weekdays", ()))):
        for name, names in zip(english, spellings, strict=False):
            full = [word for word in names if len(word) > 3] or names
            words |= {word.lower(): f"{kind}:{name}" for word in full}
    words |= {word.lower(): time for word, time in own.get("words", {}).items()}
    phrases = {tuple(phrase.lower().split()): time for phrase, time in own.get("phrases", {}).items()}
    return words, phrases, own.get("window", 0)


def words_times(language: str, words: list[str], at: int) -> tuple[str, ...]:
    """The times a mention names in a language read without a parse (transforms/events/keywords.py): the words within
    the language's window of its event's word `at` (lower-cased words of one sentence), sorted; () for a language
    with no times."""
    table, phrases, window = _language_table(language)
    if not window:
        return ()
    near = list(enumerate(words))[max(0, at - window):at + window + 1]
    found, used = set(), set()
    for (i, word), (j, after) in zip(near, near[1:], strict=False):
        if (time := phrases.get((word, after))):
            found.add(time)
            used |= {i, j}
    for i, word in near:
        if i in used or i == at:
            continue
        if word in table:
            found.add(table[word])
        elif len(word) == 4 and word.isdigit() and 1900 <= int(word) <= 2099:
            found.add(f"year:{word}")
    return tuple(sorted(found))
