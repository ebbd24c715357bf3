"""Publication dates found in article text (used by the clean stage).

A date with a year is taken as written. A month and day without a year is resolved only when the
text pins the year: a weekday that matches that month and day in exactly one year of the
`YEAR_WINDOW` years before the reference date ("Tuesday (October 21st)" is 2025), or a year stated
elsewhere in the same text. Anything else stays unresolved: a wrong date is worse than none.
"""

from __future__ import annotations

import dataclasses
import datetime
import re

YEAR_WINDOW = 5  # same weekday and day recur after 5, 6 or 11 years: 5 years pin one year

_MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_WEEKDAY = r"(?:(?P<weekday>" + "|".join(_WEEKDAYS) + r")\s*[,(]?\s*)?"
_PATTERNS = [
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
    re.compile(_WEEKDAY + r"\b" + _MONTH + r"\s+" + _DAY + r"\b(?:,?\s+" + _YEAR + r"\b)?", re.I),
    re.compile(_WEEKDAY + r"\b" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"\b(?:,?\s+" + _YEAR + r"\b)?",
               re.I),
]


@dataclasses.dataclass(frozen=True)
class DateMention:
    text: str
    month: int
    day: int
    year: int | None
    weekday: int | None


def find_mentions(text: str) -> list[DateMention]:
    mentions, taken = [], []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(start < m.end() and m.start() < end for start, end in taken):
                continue
            month = m["month"]
            month = int(month) if month.isdigit() else _MONTHS[month.lower()]
            groups = m.groupdict()
            weekday = groups.get("weekday")
            mentions.append(DateMention(
                text=m.group(0),
                month=month,
                day=int(m["day"]),
                year=int(m["year"]) if m["year"] else None,
                weekday=_WEEKDAYS.index(weekday.lower()) if weekday else None,
            ))
            taken.append(m.span())
    return mentions


def _valid(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def resolve(mention: DateMention, reference: datetime.date, context_year: int | None) -> datetime.date | None:
    if mention.year is not None:
        return _valid(mention.year, mention.month, mention.day)
    if mention.weekday is not None:
        candidates = [
            d for year in range(reference.year - YEAR_WINDOW, reference.year + 1)
            if (d := _valid(year, mention.month, mention.day))
            and d.weekday() == mention.weekday
            and reference - datetime.timedelta(days=365 * YEAR_WINDOW) <= d <= reference
        ]
        return candidates[0] if len(candidates) == 1 else None
    if context_year is not None:
        return _valid(context_year, mention.month, mention.day)
    return None


def publication_date(text: str, reference: datetime.date) -> tuple[datetime.date | None, str]:
    """The latest date the text reports, with how it was found; (None, reason) when unsure."""
    mentions = find_mentions(text)
    if not mentions:
        return None, "unknown: no date in text"
    pinned = {m.year for m in mentions if m.year is not None}
    pinned |= {d.year for m in mentions if m.weekday is not None and (d := resolve(m, reference, None))}
    context_year = pinned.pop() if len(pinned) == 1 else None
    dates = [d for m in mentions if (d := resolve(m, reference, context_year)) and d <= reference]
    if not dates:
        return None, "unknown: year not stated"
    return max(dates), "text"
