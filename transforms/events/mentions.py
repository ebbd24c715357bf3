"""Found events -> EventMention rows (every mention) and StatusMention rows (those with a status): places
filled from nearby mentions, one id per event, and the mention that gives each article's own status (its
headline and lede)."""

from __future__ import annotations

import dataclasses

from schemas.records import Article, EventMention, StatusMention, analysed_text
from transforms.events.identity import article_event_ids, families
from transforms.events.lexicon import lexicon
from transforms.events.times import apart, status_side

LEDE_LINES = 2  # the headline and the first paragraph: what an article reports now


def lede_end(text: str) -> int:
    """Where the headline and first paragraph of an analysed text end (LEDE_LINES non-empty lines)."""
    seen, offset = 0, 0
    for line in text.split("\n"):
        offset += len(line) + 1
        seen += bool(line.strip())
        if seen == LEDE_LINES:
            return offset
    return len(text)


def lead_index(mentions: list[tuple[int, str, bool]], lede: int, order) -> int | None:
    """Which (position, status, hedged) mention gives the status an article reports of its event: among
    those in its lede (before `lede`) the asserted before the hedged, then the most specific by `order`
    ("a planned meeting has been postponed" is postponed); with none in the lede, its first mention."""
    if not mentions:
        return None
    rank = {status: n for n, status in enumerate(order)}
    indexed = list(enumerate(mentions))
    in_lede = [(n, m) for n, m in indexed if m[0] < lede]
    if not in_lede:
        return min(indexed, key=lambda item: item[1][0])[0]
    return min(in_lede, key=lambda item: (item[1][2], rank.get(item[1][1], len(rank)), item[1][0]))[0]


@dataclasses.dataclass
class Found:
    """An event found in a sentence, before it becomes a StatusMention."""
    position: int  # character offset in the article's analysed text
    event: str
    status: str | None
    place: str | None
    hedged: bool
    sentence: str
    leaders: tuple[str, ...]  # the leaders it names as participants, by surname
    participants: tuple[str, ...]  # all it names as participants (StatusFinder.participants)
    times: tuple[str, ...] = ()  # when its own words say it is (transforms/events/times.py)
    refers: str = ""  # "back": its words point at an event named before ("these talks"); "other": at another one
    subject: tuple[str, ...] = ()  # the names of what it is about ("the Uruguay round of ... negotiations")
    topic: str = ""  # a common noun that says what it is about ("the autonomy negotiations"; grammar.topic)


def when(found: Found) -> frozenset[str]:
    """A mention's times and the side of the writer's day its status puts it on (held: before, planned: after)."""
    side = status_side(found.status)
    return frozenset(found.times) | ({side} if side else set())


def fill_places(mentions: list[Found], types: frozenset[str]) -> list[Found]:
    """A status mention of one of `types` without a place takes the place of the nearest mention of
    its type in the article, before it if any, else after it (a cancellation that follows the plan
    that named the city), unless it names leaders that one does not (events.toml, `fill_places`), or it
    is at another time (times.apart of their times and status sides: a meeting held at Downing Street is
    not the summit planned in Brussels "later in the week")."""
    at: dict[str, set] = {}  # place -> the leaders named at it in this article
    for found in mentions:
        if found.place is not None:
            at.setdefault(found.place, set()).update(found.leaders)
    filled = []
    for found in mentions:
        if found.place is None and found.event in types:
            placed = [(abs(found.position - other.position) + (0.5 if other.position > found.position else 0),
                       other.place) for other in mentions if other.event == found.event and other.place is not None
                      and (set(found.leaders) <= at[other.place] | set(other.leaders) or not at[other.place])
                      and not apart(when(found), when(other))]
            found = dataclasses.replace(found, place=min(placed)[1] if placed else None)
        filled.append(found)
    return filled


def event_rows(article: Article, found: list[Found], order, confidence: dict) -> list[StatusMention | EventMention]:
    """Found events -> a StatusMention of each with a status, then an EventMention of each, all with their
    event's id, and `lead` on the one status mention per event type that gives the article's own status of it
    (headline and lede, lead_index; `order`: event type -> its statuses, most specific first). The ids are
    read from every mention, so a mention without a status ("the summit's agenda") is the event its article
    reports, and a place it names ("the talks in Bonn") anchors the reports beside it."""
    reported = [n for n, f in enumerate(found) if f.status is not None]
    lede, leads = lede_end(analysed_text(article)), {}
    for kind in sorted({found[n].event for n in reported}):
        indexes = [n for n in reported if found[n].event == kind]
        leads[kind] = indexes[lead_index([(found[n].position, found[n].status, found[n].hedged)
                                          for n in indexes], lede, order(kind))]
    events = lexicon()
    bodies = next((p.body_pattern for p in events.promotions if p.bodies), None)
    ids = article_event_ids(found, leads, families(events), events.fill_places, article.story_id or article.article_id,
                            bodies)
    statuses = [StatusMention(article_id=article.article_id, published_date=article.published_date, event=f.event,
                              status=f.status, place=f.place, sentence=f.sentence, hedged=f.hedged,
                              confidence=confidence["hedged" if f.hedged else "asserted"], event_id=ids[n],
                              participants=", ".join(f.participants) or None, lead=n in leads.values())
                for n, f in enumerate(found) if f.status is not None]
    return statuses + [EventMention(article_id=article.article_id, published_date=article.published_date,
                                    event=f.event, status=f.status, place=f.place, sentence=f.sentence,
                                    event_id=ids[n], participants=", ".join(f.participants) or None,
                                    times=", ".join(f.times) or None, topic=f.topic or None)
                       for n, f in enumerate(found)]
