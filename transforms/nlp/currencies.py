"""The country an article's money tells, for an article that names no place: "Q179 millones" is
Guatemala's quetzal, "300 quetzales" too, "500 ₽" Russia's rouble.

It is all CLDR's, as Babel ships it: which currencies are tender in one country only, their names in each
profile's language (singular and plural: "quetzal guatemalteco", "quetzales guatemaltecos"), the symbol
that country's own locales write ("Q", "₡", "S/"), and the language's words for a thousand and a million
("mil", "millones"). data/currencies.tsv is written from it by

    python -m transforms.nlp.currencies

A currency tender in several countries (the dollar, the euro; the peso's name alone) tells nothing. A
bare word or symbol counts only where it stands as money: a currency's first word after a number ("179
quetzales"), a symbol before or after one ("₡5.000", "500 ₽"), and a symbol of letters ("Q", "Bs", "Le")
only as written before an amount in thousands or more ("Q179 millones", not the quarter "Q1", "G7", or
"Le 10 juin").
"""

from __future__ import annotations

import functools
import pathlib
import re
from collections import Counter, defaultdict
from importlib import resources

from transforms.languages import profiles

CURRENCIES_FILE = "currencies.tsv"  # transforms/data/: language, kind, form, country
NAME, WORD, SYMBOL, LETTER, SCALE = "name", "word", "symbol", "letter", "scale"
_NUMBER = r"\d(?:[\d.,’' ]*\d)?"


def _tender() -> dict[str, set[str]]:
    """Currency code -> the countries it is tender in today."""
    from babel.core import get_global
    from babel.numbers import get_territory_currencies

    where = defaultdict(set)
    for territory in get_global("territory_currencies"):
        for code in get_territory_currencies(territory, tender=True):
            where[code].add(territory)
    return where


def table() -> list[tuple[str, str, str, str]]:
    """(language, kind, form, country) for each profile's language: the names of the currencies tender in one
    country, the first words only such a currency's names begin with, the symbols one country's locales
    write and no other's, and the words for large amounts (country "-")."""
    from babel import Locale, UnknownLocaleError
    from babel.localedata import locale_identifiers
    from babel.numbers import get_currency_symbol

    tender = _tender()
    one_country = {code: next(iter(countries)) for code, countries in tender.items() if len(countries) == 1}
    locales_of = defaultdict(list)
    for identifier in locale_identifiers():
        locales_of[identifier.rsplit("_", 1)[-1]].append(identifier)
    countries_of = defaultdict(set)
    for code, country in one_country.items():
        for identifier in locales_of.get(country, ()):
            symbol = get_currency_symbol(code, identifier)
            if symbol != code and symbol.strip() and "$" not in symbol:
                countries_of[symbol].add(country)
    symbols = {symbol: next(iter(c)) for symbol, c in countries_of.items() if len(c) == 1}
    rows = set()
    for language in profiles():
        try:
            locale = Locale.parse(language)
        except (UnknownLocaleError, ValueError):
            continue
        plural = locale._data.get("currency_names_plural", {})
        first_words = defaultdict(set)
        for code, name in locale.currencies.items():
            if code not in tender:
                continue  # a former currency ("colón salvadoreño") no longer names a country's money
            for form in {name, *dict(plural.get(code, {})).values()}:
                first_words[form.split()[0].casefold()].add(one_country.get(code, "*"))
                if code in one_country:
                    rows.add((language, NAME, form.casefold(), one_country[code]))
        rows |= {(language, WORD, word, next(iter(c))) for word, c in first_words.items()
                 if len(c) == 1 and "*" not in c and len(word) > 3}
        rows |= {(language, LETTER if s.replace(".", "").isalpha() else SYMBOL, s, c) for s, c in symbols.items()}
        for plural_forms in locale._data.get("compact_decimal_formats", {}).get("long", {}).values():
            for pattern in dict(plural_forms).values():
                rows |= {(language, SCALE, w.casefold(), "-") for w in re.sub(r"[0#.,]", " ", pattern.pattern).split()
                         if w.isalpha()}
    return sorted(rows)


@functools.cache
def _patterns(language: str) -> tuple[list[re.Pattern], dict[str, str]] | None:
    """Patterns of the language's money, each capturing a name, first word or symbol, and the country each
    of those (case folded) tells."""
    forms = defaultdict(dict)
    text = (resources.files("transforms") / "data" / CURRENCIES_FILE).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#") and line.startswith(language + "\t"):
            _, kind, form, country = line.split("\t")
            forms[kind][form] = country
    if not forms:
        return None

    def one_of(kind: str) -> str:
        return "|".join(map(re.escape, sorted(forms[kind], key=len, reverse=True))) or "(?!)"

    patterns = [re.compile(rf"\b({one_of(NAME)})\b", re.IGNORECASE),
                re.compile(rf"(?:{_NUMBER})\s*({one_of(WORD)})\b", re.IGNORECASE),
                re.compile(rf"(?<![\w$])({one_of(SYMBOL)})\s?(?:{_NUMBER})(?!\w)"),
                re.compile(rf"(?<!\w)(?:{_NUMBER})\s?({one_of(SYMBOL)})(?!\w)"),
                re.compile(rf"(?<![\w$])({one_of(LETTER)})\s?(?:{_NUMBER})\s*(?:{one_of(SCALE)})\b")]
    told = {form.casefold(): country for kind in (NAME, WORD, SYMBOL, LETTER) for form, country in forms[kind].items()}
    return patterns, told


def country_of_money(text: str, language: str | None) -> str | None:
    """The ISO code of the country most of the article's money is in, the first named on a tie; None where
    its money names no one country's currency."""
    found = _patterns(language) if language else None
    if found is None:
        return None
    patterns, told = found
    countries = [told[m.group(1).casefold()] for pattern in patterns for m in pattern.finditer(text)]
    if not countries:
        return None
    counts = Counter(countries)
    return next(c for c in countries if counts[c] == max(counts.values()))


def write_currencies(path: pathlib.Path) -> int:
    rows = table()
    header = ("# language, kind, form, country: the names, first words and symbols of the currencies tender in "
              "one country only, and the words for large amounts (kind scale), in each profile's language; "
              "CLDR through Babel (Unicode licence); written by `python -m transforms.nlp.currencies`")
    path.write_text("\n".join([header, *("\t".join(row) for row in rows)]) + "\n", encoding="utf-8")
    return len(rows)


if __name__ == "__main__":
    target = pathlib.Path(__file__).resolve().parent.parent / "data" / CURRENCIES_FILE
    print(f"{write_currencies(target)} currency forms -> {target}")
