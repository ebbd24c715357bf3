"""A country's national bodies under their English names: "Ministerio de Trabajo" in an article about
Costa Rica is the Ministry of Labour (Costa Rica), "Corte Suprema" in one about Argentina the Supreme
Court of Argentina, "Bundesregierung" the Federal Government of Germany.

The names are data, in each language's profile ([bodies]): whole names, a ministry's head and the
fields it is of, words that name no body alone ("el Gobierno"). A body's English name needs the article's
country, the country most of its places are in; in an article that names no place the body keeps its
text rather than take a wrong country. An abbreviation the text gives in brackets after a name
("Policía Nacional Civil (PNC)") is that name, and a body's first word alone ("la Corte" after "la Corte
Suprema") is the one body of the article it begins.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter

from transforms.common import fold
from transforms.languages import section

ORG_LABEL = "ORG"
PERSON_LABEL = "PERSON"


@dataclasses.dataclass(frozen=True)
class Bodies:
    """One language's [bodies]: folded name -> English name (a template, or one per country code)."""

    names: dict[str, str | dict[str, str]]
    heads: dict[str, str]  # folded head + " " -> template with {field} and {country}
    fields: dict[str, str]
    conjunctions: tuple[str, ...]
    articles: tuple[str, ...]
    generic: frozenset[str]
    endings: tuple[str, ...]  # a name's case endings (the profile's [places] endings: "Bundestages")
    of_places: tuple[tuple[str, str], ...] = ()  # (head, template with {place}): "Universidad de" -> "University of"
    of_country: tuple[str, ...] = ()  # particles before a country that ends a body's name ("de": "... de Chile")

    @classmethod
    @functools.cache
    def of(cls, language: str | None) -> Bodies:
        spec = section(language, "bodies")
        return cls({fold(k): v for k, v in spec.get("names", {}).items()},
                   {fold(k) + ("" if k.endswith("'") else " "): v
                    for k, v in sorted(spec.get("heads", {}).items(), key=lambda kv: -len(kv[0]))},
                   {fold(k): v for k, v in spec.get("fields", {}).items()},
                   tuple(spec.get("and", ())), tuple(fold(a) for a in spec.get("articles", ())),
                   frozenset(fold(g) for g in spec.get("generic", ())),
                   tuple(section(language, "places").get("endings", ())),
                   tuple(sorted(spec.get("of_places", {}).items(), key=lambda kv: -len(kv[0]))),
                   tuple(sorted(spec.get("of_country", ()), key=len, reverse=True)))

    def english(self, name: str, country: tuple[str, str] | None) -> str | None:
        """The body's English name in an article about `country` ((ISO code, English name)), or None."""
        key = self._bare(fold(name))
        for form in [key, *(key[:-len(e)] for e in self.endings if key.endswith(e) and len(key) > len(e) + 3)]:
            template = self.names.get(form) or self._ministry(form)
            if template is not None:
                return _filled(template, country)
        return None

    def with_its_country(self, name: str, country_named) -> str | None:
        """The English name of a body whose name ends with its country after a particle ("Ministerio de Salud de
        Chile", "Banca centrale d'Italia"), in that country whatever the article's other places;
        `country_named`: a name -> (ISO code, English name) of the country it names, or None."""
        if not self.of_country:
            return None
        particles = "|".join(re.escape(p) + ("" if p.endswith("'") else r"\s") for p in self.of_country)
        found = re.match(rf"(?P<head>\S+\s.+)\s(?:{particles})(?P<country>\S.*)$", name.replace("’", "'"), re.I)
        country = country_named(found.group("country")) if found else None
        return self.english(found.group("head"), country) if country is not None else None

    def of_a_place(self, name: str, english_place) -> str | None:
        """The English name of an institution named after its place ("Universidad de Zaragoza" is the University of
        Zaragoza, "Universität Wien" the University of Vienna), where the rest of the name is one place
        `english_place` knows (it gives the place's English name, or None: "Universidad de Yale" keeps its text)."""
        name = name.replace("’", "'")
        for head, template in self.of_places:
            rest = name[len(head):]
            if name[:len(head)].casefold() != head.casefold() or not (head.endswith("'") or rest[:1].isspace()):
                continue
            place = english_place(rest.strip()) if rest.strip()[:1].isupper() else None
            if place is not None:
                return template.replace("{place}", place)
        return None

    def is_generic(self, name: str) -> bool:
        return self._bare(fold(name)) in self.generic

    def _bare(self, key: str) -> str:
        """Without a leading article ("la Corte Suprema", "l'Office fédéral")."""
        for article in self.articles:
            if key.startswith(article + ("" if article.endswith("'") else " ")) and len(key) > len(article) + 2:
                return key[len(article):].lstrip()
        return key

    def _ministry(self, key: str) -> str | None:
        """A ministry's English name from its head and its fields; the head's first word in any of its case
        forms ("des Bundesministeriums für Gesundheit")."""
        head, words = next(((h, key[len(form):]) for h in self.heads for form in self._head_forms(h)
                            if key.startswith(form)), (None, ""))
        if head is None:
            return None
        if words in self.fields:
            parts = [words]
        else:
            parts = [p.strip() for p in re.split(rf",|\s(?:{'|'.join(map(re.escape, self.conjunctions))})\s",
                                                  words)] if self.conjunctions else [words]
        if not all(p in self.fields for p in parts):
            return None
        english = [self.fields[p] for p in parts]
        field = english[0] if len(english) == 1 else ", ".join(english[:-1]) + " and " + english[-1]
        return self.heads[head].replace("{field}", field)


    def _head_forms(self, head: str) -> list[str]:
        first, _, rest = head.partition(" ")
        return [head, *(f"{first}{ending} {rest}" for ending in self.endings if rest)]


def _filled(template: str | dict[str, str], country: tuple[str, str] | None) -> str | None:
    if isinstance(template, dict):
        return template.get(country[0]) if country else None
    if "{country}" not in template:
        return template
    return template.replace("{country}", country[1]) if country else None


def defined_abbreviations(rows: list, text: str) -> dict[str, str]:
    """Abbreviation -> the mention it abbreviates, where the text writes "Name (ABBR)": each letter of the
    abbreviation is in the name in order and the first is the name's first ("Office fédéral de
    l'agriculture (OFAG)")."""
    found = {}
    for mention in {r.mention for r in rows if r.label != PERSON_LABEL and " " in r.mention}:
        for match in re.finditer(re.escape(mention) + r"\s*\(([^\W\d_]{2,8})\)", text):
            short = match.group(1)
            if sum(c.isupper() for c in short) >= 2 and _abbreviates(short, mention):
                found[short] = mention
    return found


def _abbreviates(short: str, name: str) -> bool:
    letters, name = fold(short), fold(name)
    if not name.startswith(letters[0]):
        return False
    at = 0
    for letter in letters:
        at = name.find(letter, at) + 1
        if at == 0:
            return False
    return True


def with_english_names(rows: list, language: str | None, text: str, country: tuple[str, str] | None,
                       english_place=lambda name: None, country_named=lambda name: None) -> list:
    """An article's rows with its national bodies and the institutions named after their places under their
    English names (`english_place`: a place's English name, or None; `country_named`: the (ISO code, English
    name) of the country a name names, or None) and its generic body words dropped; an abbreviation it
    defines takes its name's canonical."""
    bodies = Bodies.of(language)
    if not (bodies.names or bodies.heads or bodies.generic or bodies.of_places):
        return rows
    rows = [r for r in rows if r.label == PERSON_LABEL or not bodies.is_generic(r.canonical)]
    named = {}
    for row in rows:
        if row.label != PERSON_LABEL and row.canonical not in named:
            english = bodies.with_its_country(row.canonical, country_named) or bodies.english(row.canonical, country) \
                or (bodies.of_a_place(row.canonical, english_place) if row.label == ORG_LABEL else None)
            if english is not None:
                named[row.canonical] = english
    # an abbreviation the text defines is its name; a name the alias table knows by its abbreviation
    # ("Europäische Organisation für Kernforschung (CERN)") takes that
    by_mention = {r.mention: r for r in rows}
    for short, mention in defined_abbreviations(rows, text).items():
        long_row, short_row = by_mention[mention], by_mention.get(short)
        long_name = named.get(long_row.canonical, long_row.canonical)
        if long_name == long_row.mention and short_row is not None and short_row.canonical != short:
            named[long_row.canonical] = short_row.canonical
        elif short_row is not None:
            named[short_row.canonical] = long_name
    # a body's first word alone is the one body of the article that begins with it ("la Corte")
    firsts = Counter(r.canonical.split()[0] for r in rows if r.label == ORG_LABEL and " " in r.canonical)
    for row in rows:
        if row.label == ORG_LABEL and " " not in row.canonical and row.canonical not in named \
                and firsts[row.canonical] == 1:
            body = next(r.canonical for r in rows if r.label == ORG_LABEL and r.canonical.split()[0] == row.canonical
                        and " " in r.canonical)
            named[row.canonical] = named.get(body, body)
    return [dataclasses.replace(r, canonical=named[r.canonical], label=ORG_LABEL, entity_id="")
            if r.canonical in named else r
            for r in rows]


def with_heads_of_places(spans: list[tuple[str, str, int]], text: str, language: str | None) -> list:
    """An article's (text, label, offset) entity spans with each place that a body's head names the body of
    (the profile's [bodies] `of_places`: "Парламент Молдовы", "Universidad de Zaragoza" where the model read
    only the place) as that body, an organisation, and no span left inside it."""
    heads = sorted(section(language, "bodies").get("of_places", {}), key=len, reverse=True)
    if not heads:
        return spans
    grown = []
    for name, label, offset in spans:
        head = next((h for h in heads if label != ORG_LABEL and text[:offset].endswith(h + " ")
                     and (offset - len(h) - 1 == 0 or not text[offset - len(h) - 2].isalnum())), None)
        if head is not None:
            grown.append((f"{head} {name}", ORG_LABEL, offset - len(head) - 1))
    if not grown:
        return spans
    taken = [(offset, offset + len(name)) for name, _, offset in grown]
    kept = [(name, label, offset) for name, label, offset in spans
            if not any(start < offset + len(name) and offset < end for start, end in taken)]
    return sorted(kept + grown, key=lambda span: span[2])


def country_names(gazetteer, language: str | None):
    """name -> (ISO code, English name) of the country the name is one of the names of, or None."""
    def country(name: str) -> tuple[str, str] | None:
        place = gazetteer.resolve(name, language)
        return (place.country, place.name) if place is not None and place.is_country and place.country else None
    return country


def english_place_names(gazetteer, language: str | None):
    """name -> the English name of the place an institution's name gives, or None: a city of that very name and
    a like size (a tenth of the most populous candidate's people or more) before one known by it as one of its
    other names ("Universidad de Zaragoza" is Zaragoza's, though GeoNames also lists the name for the larger
    Tijuana), but not before a city's exonym ("Politecnico di Milano" is Milan's, not the province's)."""
    def english(name: str) -> str | None:
        found = gazetteer.candidates(name, language)
        if not found:
            return None
        same = [place for place in found if fold(place.name) == fold(name)
                and 0 < place.population and found[0].population <= 10 * place.population]
        return (same or found)[0].name
    return english

