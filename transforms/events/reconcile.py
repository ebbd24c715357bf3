"""One event, one id across the run: the ids every article gives its events, reconciled over the run's events.

Each article gives its events ids from what it says (transforms/events/identity.py), so two reports of one event
can carry two ids: a summit's report that names Trump gets a run-wide id, one that names no leader an id of its
story; one names Alaska and New York, another Alaska alone. After every article's ids are made, this step joins
them, keyed, never holding the run:

    event mentions -> by article -> what each article says of each of its events (EventSaid)
                   -> by event id -> what the run says of it
                   -> by family and country -> ids joined -> (old id, new id)
    status rows, event rows -> by event id, beside their new id -> the rows with it

Within one family (a summit, a meeting and talks are one) in one country, two events are one when
- they name the same place below the country ("Alaska"), or one a place in the other ("Anchorage", "Alaska"), or one
  names only the country and is the one event there it can be;
- who meets agrees: the people one names are among those the other names (none named is among any, for a family of
  few events named by their place, summits; a visit, one of many by many people, is one with another only when both
  name whose it is);
- their times agree: where both name a year or a month, they have one in common (`times.apart`);
  (who meets and when as the mentions that place the event say them)
- no article names both: its own rules kept them apart (two places of one country, two times, other leaders).
An event that no mention places is keyed by who meets instead: its family and the people it is between, by surname,
when its mentions that name two or more people name one set of them ("Zinni met Arafat"); two such events are one
when they are between the same people, their times agree and, where both articles are dated, they were published
within `DAYS_APART` days of each other (the same two leaders meeting in March and in June are two meetings).
Talks that no mention places, between no one set of people, are keyed by what a common noun says they are about
("the autonomy negotiations", grammar.topic), when their mentions name one such topic; two such events are one under
the same rule (times that agree; dated reports within `DAYS_APART` days).
The ids that join take the one most articles carry (then most mentions, then the smallest id).
Then a second pass over the ids so joined, keyed by who meets: a dated event that no mention places, between two or
more people ("Trump calls off summit with Putin"; a name of names joined by a dash is each of them: "Trump-Putin"),
is the placed event of its family between all of them reported within `DAYS_APART` days, at no time apart, where
there is one such event (the Budapest summit a week before, not the Alaska summit two months before). A worker holds one
family-and-country's events at a time, not the run's articles (issue 32); a stream does the same in each window.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools

import apache_beam as beam

from schemas.records import EventMention
from transforms.common import fold
from transforms.events.identity import anchor_of, families, is_capital, is_country, region_of
from transforms.events.lexicon import lexicon
from transforms.events.times import apart

# an event that could be several at its place is the one whose reports share this many names with its own, and more
# than any other's: one shared name ("Canada") is as likely a neighbour's as the event's
SHARED_NAMES = 2
DAYS_APART = 31  # dated reports of an unplaced event between the same parties further apart are two events


def absolute(time: str) -> bool:
    """A time that names the same period whichever day an article is written: a month, a year by its number
    ("month:august", "year:2005"; not "year:last")."""
    return time.startswith("month:") or time.startswith("year:") and time[5:].isdigit()


@dataclasses.dataclass(frozen=True)
class EventSaid:
    """What reports say of one event (one id): its family, anchors, places below the country, who meets (people
    and bodies, not countries, peoples or capitals), its years and months, the ids of its family an article names beside
    it, and how many articles and mentions name it."""

    family: str
    anchors: frozenset[str]
    places: frozenset[str]
    people: frozenset[str]
    times: frozenset[str]
    beside: frozenset[str]
    articles: int = 1
    mentions: int = 1
    parties: frozenset[str] = frozenset()  # the people it is between, for an event no mention places
    days: frozenset[datetime.date] = frozenset()  # the days the articles naming it were published
    topics: frozenset[str] = frozenset()  # what it is about by a common noun, for an event no mention places
    names: frozenset[str] = frozenset()  # the proper names its sentences give besides its places (`names_in`)
    bodies: frozenset[str] = frozenset()  # the bodies of states meeting at it, one name each (`bodies_of_states`)


def names_in(sentence: str, places: set[str]) -> set[str]:
    """The names a sentence gives (capitalised words after its first, of three letters or more: "Annapolis",
    "Afghan", "Euronext"), folded, but those of `places`: what two reports of one event may share besides where."""
    words = (word.strip(".,;:!?()[]\"'‘’“”") for word in sentence.split()[1:])
    return {fold(word) for word in words if len(word) >= 3 and word[0].isupper() and fold(word) not in places}


def parties(named: list[EventMention]) -> frozenset[str]:
    """Who meets at an event no mention places: the one set of two or more people (by surname) its mentions name,
    else none. Mentions naming fewer say nothing either way; two sets may be two events. Countries, peoples and
    bodies alone are not enough: the same two ("Israeli and Palestinian officials", "the LSE and a bidder") meet
    too often, or through too many people, to tell one meeting."""
    sets = {frozenset(who for who in (m.participants or "").split(", ") if who) for m in named}
    sets = {one for one in sets if len(one) >= 2 and all(who.islower() for who in one)}  # people: by surname
    return next(iter(sets)) if len(sets) == 1 else frozenset()


def article_events(mentions: list[EventMention]) -> list[tuple[str, EventSaid]]:
    """One article's event mentions -> (event id, what the article says of that event), one per id."""
    kinds = families(lexicon())
    by_id: dict[str, list[EventMention]] = {}
    for mention in mentions:
        if mention.event_id:
            by_id.setdefault(mention.event_id, []).append(mention)
    family = {event_id: kinds.get(named[0].event, named[0].event) for event_id, named in by_id.items()}
    found = []
    for event_id, named in sorted(by_id.items()):
        # who meets and when, as the mentions that place the event (else say what it is about) say: the others joined
        # it by the article's rules and may speak of other events ("the EU will start accession talks with Croatia in
        # April")
        placed = [m for m in named if m.place]
        # "the Trump-Putin summit": a name of names joined by a dash is each of them, as the report that names them
        # apart gives them ("Trump and Putin"); an event no mention places is between those all its mentions name
        people = {part for m in placed or named for who in (m.participants or "").split(", ") if who
                  for part in fold(who).split("-") if part}
        where = {word for m in named if m.place for word in fold(m.place).split()}
        found.append((event_id, EventSaid(
            family=family[event_id],
            anchors=frozenset(anchor for m in placed if (anchor := anchor_of(m.place))),
            places=frozenset(fold(m.place) for m in placed if not is_country(m.place)),
            people=frozenset(who for who in people if not is_country(who) and not is_capital(who)
                             and who.removeprefix("the ") not in bodies_of_states()),
            bodies=frozenset(body for who in people if (body := bodies_of_states().get(who.removeprefix("the ")))),
            times=frozenset(t for m in placed or [m for m in named if m.topic]
                            for t in (m.times or "").split(", ") if absolute(t)),
            beside=frozenset(other for other in by_id if other != event_id and family[other] == family[event_id]),
            mentions=len(named),
            parties=frozenset() if placed else parties(named),
            days=frozenset(m.published_date for m in named if m.published_date),
            topics=frozenset() if placed else frozenset(m.topic for m in named if m.topic),
            names=frozenset().union(*(names_in(m.sentence, where) for m in named)))))
    return found


def combined(said) -> EventSaid:
    """What several articles (or partial sums of them) say of one event."""
    said = list(said)
    first = said[0]
    return EventSaid(family=first.family,
                     anchors=frozenset().union(*(s.anchors for s in said)),
                     places=frozenset().union(*(s.places for s in said)),
                     people=frozenset().union(*(s.people for s in said)),
                     times=frozenset().union(*(s.times for s in said)),
                     beside=frozenset().union(*(s.beside for s in said)),
                     articles=sum(s.articles for s in said), mentions=sum(s.mentions for s in said),
                     parties=frozenset().union(*(s.parties for s in said)),
                     days=frozenset().union(*(s.days for s in said)),
                     topics=frozenset().union(*(s.topics for s in said)),
                     names=frozenset().union(*(s.names for s in said)),
                     bodies=frozenset().union(*(s.bodies for s in said)))


def by_family_and_country(event: tuple[str, EventSaid]):
    """(id, said) -> ((family, country anchor), (id, said)) for an event placed in one country (or one place the
    gazetteer does not know), ((family, its people), (id, said)) for one placed nowhere whose mentions name one
    set of people; an event placed in several countries, or nowhere between no one set of people, is left."""
    event_id, said = event
    if len(said.anchors) == 1:
        yield (said.family, next(iter(said.anchors))), (event_id, said)
    elif not said.anchors and len(said.parties) >= 2:
        yield (said.family, "with " + ",".join(sorted(said.parties))), (event_id, said)
    elif not said.anchors and not said.parties and len(said.topics) == 1:
        yield (said.family, "about " + next(iter(said.topics))), (event_id, said)


def near_in_time(one: frozenset[datetime.date], other: frozenset[datetime.date]) -> bool:
    """Whether reports published on these days can be of one event between the same parties: some day of one
    within DAYS_APART of some day of the other, or either undated."""
    return not one or not other or any(abs((a - b).days) <= DAYS_APART for a in one for b in other)


@functools.cache
def bodies_of_states() -> dict[str, str]:
    """Folded name of a body of states (events.toml `bodies`) -> the one name of the body it names (`one_body`: "eu"
    for "european council"). Who meets at a body's summit is its members, whom reports name as the body by any of its
    names, or by leaders, or not at all: a body is not among the people, and two events are one only if the bodies
    they name are (the EU's summit in Brussels is not NATO's)."""
    found = {}
    for promotion in lexicon().promotions:
        found |= {body: body for body in promotion.bodies}
        found |= {name: names[0] for names in promotion.one_body for name in names}
    return found


@functools.cache
def few() -> frozenset[str]:
    """The families whose events are few and named by where they are (summits: events.toml `fill_places`), so that
    a report naming no one who takes part is still the one event at its place."""
    kinds = families(lexicon())
    return frozenset(kinds.get(event, event) for event in lexicon().fill_places)


def one_event(one: tuple[str, EventSaid], other: tuple[str, EventSaid]) -> bool:
    """Whether two events of one family and country are one (the rules of the module's docstring)."""
    (one_id, a), (other_id, b) = one, other
    if other_id in a.beside or one_id in b.beside or apart(a.times, b.times):
        return False
    if not a.anchors and not b.anchors:  # keyed by who meets: the same parties, reported close in time
        return a.parties == b.parties and near_in_time(a.days, b.days)
    if not (a.people <= b.people or b.people <= a.people) or a.bodies and b.bodies and not a.bodies & b.bodies:
        return False
    if a.family not in few() and not (a.people and b.people):
        return False  # visits are many, by many: two reports are one visit when both say whose
    return not a.places or not b.places or any(place in b.places or region_of(place) in b.places
                                               for place in a.places) or any(region_of(place) in a.places
                                                                             for place in b.places)


def joined_ids(events) -> dict[str, str]:
    """The events of one family and country -> {id: the id it joins} for each id that joins another. Events
    placed below the country come first, then those placed by the country alone, and at each the reports that name
    who meets before those that name no one (the less a report says, the more events it could be: it joins, it
    does not gather); each joins the one event it can be. Where it could be several, it joins the one whose reports
    share `SHARED_NAMES` names or more with its own, more than any other's ("the Annapolis Convention" of two
    paragraphs on the convention called to Philadelphia), and else stays apart ("a Brussels summit" that names no
    one and no time, beside the EU's June summit and the Middle East talks in Brussels)."""
    ordered = sorted(events, key=lambda e: (not e[1].places, not e[1].people, -e[1].articles, -e[1].mentions, e[0]))
    groups: list[list[tuple[str, EventSaid]]] = []
    for event in ordered:
        homes = [group for group in groups if all(one_event(event, member) for member in group)]
        if len(homes) > 1:  # it could be several: the one whose reports share the most names with it, if one does
            # where the others are placed counts ("Bonn" for talks placed in Germany), its own place does not: every
            # home is there
            mine = event[1].names | event[1].places
            shared = sorted(((len(mine & frozenset().union(*(m[1].names | m[1].places for m in group))
                                  - event[1].places), n) for n, group in enumerate(homes)), reverse=True)
            if shared[0][0] >= SHARED_NAMES and shared[0][0] > shared[1][0]:
                homes = [homes[shared[0][1]]]
        if len(homes) == 1:
            homes[0].append(event)
        else:
            groups.append([event])
    return {event_id: group[0][0] for group in groups for event_id, _ in group[1:]}


def by_who_meets(event: tuple[str, EventSaid]):
    """(id, said) -> ((family, person), (id, said)): a placed event under each person it names, a dated event no
    mention places between two or more people under the first of them (its group holds every placed event that
    could be it)."""
    event_id, said = event
    if said.anchors:
        for person in sorted(said.people):
            yield (said.family, person), event
    elif len(said.people) >= 2 and said.days:
        yield (said.family, min(said.people)), event


def joined_by_who_meets(events) -> dict[str, str]:
    """The events of one family that name one person -> {id: the placed id it joins} for each dated event no mention
    places ("Trump calls off summit with Putin") that is the one placed event between all the people it names
    reported within `DAYS_APART` days of it, at no time apart ("Trump to meet Putin in Budapest" a week before,
    not the Alaska summit two months before). Undated reports are left: the same two meet again over the years."""
    placed = [(event_id, said) for event_id, said in events if said.anchors and said.days]
    joins = {}
    for event_id, said in events:
        if said.anchors or len(said.people) < 2 or not said.days:
            continue
        fits = [other_id for other_id, other in placed if said.people <= other.people
                and near_in_time(said.days, other.days) and not apart(said.times, other.times)
                and other_id not in said.beside and event_id not in other.beside]
        if len(fits) == 1:
            joins[event_id] = fits[0]
    return joins


# the run-wide step's passes, in order: events at one place, then events placed nowhere between the people of one
# placed event (each pass reads the ids the one before gave)
PASSES = ((by_family_and_country, joined_ids), (by_who_meets, joined_by_who_meets))


def resolve_ids(rows_by_article: dict[str, list]) -> dict[str, list]:
    """The same step outside Beam (evals): every article's status and event rows -> the rows with joined ids."""
    for key_of, join in PASSES:
        said: dict[str, EventSaid] = {}
        for rows in rows_by_article.values():
            for event_id, one in article_events([row for row in rows if isinstance(row, EventMention)]):
                said[event_id] = combined([said[event_id], one]) if event_id in said else one
        groups: dict[tuple[str, str], list] = {}
        for event in sorted(said.items()):
            for key, member in key_of(event):
                groups.setdefault(key, []).append(member)
        new = {}
        for members in groups.values():
            new |= join(members)
        rows_by_article = {key: [dataclasses.replace(row, event_id=new.get(row.event_id, row.event_id))
                                 for row in rows] for key, rows in rows_by_article.items()}
    return rows_by_article


def _with_new_id(joined):
    """(id, {"rows": its rows, "to": [the id it joins, if any]}) -> its rows with the id they now carry."""
    _event_id, found = joined
    new = next(iter(found["to"]), None)
    for row in found["rows"]:
        yield dataclasses.replace(row, event_id=new) if new else row


class ReconcileEventIds(beam.PTransform):
    """(status rows, event rows) -> the same rows, each event's ids joined over the run (a stream: its window)."""

    def expand(self, tables):
        statuses, events = tables
        for (key_of, join), step in zip(PASSES, ("", "WhoMeets"), strict=True):
            new_ids = (events
                       | f"{step}ByArticle" >> beam.Map(lambda mention: (mention.article_id, mention))
                       | f"{step}ArticlesEvents" >> beam.GroupByKey()
                       | f"{step}WhatEachSays" >> beam.FlatMap(lambda article: article_events(list(article[1])))
                       | f"{step}WhatTheRunSays" >> beam.CombinePerKey(combined)
                       | f"{step}ByFamilyAndCountry" >> beam.FlatMap(key_of)
                       | f"{step}EventsAtAPlace" >> beam.GroupByKey()
                       | f"{step}JoinedIds" >> beam.FlatMap(lambda group, join=join: sorted(join(group[1]).items())))
            statuses, events = (self._renamed(rows, step + label, new_ids) for rows, label in ((statuses, "Statuses"),
                                                                                              (events, "Events")))
        return statuses, events

    @staticmethod
    def _renamed(rows, label: str, new_ids):
        with_id = (rows
                   | f"{label}WithId" >> beam.Filter(lambda row: row.event_id is not None)
                   | f"{label}ById" >> beam.Map(lambda row: (row.event_id, row)))
        renamed = ({"rows": with_id, "to": new_ids}
                   | f"{label}BesideNewIds" >> beam.CoGroupByKey()
                   | f"{label}NewIds" >> beam.FlatMap(_with_new_id))
        without = rows | f"{label}WithoutId" >> beam.Filter(lambda row: row.event_id is None)
        return (renamed, without) | f"{label}All" >> beam.Flatten()
