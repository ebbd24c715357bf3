"""Organisations under one name whatever the language: "OTAN", "НАТО" and "NATO" are NATO, "Commission
européenne", "EU-Kommission" and "Еврокомиссия" the European Commission.

The names are data (data/organisations.toml: each organisation's English name and its names in each
language). A name is compared word by word, each word without case, accents and the ending its
language's profile lists ([organisations] `endings`), so an inflected form finds its name ("der
Europäischen Kommission", "Еврокомиссии", "Совбеза ООН"). A name written in capitals ("OTAN", "ООН")
or in lower case ("dpa") must stand in the text as written; any other must begin with a capital there.
A name that runs on into a capitalised word is a word of a longer name ("Google News").

Two uses, for articles not in English only: the organisations the text names are found even where the
language's model missed them or read them as something else (`found`, multilingual.py), and every entity
row that names one takes its English name and the label ORG (`with_english_names`).
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re

from transforms.common import fold, load_data
from transforms.languages import profile, section

ORG_LABEL = "ORG"
_WORD = re.compile(r"\w+")
# what may stand between two words of one name besides spaces: "Presse-Agentur", "l'Union", "Rat der EU"
_JOINERS = frozenset({"", "-", "'", "’", "‐", "&", "—", "–"})
_SHORTEST_STEM = 3


@dataclasses.dataclass(frozen=True)
class Organisation:
    name: str  # the English name
    written: tuple[str, ...] | None  # the words as they must be written in the text, or None: any case


class Organisations:
    """One language's organisations: the keys of their names -> the organisation."""

    def __init__(self, language: str | None):
        self.endings = tuple(sorted(section(language, "organisations").get("endings", ()), key=len, reverse=True))
        self.articles = frozenset(fold(a).rstrip("'") for a in section(language, "bodies").get("articles", ()))
        self.names: dict[tuple[str, ...], list[Organisation]] = {}
        for entry in load_data("organisations.toml")["organisation"]:
            for spelling in [entry["name"], *entry.get("names", ()), *entry.get(language or "", ())]:
                words = tuple(_WORD.findall(spelling))
                as_written = spelling.isupper() or spelling[:1].islower()
                self.names.setdefault(self._key(words), []).append(
                    Organisation(entry["name"], words if as_written else None))
        self.longest = max((len(key) for key in self.names), default=0)
        self.capitalised_nouns = bool(profile(language).get("capitalised_nouns"))

    @classmethod
    @functools.cache
    def of(cls, language: str | None) -> Organisations:
        return cls(language)

    def _word(self, word: str) -> str:
        word = word.casefold()
        ending = next((e for e in self.endings if word.endswith(e) and len(word) - len(e) >= _SHORTEST_STEM), "")
        return fold(word[:len(word) - len(ending)])

    def _key(self, words) -> tuple[str, ...]:
        return tuple(self._word(w) for w in words)

    def english(self, name: str) -> str | None:
        """The English name of the organisation `name` names, or None; a leading article does not count
        ("l'Union africaine", "la Banque mondiale")."""
        words = _WORD.findall(name)
        if len(words) > 1 and fold(words[0]) in self.articles:
            words = words[1:]
        found = self._named(words, self._key(words))
        return found.name if found is not None else None

    def found(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, English name) of each organisation `text` names, the longest name first where
        two begin at one word."""
        words = list(_WORD.finditer(text))
        keys = [self._word(w.group()) for w in words]
        spans, i = [], 0
        while i < len(words):
            for n in range(min(self.longest, len(words) - i), 0, -1):
                found = self._named([w.group() for w in words[i:i + n]], tuple(keys[i:i + n]))
                if found is None or not self._one_name(text, words[i:i + n]) \
                        or self._runs_on(text, words[i + n - 1].end()):
                    continue
                spans.append((words[i].start(), words[i + n - 1].end(), found.name))
                i += n
                break
            else:
                i += 1
        return spans

    def _named(self, words: list[str], key: tuple[str, ...]) -> Organisation | None:
        return next((o for o in self.names.get(key, ()) if _as_written(o, words)), None)

    def _runs_on(self, text: str, end: int) -> bool:
        """A capitalised word after the name makes it a word of a longer one ("Google News"), but not where
        every noun is capitalised (German)."""
        after = text[end:end + 2]
        return not self.capitalised_nouns and after[:1] == " " and after[1:].isupper()

    @staticmethod
    def _one_name(text: str, words: list) -> bool:
        return all(text[a.end():b.start()].strip() in _JOINERS for a, b in itertools.pairwise(words))


def _as_written(organisation: Organisation, words: list[str]) -> bool:
    """A name in capitals or lower case stands as written; any other begins with a capital."""
    if organisation.written is not None:
        return tuple(words) == organisation.written
    return words[0][:1].isupper()


def with_english_names(rows: list, language: str | None) -> list:
    """An article's rows with each organisation it names under its English name, labelled ORG."""
    organisations = Organisations.of(language)
    named = {}
    for row in rows:
        if row.canonical not in named:
            named[row.canonical] = organisations.english(row.canonical)
    return [dataclasses.replace(r, canonical=named[r.canonical], label=ORG_LABEL, entity_id="")
            if named[r.canonical] is not None else r for r in rows]
