"""Publication dates found in article text (used by the clean stage).

Not every date in an article is its publication date: "born on 3 March 1920" or "the vote on
12 May" are events. Only two kinds of mention count: a dateline (a date within the first
`DATELINE_CHARS` characters of the body) and a date anchored to a weekday ("on Tuesday (October
21st)"), the way news reports what happened in the last few days. The latest such date is taken.

A month and day without a year is resolved only when its weekday matches that day in exactly one
of the `YEAR_WINDOW` years before the reference date: the pipeline ingests current news, and an
archive is run with `--reference-date`. When the text names years and all of them are older than
the pinned year by more than one, the article is about another era and the date stays unresolved:
a wrong date is worse than none.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import os
import re

from transforms.common import DATA_ENV

YEAR_WINDOW = 5  # same weekday and day recur after 5, 6 or 11 years: 5 years pin one year
DATELINE_CHARS = 80

def _names() -> tuple[dict, dict, dict, dict]:
    """(English month forms, other languages' month names, every month form, weekday names) from the
    language profiles' [dates], each form -> its number (months 1-12, weekdays 0-6). An abbreviation is a
    form that begins another form of the same month ("nov" of "novembre"); other languages'
    abbreviations are left to feed dates."""
    from transforms.languages import ENGLISH, with_section

    english, others, every, weekdays = {}, {}, {}, {}
    for language, names in with_section("dates").items():
        for number, forms in enumerate(names["months"], start=1):
            for form in forms:
                every[form] = number
                if language == ENGLISH:
                    english[form] = number
                elif not any(other != form and other.startswith(form) for other in forms):
                    others[form] = number
        for number, forms in enumerate(names["weekdays"]):
            for form in forms:
                if not any(other != form and other.startswith(form) for other in forms) and len(form) > 3:
                    weekdays[form] = number
    return english, others, every, weekdays


def _alternatives(names) -> str:
    return "|".join(map(re.escape, sorted(names, key=len, reverse=True)))


@dataclasses.dataclass(frozen=True)
class _Calendar:
    """The month and weekday names of every language with a profile, and the date patterns made of them."""
    months: dict[str, int]  # every month form -> its number
    weekdays: dict[str, int]
    patterns: list[re.Pattern]
    weekday_before: re.Pattern


def _calendar() -> _Calendar:
    return _built_calendar(os.environ.get(DATA_ENV))


@functools.cache
def _built_calendar(user: str | None) -> _Calendar:
    english, others, every, weekdays = _names()
    month = r"(?P<month>" + _alternatives(english) + r")\.?"
    day = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
    year = r"(?P<year>(?:19|20)\d{2})"
    # Patterns start at the date itself; a weekday just before it is looked up afterwards (an optional
    # leading group would be tried at every position of the text). The lookahead before the month names
    # lets most words fail on their shape instead of on twenty alternatives (twice as fast on news text).
    # Patterns that start with a digit test the word boundary after their first digits ((?<!\w\d\d), not
    # a leading \b): then the regex engine skips from digit to digit (2-5x faster scans, same matches).
    patterns = [
        re.compile(r"(?P<year>(?:19|20)(?<!\w\d\d)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
        re.compile(r"\b(?=[a-z]{3,9}\.?\s+\d)" + month + r"\s+" + day + r"\b(?:,?\s+" + year + r"\b)?", re.I),
        re.compile(r"(?P<day>\d(?<!\w\d)\d?)(?:st|nd|rd|th)?\s+(?:of\s+)?" + month + r"\b(?:,?\s+" + year + r"\b)?",
                   re.I),
        # other languages, day first: "18 novembre 2026", "17. November 2026", "18 de noviembre de 2026"
        re.compile(r"(?P<day>\d(?<!\w\d)\d?)\.?\s+(?:de\s+)?(?P<month>" + _alternatives(others)
                   + r")\b(?:,?\s+(?:de\s+)?" + year + r"\b)?", re.I),
    ]
    weekday_before = re.compile(r"\b(?P<weekday>" + _alternatives(weekdays) + r")\s*[,(]?\s*$", re.I)
    return _Calendar(every, weekdays, patterns, weekday_before)


_FEED_DATE = re.compile(r"(?P<day>\d{1,2})\.?\s+(?:de\s+)?(?P<month>[^\W\d_]+)\.?,?\s+(?:de\s+)?(?P<year>\d{4})")


def feed_date(value: str) -> datetime.date | None:
    """A feed's date string that feedparser could not read, in any language of data/dates.toml
    ("Seg, 24 Set 2018 10:00:00 -0300", "mar., 18 nov. 2026")."""
    m = _FEED_DATE.search(value or "")
    month = _calendar().months.get(m["month"].lower()) if m else None
    return _valid(int(m["year"]), month, int(m["day"])) if month else None


@dataclasses.dataclass(frozen=True)
class DateMention:
    text: str
    month: int
    day: int
    year: int | None
    weekday: int | None


_YEAR_TOKEN = re.compile(r"((?:19|20)(?<![\d-]\d\d)\d{2})(?![\d-])")  # not inside a number or a range


def find_mentions(text: str) -> list[tuple[DateMention, int]]:
    """Date mentions with their start offsets."""
    mentions, taken, calendar = [], [], _calendar()
    for pattern in calendar.patterns:
        for m in pattern.finditer(text):
            if any(start < m.end() and m.start() < end for start, end in taken):
                continue
            month = m["month"]
            month = int(month) if month.isdigit() else calendar.months[month.lower()]
            before = calendar.weekday_before.search(text, max(0, m.start() - 12), m.start())
            weekday = before["weekday"] if before else None
            mentions.append((DateMention(
                text=m.group(0),
                month=month,
                day=int(m["day"]),
                year=int(m["year"]) if m["year"] else None,
                weekday=calendar.weekdays[weekday.lower()] if weekday else None,
            ), m.start()))
            taken.append(m.span())
    return mentions


def _valid(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def resolve(mention: DateMention, reference: datetime.date, text_years: set[int]) -> datetime.date | None:
    if mention.year is not None:
        return _valid(mention.year, mention.month, mention.day)
    if mention.weekday is None:
        return None
    earliest = reference - datetime.timedelta(days=365 * YEAR_WINDOW)
    candidates = [
        d for year in range(reference.year - YEAR_WINDOW, reference.year + 1)
        if (d := _valid(year, mention.month, mention.day)) and d.weekday() == mention.weekday and earliest <= d
    ]
    if len(candidates) != 1:
        return None
    if text_years and max(text_years) < candidates[0].year - 1:
        return None
    return candidates[0]


def publication_date(text: str, reference: datetime.date) -> tuple[datetime.date | None, str]:
    """The latest dateline or weekday-anchored date, with how it was found; (None, reason) when unsure."""
    mentions = [m for m, start in find_mentions(text) if start < DATELINE_CHARS or m.weekday is not None]
    if not mentions:
        return None, "unknown: no dateline or weekday-anchored date"
    text_years = {int(y) for y in _YEAR_TOKEN.findall(text)}
    dates = [d for m in mentions if (d := resolve(m, reference, text_years)) and d <= reference]
    if not dates:
        return None, "unknown: year not stated"
    return max(dates), "text"
