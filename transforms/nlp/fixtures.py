"""Teams named in a fixture or a result are organisations, whatever else their names name: "Cagliari-Juventus",
"Torino-Roma" and "Brighton 1-0 Manchester United" name clubs, not cities, in a sports report ("a club named like
its city, 'Roma' in a fixture, is the club": the labelling guide, evals/labels/entities_canonical_test.toml).

A fixture is two capitalised names joined by a hyphen ("Lazio-Brescia"), by a score ("Brighton 2-0 Manchester
United", "1:0") or by "vs." ("Manchester United vs. Brighton"), in an article that reads as sport: two or more
of the words its language's profile lists for IPTC's sport subject ([subjects] "medtop:15000000", the words
topics.py reads), so "Paris-Roubaix" in a travel page or "Merkel-Macron" in politics stay as they are. A pair
the gazetteer knows as one place ("Baden-Baden", "Emilia-Romagna") is no fixture, and in a language that
capitalises its nouns (German) two words joined by a hyphen are no fixture ("Saison-Niederlage").

A side that is a country ("Svezia-San Marino 9-4") is its national team, which the guide reads as the country
("Le Togo devait y participer" is the place Togo): it stays a place, and takes the country's English name.

A club named as its city or region (data/organisations.toml `teams`: "Roma", "Бавария") is the club in a sports
article wherever no preposition of place stands before it ("la Roma", "игрок Арсенала и Баварии"; but "a Roma",
"в Баварии" stay places): with_clubs.
"""

from __future__ import annotations

import functools
import re
from itertools import islice

from transforms.languages import profile, section

ORG_LABEL = "ORG"
PLACE_LABEL = "GPE"
SPORT = "medtop:15000000"  # IPTC Media Topics: sport
_ENOUGH_SPORT_WORDS = 2
_CAPITALISED = r"[A-ZÀ-ÖØ-ÞА-ЯЁ][^\W\d_]*"
_TEAM = rf"{_CAPITALISED}(?: {_CAPITALISED}){{0,2}}"
# "Lazio-Brescia", "Svezia-San Marino": the hyphen glued to both names, no other word glued on
_HYPHENED = re.compile(rf"(?<![\w-])({_TEAM})-({_TEAM})(?![\w-])")
_SCORED = re.compile(rf"(?<!\w)({_TEAM}) \d{{1,2}} ?[-:–] ?\d{{1,2}} ({_TEAM})(?!\w)")
_VERSUS = re.compile(rf"(?<!\w)({_TEAM}) (?:vs\.?|v\.) ({_TEAM})(?!\w)")


@functools.cache
def _sport_words(language: str | None) -> re.Pattern | None:
    words = section(language, "subjects").get(SPORT, ())
    if not words:
        return None
    alternatives = [(r"\w*" if w.startswith("*") else r"\b") + re.escape(w.strip("*")) + (r"\w*" if w.endswith("*")
                                                                                         else r"\b") for w in words]
    return re.compile("|".join(alternatives), re.IGNORECASE)


def reads_as_sport(text: str, language: str | None) -> bool:
    pattern = _sport_words(language)
    return pattern is not None and sum(1 for _ in islice(pattern.finditer(text), _ENOUGH_SPORT_WORDS)) \
        >= _ENOUGH_SPORT_WORDS


def teams(text: str, language: str | None, is_place=lambda name: False) -> list[tuple[int, int]]:
    """(start, end) of each team a sports article names in a fixture or a result; `is_place(name)`: whether
    the gazetteer knows a hyphened pair as one place."""
    if not reads_as_sport(text, language):
        return []
    found = set()
    # German joins two nouns by a hyphen as often as two teams ("Saison-Niederlage", "Telekom-Profi")
    hyphened = [] if profile(language).get("capitalised_nouns") else _HYPHENED.finditer(text)
    for match in hyphened:
        if not match.group().isupper() and not is_place(match.group()):
            found |= {match.span(1), match.span(2)}
    for pattern in (_SCORED, _VERSUS):
        for match in pattern.finditer(text):
            found |= {match.span(1), match.span(2)}
    return sorted(found)


def with_teams(spans: list[tuple[str, str, int]], text: str, language: str | None,
               is_place=lambda name: False, is_country=lambda name: False) -> list[tuple[str, str, int]]:
    """An article's (text, label, offset) entity spans with the teams of its fixtures as organisations: a span
    that covers a fixture ("Cagliari-Juventus" read whole) gives way to its teams, and a team's name is the
    team wherever else the article writes it ("su visita al Brighton"). A team `is_country` names is a place."""
    found = teams(text, language, is_place)
    if not found:
        return spans
    label_of = {name: PLACE_LABEL if is_country(name) else ORG_LABEL for name in {text[s:e] for s, e in found}}
    kept = [(name, label_of.get(name, label), offset) for name, label, offset in spans
            if not any(offset < end and start < offset + len(name) for start, end in found)]
    return sorted(kept + [(text[start:end], label_of[text[start:end]], start) for start, end in found],
                  key=lambda span: span[2])


def with_clubs(spans: list[tuple[str, str, int]], text: str, language: str | None) -> list[tuple[str, str, int]]:
    """A sports article's (text, label, offset) spans with each place named as a club is named ("la Roma",
    "Баварии") an organisation, unless one of its language's prepositions of place (profile [places] `after`)
    or a word that makes it the city's (`not_a_team_after`: "il sindaco di Roma") stands before it."""
    from transforms.nlp.organisations import Organisations

    if not any(label == PLACE_LABEL for _, label, _ in spans) or not reads_as_sport(text, language):
        return spans
    clubs = Organisations.of(language)
    places = section(language, "places")
    prepositions = {words.split()[-1].lower()
                    for words in [*places.get("after", ()), *places.get("not_a_team_after", ())]}

    def a_club(name: str, offset: int) -> bool:
        before = re.search(r"(\w+)\W*$", text[:offset])
        return clubs.team(name) is not None and not (before and before.group(1).lower() in prepositions)

    return [(name, ORG_LABEL if label == PLACE_LABEL and a_club(name, offset) else label, offset)
            for name, label, offset in spans]
