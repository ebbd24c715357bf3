"""People's names in Cyrillic written the usual English way ("Наталья Гундарева" -> "Natalya Gundareva"),
as the language's profile says ([names] `transliteration`): the name of a maintained schema of the
iuliia package (Russian: "wikipedia", the English Wikipedia's), or a table of letters (Ukrainian:
the national system of 2010, "Oleksandr", "Zelenskyi"), each letter's form at the start of a word apart.
A name that lists its initials after the surname, as Russian lists do ("Семенов Д.", "Иванов И. И."), is
written the English way, initials first ("D. Semenov"). A given name whose usual English form is not its
transliteration takes that form from the profile ([names] `given`: "Сергей" is Sergei, "Джо" Joe).
"""

from __future__ import annotations

import functools

from transforms.languages import section


@functools.cache
def _schema(name: str):
    import iuliia

    return getattr(iuliia, name.upper())


def latin(name: str, language: str | None) -> str | None:
    """The name in Latin letters, or None when the language's profile gives no transliteration."""
    names = section(language, "names")
    spec = names.get("transliteration")
    if spec is None:
        return None
    given = names.get("given", {})
    name = " ".join(given.get(word, word) for word in name.split(" "))
    if isinstance(spec, str):
        return _schema(spec).translate(name)
    letters, initial = spec.get("letters", {}), spec.get("initial", {})
    out = []
    for i, char in enumerate(name):
        lower = char.lower()
        start = i == 0 or not name[i - 1].isalpha()
        latin_form = initial.get(lower) if start and lower in initial else letters.get(lower, char)
        out.append(latin_form.capitalize() if char.isupper() and latin_form else latin_form)
    return "".join(out)


def initials_first(name: str) -> str:
    """A name whose initials follow its surname ("Семенов Д.", "Иванов И.И.") with them before it, each
    with its dot ("Д. Семенов", "И. И. Иванов"); any other name as it is."""
    words = name.replace(".", ". ").split()
    initials = [w for w in words[1:] if len(w.rstrip(".")) == 1 and w[:1].isupper()]
    if len(words) < 2 or len(words[0].rstrip(".")) < 2 or len(initials) != len(words) - 1:
        return name
    return " ".join([*(w.rstrip(".") + "." for w in initials), words[0]])


# A name's sound, roughly, from its letters in any Latin spelling: a transliteration from Cyrillic and the
# spelling of the name's own language meet ("Shvaynshtayger" and "Schweinsteiger", "Rurk" and "Rourke").
_SOUNDS = (("tsch", "C"), ("sch", "S"), ("dzh", "J"), ("zh", "J"), ("tch", "C"), ("ch", "C"), ("sh", "S"),
           ("kh", "h"), ("ck", "k"), ("ph", "f"), ("th", "t"), ("ts", "C"), ("tz", "C"), ("z", "C"), ("x", "ks"),
           ("w", "v"), ("q", "k"))


def _sounded(word: str) -> str:
    """The word's letters after the spellings of one sound are made one and a "c" is read as s before e, i or
    y and as k elsewhere; "h" is no sound of its own."""
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))
    plain = "".join(c for c in plain if c.isalpha())
    for spelling, sound in _SOUNDS:
        plain = plain.replace(spelling, sound)
    plain = "".join(("s" if plain[i + 1:i + 2] in ("e", "i", "y") else "k") if c == "c" else c
                    for i, c in enumerate(plain)).lower()
    return plain.replace("h", "")


@functools.lru_cache(maxsize=1 << 16)
def sound_key(word: str) -> str:
    """A word's consonants, a letter written twice once: "Schweinsteiger" and "Shvaynshtayger" are both
    "svnstgr"."""
    key = [c for c in _sounded(word) if c not in "aeiouy"]
    return "".join(c for i, c in enumerate(key) if i == 0 or c != key[i - 1])


@functools.lru_cache(maxsize=1 << 16)
def shape_key(word: str) -> str:
    """Where a word's vowels and consonants fall, a run of vowels one, a letter written twice once, an
    English final silent "e" left out: "Shvaynshtayger" and "Schweinsteiger" are both CCVCCCVCVC, "Rurk" and
    "Rourke" CVCC, but "Dudinkin" (CVCVCCVC) is not "Duncan" (CVCCVC), whose consonants it shares."""
    plain = _sounded(word)
    plain = plain[:-1] if len(plain) > 2 and plain.endswith("e") and plain[-2] not in "aeiouy" else plain
    plain = "".join(c for i, c in enumerate(plain) if i == 0 or c != plain[i - 1])
    shape = ["V" if c in "aeiouy" else "C" for c in plain]
    return "".join(c for i, c in enumerate(shape) if c == "C" or i == 0 or shape[i - 1] != "V")


_RUN_SOUNDS: dict = {}  # (id of the run's full names) -> their sounds (_sounds)
# a surname alone needs this many consonant sounds to stand for someone ("Rut" and "Rutte", "Den" and "Dunn" do not)
_SURNAME_SOUNDS = 3


def _sounds(full_names) -> tuple[dict, dict]:
    """({(given's sound, surname's sound): [full names]}, {surname's sound: [full names]}) of full names."""
    both: dict[tuple[str, str], list[str]] = {}
    surnames: dict[str, list[str]] = {}
    for full in sorted(set(full_names)):
        parts = full.split()
        if len(parts) >= 2:
            both.setdefault((sound_key(parts[0]), sound_key(parts[-1])), []).append(full)
            surnames.setdefault(sound_key(parts[-1]), []).append(full)
    return both, surnames


def _sounding_as(name: str, sounds: tuple[dict, dict]) -> str | None:
    words = name.split()
    if len(words) >= 2:
        found = sounds[0].get((sound_key(words[0]), sound_key(words[-1])), [])
    elif len(key := sound_key(name)) >= _SURNAME_SOUNDS:
        # a surname alone against every full name of a run: its consonants alone meet too many ("Тоска", the
        # word for longing, sounds as John Toshack, "Хайдеггер" as Christophe Dugarry), so its shape must too
        found = [full for full in sounds[1].get(key, []) if shape_key(full.split()[-1]) == shape_key(name)]
    else:
        found = []
    return found[0] if len(found) == 1 else None


def known_to_the_run(name: str, full_names: dict, language: str | None = None) -> str | None:
    """The run's full name (`full_names`, {surname key: name}) that sounds as a transliterated name does, given
    name and surname alike ("Bastian Shvaynshtayger" is "Bastian Schweinsteiger", "Dzhonni Depp" "Johnny Depp"),
    or a surname alone as the full name's surname does ("Tramp" is "Donald Trump", as a bare surname in English
    takes the run's full name); None unless exactly one does. A full name the run gives only in Cyrillic (its
    Russian articles') counts in the nominative and in the `language`'s Latin letters, so that a surname alone
    in any case form takes it ("Собянина": Sergei Sobyanin)."""
    if not full_names:
        return None
    key = (id(full_names), language)
    if key not in _RUN_SOUNDS:
        _RUN_SOUNDS.clear()  # one run's names at a time
        _RUN_SOUNDS[key] = _sounds(_in_latin_letters(full_names.values(), language))
    return _sounding_as(name, _RUN_SOUNDS[key])


def _in_latin_letters(names, language: str | None) -> list[str]:
    """The names in Latin letters, and those in Cyrillic transliterated in the nominative where no name in
    Latin letters sounds the same already (an English article's "Sergey Sobyanin" before "Sergei Sobyanin")."""
    from transforms.nlp.entities import CYRILLIC
    from transforms.nlp.morphology import nominative

    names = sorted(set(names))
    written = [name for name in names if not CYRILLIC.search(name)]
    heard = {(sound_key(name.split()[0]), sound_key(name.split()[-1])) for name in written}
    for name in names:
        if CYRILLIC.search(name) and language and (spelled := latin(nominative(name, language), language)):
            words = spelled.split()
            if (sound_key(words[0]), sound_key(words[-1])) not in heard:
                written.append(spelled)
    return written


@functools.cache
def _data_sounds() -> tuple[dict, dict]:
    from transforms.common import load_data

    return _sounds(entity["canonical"] for entity in load_data("aliases.toml")["entity"]
                   if entity["label"] == "PERSON")


def known_to_the_data(name: str) -> str | None:
    """The person of the alias data (data/aliases.toml) whose English name sounds as a transliterated name does,
    or whose surname a surname alone does ("Tramp", "Merts": Donald Trump, Friedrich Merz, in any case form the
    aliases do not list); None unless exactly one does."""
    return _sounding_as(name, _data_sounds())
