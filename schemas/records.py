"""Plain record types that flow between stages; each table record maps to one output table.

Records are frozen dataclasses so they pickle cheaply between Beam workers and stages can only
derive new records (`dataclasses.replace`), never mutate one another's.
"""

from __future__ import annotations

import dataclasses
import datetime


@dataclasses.dataclass(frozen=True)
class Document:
    """One input as read, before cleaning: text plus metadata the source itself gave."""

    article_id: str
    source: str
    text: str
    metadata_date: datetime.date | None = None
    metadata_title: str | None = None
    summary: str | None = None  # a feed item's own text, kept when `text` is its article page
    language: str | None = None  # the language its source declares (a feed's <language>), as written


@dataclasses.dataclass(frozen=True)
class Article:
    article_id: str
    source: str
    title: str | None
    published_date: datetime.date | None
    date_source: str
    language: str | None
    text: str
    is_duplicate: bool = False
    duplicate_of: str | None = None
    story_id: str | None = None
    text_source: str | None = None  # "page" (the article page of a feed item or URL), "feed", or null (a file)
    # What a web page states of itself (null for text files and feed items; a feed's declared language).
    authors: str | None = None
    description: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    declared_language: str | None = None
    language_score: float | None = None  # langdetect's probability of `language`: short texts are less sure


@dataclasses.dataclass(frozen=True)
class EntityMention:
    article_id: str
    published_date: datetime.date | None
    canonical: str
    label: str
    mention: str
    # the canonical's identifier, one in every language: "geonames:3054643" (a place), else kind and hash
    entity_id: str = ""


@dataclasses.dataclass(frozen=True)
class TopicTag:
    """One IPTC Media Topic of an article: `topic` its English name, `code` its IPTC code
    ("medtop:15000000"), `level` 1 for the 17 subjects, 2 for the narrower topics under them."""

    article_id: str
    published_date: datetime.date | None
    topic: str
    score: float
    code: str
    level: int


@dataclasses.dataclass(frozen=True)
class StatusMention:
    article_id: str
    published_date: datetime.date | None
    event: str
    status: str
    place: str | None
    sentence: str
    hedged: bool
    confidence: float
    event_id: str | None = None  # one event across articles and days (transforms/status.event_id)
    participants: str | None = None  # who it names as meeting: persons by surname ("putin, trump"), else countries
    lead: bool = False  # the mention that gives the article's own status of this event type


@dataclasses.dataclass(frozen=True)
class EventMention:
    """A sentence's mention of an event, whether or not it reports the event's status: the coverage of one
    event (`event_id`, as in status_mentions) by day. One with a status is also a StatusMention."""

    article_id: str
    published_date: datetime.date | None
    event: str
    status: str | None  # the status the sentence reports, else null ("the summit's agenda", "at the talks")
    place: str | None
    sentence: str
    event_id: str | None = None
    participants: str | None = None
    times: str | None = None  # when its own words say the event is ("month:august, year:2025"; events/times.py)
    topic: str | None = None  # what talks are about, where a common noun says it ("autonomy"; events/grammar.py)


@dataclasses.dataclass(frozen=True)
class DeadLetter:
    source: str
    stage: str
    error: str
    excerpt: str

    @classmethod
    def of(cls, source: str, stage: str, error: str, content: str | bytes = "") -> DeadLetter:
        """Keeps a short, printable excerpt so a reader can see what was rejected."""
        if isinstance(content, bytes):
            content = content[:200].decode("utf-8", errors="backslashreplace")
        return cls(source=source, stage=stage, error=error, excerpt=content[:200])


def analysed_text(article: Article) -> str:
    """What the NLP stages read: the headline, then the body. A body that opens with the headline itself (a feed
    item with a title and no text of its own is its title alone) reads it once: twice, its one report would be two
    status rows."""
    if not article.title or _words(article.text.split("\n", 1)[0]) == _words(article.title):
        return article.text
    return f"{article.title}\n\n{article.text}"


def _words(line: str) -> str:
    return " ".join(line.split()).lower()
