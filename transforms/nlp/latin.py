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
