"""Russian and Ukrainian names in the nominative, and which words are given names.

Russian and Ukrainian news declines names: "Лидии Ермошиной", "Игорем Додоном", "Зеленського". A
row's canonical name is its nominative ("Лидия Ермошина"), so one person is one name in every
article and trend. pymorphy3 with its OpenCorpora (ru) and VESUM (uk) dictionaries knows the case,
gender and kind of a word (Name, Surn, Patr) and guesses unknown surnames by their endings; it loads
once per worker in about 0.1 s. Other Cyrillic languages (Bulgarian, Serbian) have no dictionary
here and keep names as written.
"""

from __future__ import annotations

import functools
import re

DICTIONARIES = {"ru": "ru", "uk": "uk"}
_KINDS = frozenset({"Name", "Surn", "Patr"})
_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct", "voct")


@functools.cache
def analyzer(language: str | None):
    """The language's pymorphy3 analyzer, once per worker; None without a dictionary."""
    if language not in DICTIONARIES:
        return None
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=DICTIONARIES[language])


@functools.lru_cache(maxsize=1 << 16)
def is_given_name(word: str, language: str | None) -> bool:
    """A word the dictionary knows as a given name in some case form ("Лидии", "Олександром")."""
    morph = analyzer(language)
    return morph is not None and any("Name" in parse.tag.grammemes for parse in morph.parse(word))


@functools.lru_cache(maxsize=1 << 16)
def agrees(given: str, word: str, language: str | None) -> bool:
    """Whether `word` can follow the given name `given` in one name: a surname shares a case with
    its given name ("Дмитрий Грибов"), so "Богу" (a dative only) is no surname of "Слава"; a word
    the dictionary has to guess may always be one."""
    morph = analyzer(language)
    if morph is None:
        return True
    cases = {_case(p.tag) for p in morph.parse(given) if "Name" in p.tag.grammemes} - {None}
    readings = morph.parse(word)
    return not cases or any(not p.is_known or "Fixd" in p.tag.grammemes or _case(p.tag) in cases for p in readings)


@functools.lru_cache(maxsize=1 << 16)
def only_a_given_name(word: str, language: str | None) -> bool:
    """A word the dictionary knows as a given name in every reading ("Арон", "Дэн", "Джо"), so that it names
    someone alone; not one that is a common word too ("Вера", "Роман", "Слава") or a place ("София")."""
    morph = analyzer(language)
    parses = morph.parse(word) if morph is not None else []
    return bool(parses) and all(p.is_known and "Name" in p.tag.grammemes for p in parses)


@functools.lru_cache(maxsize=1 << 16)
def only_other_words(word: str, language: str | None) -> bool:
    """A word the dictionary knows, in every reading, as neither a noun nor a full adjective (a verb, an
    infinitive, an adverb, a short adjective: "Останься", "Кукарекать", "Бессвязно"), so it names no one, though
    a capital opens its sentence; a noun or an adjective may be a surname ("Лебедь", "Соловей", "Белый")."""
    morph = analyzer(language)
    parses = morph.parse(word) if morph is not None else []
    return bool(parses) and all(p.is_known and p.tag.POS not in (None, "NOUN", "ADJF", "PRTF") for p in parses)


def names_someone(name: str, language: str | None) -> bool:
    """A span the dictionary reads as a person's name: a word of it is a known given name,
    surname or patronymic ("Углава", "Ірина Венедіктова"; not "Конституція України")."""
    morph = analyzer(language)
    return morph is not None and any(p.is_known and _named(p)
                                     for word in name.split() for p in morph.parse(word))


@functools.cache
def _common_given_names() -> frozenset[str]:
    """The common Cyrillic given names of data/people.toml, in lower case as the dictionary gives them."""
    from transforms.common import load_data

    return frozenset(name.casefold() for name in load_data("people.toml")["cyrillic"]["given_names"])


def given_and_patronymic(name: str, language: str | None) -> bool:
    """A name of two words the dictionary reads as a given name and a patronymic ("Александра Григорьевича"):
    how Russian news names, with respect, someone it names in full elsewhere."""
    morph, words = analyzer(language), name.split()
    return morph is not None and len(words) == 2 and \
        any(p.is_known and "Name" in p.tag.grammemes for p in morph.parse(words[0])) and \
        any(p.is_known and "Patr" in p.tag.grammemes for p in morph.parse(words[1]))


def _named(parse) -> bool:
    """A reading as a given name, surname or patronymic."""
    return not _KINDS.isdisjoint(parse.tag.grammemes)


def _case(tag) -> str | None:
    return next((case for case in _CASES if case in tag.grammemes), None)


def _gender(tag) -> str | None:
    return next((gender for gender in ("masc", "femn") if gender in tag.grammemes), None)


@functools.lru_cache(maxsize=1 << 16)
def nominative(name: str, language: str | None, cases: frozenset = frozenset()) -> str:
    """A person's name in the nominative: the case and gender that most of its words agree on,
    name and surname readings first ("Лидии Ермошиной" -> "Лидия Ермошина"); a word the
    dictionary cannot inflect stays as written. `cases`: those the prepositions before the name in
    the text govern, which tell the gender where the ending does not ("про Гундареву", an accusative:
    "Гундарева", not the masculine dative's "Гундарев")."""
    morph = analyzer(language)
    words = name.split()
    if morph is None or not words or len(words) > 5:
        return name
    # the informal vocative ("Маш") is no case of news text: the dictionary guesses it for foreign names that
    # end in a consonant ("Зиглер" as the vocative of a "Зиглера", "Уокером" of an "Уокерома")
    readings = [[p for p in morph.parse(word) if "voct" not in p.tag.grammemes] for word in words]
    given = next((parses for parses in readings if any("Name" in p.tag.grammemes for p in parses)), None)
    if len(words) > 1 and given is not None:
        # the given name sets the case: "Майя Санду" is nominative, though "Санду" reads as an accusative
        candidates = {(_case(p.tag), _gender(p.tag)) for p in given if "Name" in p.tag.grammemes}
    else:
        # a surname alone: "Санду" is no given name's accusative (of the rare "Санда"), "Ермошиной" is a
        # surname's; a common given name alone is one in its case ("Борисом": "Борис", "Полины": "Полина"),
        # and so is a name alone that the dictionary can only guess as a given name ("Буальваном": "Буальван")
        # or knows only as a man's, whose nominative has no ending ("Стивеном": "Стивен", "Стасу": "Стас"; not
        # "Санду", the surname, as the rare "Санда")
        only_given = len(words) == 1 and bool(readings[0]) and all(
            p.is_known and "Name" in p.tag.grammemes and _gender(p.tag) == "masc" for p in readings[0])
        candidates = {(_case(p.tag), _gender(p.tag)) for parses in readings for p in parses
                      if "Surn" in p.tag.grammemes or "Patr" in p.tag.grammemes or "ADJF" in p.tag.grammemes
                      or len(words) == 1 and "Name" in p.tag.grammemes
                      and (not p.is_known or only_given or p.normal_form in _common_given_names())}
    candidates = {(case, gender) for case, gender in candidates if case}
    candidates = {(case, gender) for case, gender in candidates if case in cases} or candidates
    if not candidates:
        return name

    def fit(parse, case, gender) -> bool:
        return _case(parse.tag) == case and _gender(parse.tag) in (gender, None) and "plur" not in parse.tag.grammemes

    def agreement(candidate) -> tuple:
        case, gender = candidate
        named = sum(max((p.score + _named(p) for p in parses if fit(p, case, gender)),
                        default=0.0) for parses in readings)
        return named, case == "nomn", -_CASES.index(case)

    case, gender = max(sorted(candidates, key=str), key=agreement)
    if case == "nomn":
        return name
    out = []
    for word, parses in zip(words, readings, strict=True):
        fitting = sorted((p for p in parses if fit(p, case, gender)),
                         key=lambda p: (not _named(p), -p.score))
        inflected = fitting[0].inflect({"nomn"}) if fitting else None
        # a name's nominative is never longer than its other cases ("Ивану", "Ермошиной", "Стивеном"): a longer
        # one is a guess from a wrong reading
        out.append(_written_like(inflected.word, word) if inflected and len(inflected.word) <= len(word) else word)
    return " ".join(out)


def _written_like(form: str, word: str) -> str:
    """The dictionary's lower-case form with the word's capitals: "ермошина" -> "Ермошина"."""
    parts = form.split("-")
    originals = word.split("-")
    if len(parts) != len(originals):
        return form.capitalize()
    return "-".join(p.capitalize() if o[:1].isupper() else p for p, o in zip(parts, originals, strict=True))


@functools.lru_cache(maxsize=1 << 16)
def place_nominative(name: str, language: str | None) -> str:
    """A place the dictionary knows, in the nominative: one word ("Будапеште" -> "Будапешт"), or a noun
    after the adjectives that agree with it ("Южной Корее" -> "Южная Корея", "Соединённых Штатах" ->
    "Соединённые Штаты"); anything else as written."""
    morph = analyzer(language)
    words = name.split()
    if morph is None or not words or len(words) > 4:
        return name
    if len(words) == 1:
        place = next((p for p in morph.parse(name) if p.is_known and "Geox" in p.tag.grammemes), None)
        inflected = place.inflect({"nomn"}) if place is not None else None
        return _written_like(inflected.word, name) if inflected else name
    readings = [morph.parse(word) for word in words]
    for noun in (p for p in readings[-1] if p.is_known and p.tag.POS == "NOUN" and _case(p.tag)):
        case, number, gender = _case(noun.tag), noun.tag.number, _gender(noun.tag)
        adjectives = [next((p for p in parses if p.tag.POS in ("ADJF", "PRTF") and _case(p.tag) == case
                            and p.tag.number == number and (number == "plur" or _gender(p.tag) == gender)), None)
                      for parses in readings[:-1]]
        if None in adjectives or case == "nomn" or number is None:  # Ukrainian's dictionary leaves some unnumbered
            continue
        forms = [p.inflect({"nomn", number}) for p in [*adjectives, noun]]
        if None not in forms:
            return " ".join(_written_like(form.word, word) for form, word in zip(forms, words, strict=True))
    return name


def canonical_names(names: list[str], language: str | None, text: str = "") -> dict[str, str]:
    """Each person's name of one article -> its nominative; a surname alone, in any case form, is
    the person the article names in full ("Ермошиной" after "Лидия Ермошина"). The article's `text`
    gives the prepositions before each name (`governed_cases`)."""
    from transforms.nlp.entities import case_forms, name_key

    def in_nominative(name: str) -> str:
        return nominative(name, language, governed_cases(name, text, language))

    full = {name: in_nominative(name) for name in names if len(name.split()) > 1}
    by_surname: dict[str, set[str]] = {}
    for name, nominal in full.items():
        for last in {name.split()[-1], nominal.split()[-1]}:
            for form in [last, *case_forms(last)]:
                by_surname.setdefault(name_key(form), set()).add(nominal)
    out = dict(full)
    for name in names:
        if name not in full:
            people = by_surname.get(name_key(name)) or by_surname.get(name_key(in_nominative(name)), set())
            out[name] = next(iter(people)) if len(people) == 1 else in_nominative(name)
    return out


@functools.lru_cache(maxsize=1 << 16)
def with_yo(name: str, language: str | None, after: str) -> str:
    """A name whose surname the dictionary knows with "ё" where the text printed "е" right after one of the
    letters `after` takes the "ё" there ("Андрей Воробьев" -> "Андрей Воробьёв"); other words as written."""
    morph = analyzer(language)
    if morph is None or not after:
        return name
    out = []
    for word in name.split(" "):
        spelled = next((p.word for p in morph.parse(word) if p.is_known and "Surn" in p.tag.grammemes
                        and len(p.word) == len(word) and "ё" in p.word), None)
        if spelled is not None:
            word = "".join(("Ё" if w.isupper() else "ё") if c == "ё" and w in "еЕ" and i and spelled[i - 1] in after
                           else w for i, (c, w) in enumerate(zip(spelled, word, strict=True)))
        out.append(word)
    return " ".join(out)


def governed_cases(name: str, text: str, language: str | None) -> frozenset:
    """The cases the prepositions right before every use of `name` in `text` govern, as the profile's [names]
    cases_after lists them ("про Гундареву": accusative); none where one use has no such preposition."""
    from transforms.languages import section

    table = section(language, "names").get("cases_after", {})
    if not table or not text:
        return frozenset()
    cases: set[str] = set()
    for before in re.finditer(rf"(?<!\w)(\w+)\s+{re.escape(name)}(?!\w)|(?<!\w){re.escape(name)}(?!\w)", text):
        governed = table.get((before.group(1) or "").casefold())
        if governed is None:
            return frozenset()
        cases.update(governed)
    return frozenset(cases)
