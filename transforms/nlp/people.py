"""People in text that no installed model reads, by the shape of their names.

German, Spanish, Portuguese or Italian news with no spaCy model of its language still writes people
one way: a given name and capitalised words after it ("Jair Bolsonaro", "Luis Vicente León",
"Miguel Díaz-Canel Bermúdez"), or a title and a surname ("presidente Boric"); once the article has
named a person in full, the surname alone is that person ("Bolsonaro"). The given names are
gender-guesser's list (some 48,000 first names of 50+ countries; case-sensitive, so "Will" is a
name and "will" is not); everything else is data (data/people.toml, and the month and weekday
names of each language's profile, which are never names); in Cyrillic, the names the Russian and Ukrainian
dictionaries know in any case form ("Марата", "Олександром"; transforms/nlp/morphology.py) and a list
for other Cyrillic languages and Western names. The English model tags German nouns as people;
this finder never does, because a span must start at a known given name or a title.
"""

from __future__ import annotations

import functools
import re

from transforms.common import LOG, load_data
from transforms.languages import profile, section, with_section
from transforms.nlp.entities import CYRILLIC, case_forms
from transforms.nlp.morphology import agrees, is_given_name, only_a_given_name
from transforms.nlp.tokens import glued

_MAX_WORDS = 5  # given names and surnames together: "Luana Yasmin Gonçalves da Silva"
_SPACY_CODES = {"no": "nb"}  # langdetect's code -> spaCy's (Norwegian Bokmål)
_OPEN_QUOTES, _CLOSE_QUOTES = frozenset('“"«‘\''), frozenset('”"»’\'')
# An initial that starts a name ("J.", "J.-P."; "22J." with a shirt number glued on by the markup)
_INITIALS = re.compile(r"\d*(?:[A-ZÀ-Þ]\.-?){1,2}")
_INITIALLED = re.compile(r"[A-ZÀ-Þ]\.(?=[A-ZÀ-Þ][a-zß-ÿ])")  # "C.Turpin", written without a space


@functools.cache
def _given_names():
    """gender-guesser's Detector: get_gender(name) is "unknown" for a name it does not know. It is
    GPL-3.0; a build without it (docs/licences.md) finds people by titles and known names only."""
    try:
        from gender_guesser.detector import Detector
    except ImportError:
        LOG.warning("gender-guesser is not installed: people in languages without a model are found by "
                    "titles and the names the run knows only (pip install gender-guesser==0.4.0)")
        return _NoGivenNames()
    return Detector(case_sensitive=True)


class _NoGivenNames:
    @staticmethod
    def get_gender(name: str) -> str:
        return "unknown"


@functools.cache
def _stop_words(language: str | None) -> frozenset[str]:
    """spaCy's stop words of a language (no model needed); none for a language spaCy lacks."""
    import spacy

    try:
        return frozenset(spacy.util.get_lang_class(_SPACY_CODES.get(language, language or "")).Defaults.stop_words)
    except Exception:  # noqa: BLE001 - spaCy lacks the language, or it needs a package (ImportError, OSError)
        return frozenset()


def _capitalised(word: str) -> bool:
    """A name word: an upper-case letter then lower case ("Fux", "Díaz"); an initial ("J"); not "PSOE"."""
    if len(word) == 2 and word[1] == ".":  # a middle initial: "Edward S. Herman"
        return word[0].isupper() and word[0].isalpha()
    return word[:1].isupper() and (len(word) == 1 or not word.isupper()) and word[:1].isalpha()


def initialled_name(span) -> bool:
    """A span the finder gave for an initial and a surname ("J. Laporte", "C.Turpin")."""
    first = span[0].text
    return len(span) > 1 and bool(_INITIALS.fullmatch(first)) or bool(_INITIALLED.match(first))


def _word_before(doc, i: int) -> str:
    """The word before doc[i] in lower case, with the full stop the tokenizer split off ("Prof" "."
    is "prof.")."""
    if not i:
        return ""
    if doc[i - 1].text == "." and i > 1 and not doc[i - 2].whitespace_:
        return doc[i - 2].lower_ + "."
    return doc[i - 1].lower_


class PeopleFinder:
    """The people a text in one language names."""

    def __init__(self, language: str | None):
        data = load_data("people.toml")
        calendar = with_section("dates")
        words = section(language, "people")
        # whole month and weekday names of the language and English; abbreviations are given names too
        # ("Jan", "Sam", "Di"), and so is another language's month ("Marco" is "março" in Portuguese)
        tables = [table for code, table in calendar.items() if code in (language, "en")] or calendar.values()
        self.calendar = frozenset(form for table in tables for kind in ("months", "weekdays")
                                  for forms in table[kind] for form in forms if len(form) > 3)
        self.not_given = frozenset(data["not_given_names"])
        self.suffixes = frozenset(data["suffixes"])
        self.saints = frozenset(data["saints"])
        self.conjunctions = frozenset(data["conjunctions"])
        self.particles = {tuple(p.split()) for p in data["particles"]}
        self.surname_starts = frozenset(data["surname_starts"])
        self.longest_particle = max(len(p) for p in self.particles)
        self.blocked = frozenset(words.get("not_persons_after", ()))
        self.articles = frozenset(words.get("things_after_articles", ()))
        self.endings = tuple(words.get("not_person_endings", ()))
        self.titles = frozenset(words.get("titles", ()))
        self.kin = frozenset(words.get("kin", ()))
        self.not_initials = frozenset(words.get("not_initials", ()))
        self.bylines = frozenset(words.get("bylines", ()))
        self.hometown = frozenset(words.get("hometown_particles", ()))
        self.extra_given = frozenset(data["given_names"])
        self.cyrillic_given = frozenset(form for name in data["cyrillic"]["given_names"]
                                        for form in [name, *case_forms(name)])
        self.institutions = frozenset(words.get("not_surnames", ()))
        self.stop_words = _stop_words("en") | _stop_words(language)
        self.language = language
        self.compounds = profile(language).get("capitalised_nouns", False)  # German: nouns, titles too, compound

    def given(self, word: str) -> bool:
        if CYRILLIC.search(word):
            return self._name_word(word) and (word in self.cyrillic_given or is_given_name(word, self.language))
        return self._name_word(word) and word not in self.not_given and (
            word in self.extra_given or _given_names().get_gender(word) != "unknown")

    def _name_word(self, word: str) -> bool:
        lower = word.lower()
        return (_capitalised(word) and lower not in self.calendar and lower not in self.stop_words
                and lower not in self.titles and word not in self.institutions) or word in self.suffixes

    def other_name(self, word: str) -> bool:
        """A capitalised word that is no given name, title, month or stop word ("Budapest")."""
        return self._name_word(word) and len(word) > 1 and word not in self.suffixes and not self.given(word)

    def _extend(self, doc, start: int) -> int:
        """The end of the name whose first word is doc[start]: name words, hyphens inside a word
        ("Díaz-Canel"), particles followed by a name word."""
        end, i = start + 1, start + 1
        while i < len(doc) and i - start < _MAX_WORDS:
            token = doc[i]
            if glued(doc, i) and not (i - start == 1 and self.given(doc[start].text)):
                break  # "Tonino GuerraTonino e Lora": the next sentence's, but "SilviaJansen" is one name
            if token.text == "-" and not doc[i - 1].whitespace_ and not token.whitespace_ and i + 1 < len(doc) \
                    and self._name_word(doc[i + 1].text):
                i = end = i + 2
                continue
            if token.text in self.not_given:
                break  # "Palmiro Faetanini San Marino": the place is no part of the name
            previous = doc[i - 1]
            if self.compounds and not self.given(previous.text) and not self._title(previous.lower_) \
                    and previous.is_alpha:
                break  # German: given names, then one surname ("Vincent Pinson", not "... Französisch Guyana")
            if self._name_word(token.text) and (not CYRILLIC.search(token.text)
                                                or agrees(doc[start].text, token.text, self.language)):
                i = end = i + 1
                if token.text[-1] in "'’" and not token.whitespace_ and i < len(doc) and doc[i].is_alpha:
                    i = end = i + 1  # "Falc'hon", split at its apostrophe by the tokenizer
                continue
            nickname = self._nickname(doc, i)
            if nickname:
                i = end = nickname
                continue
            joined = next((n for n in range(self.longest_particle, 0, -1)
                           if i + n < len(doc) and tuple(t.lower_ for t in doc[i:i + n]) in self.particles
                           and self._name_word(doc[i + n].text)), 0)
            if not joined or i - start >= 2 and doc[i].lower_ in self.hometown:
                break  # "Riccardo Pinzani di Empoli" is from Empoli
                break
            i += joined
        return end

    def _nickname(self, doc, i: int) -> int:
        """Past a quoted nickname inside a name ("Joaquín “El Chapo” Guzmán"): the index after the
        name word that follows the closing quote, or 0."""
        if doc[i].text not in _OPEN_QUOTES:
            return 0
        for close in range(i + 2, min(i + 5, len(doc) - 1)):
            if doc[close].text in _CLOSE_QUOTES:
                inside = doc[i + 1:close]
                if all(t.text[:1].isupper() or t.lower_ in self.stop_words for t in inside) \
                        and self._name_word(doc[close + 1].text):
                    return close + 2
                return 0
        return 0

    def _title(self, word: str) -> bool:
        """A title of the language, with or without its full stop ("Prof.", "Dr"); in German also the
        last part of a compound ("Autokanzler")."""
        return word in self.titles or word.rstrip(".") in self.titles or self.compounds and any(
            word.endswith(title) for title in self.titles if len(title) >= 5)

    def _initialled(self, doc, i: int) -> bool:
        """An initial and a surname ("J. Laporte", "C.Turpin"), one that starts a line or follows a
        lower-case word or punctuation: "Plan B. Kinder" and "z. B. Kinder" are no one."""
        word = doc[i].text
        if word.lstrip("0123456789")[:2] in self.not_initials:
            return False
        if _INITIALLED.match(word):
            surname = word[2:]
        elif _INITIALS.fullmatch(word) and i + 1 < len(doc):
            surname = doc[i + 1].text
        else:
            return False
        if not self._name_word(surname) or surname.lower() in self.calendar:
            return False
        if i == 0 or doc[i - 1].is_space or "\n" in doc[i - 1].whitespace_:
            return True
        before = doc[i - 1].text
        return before.isalpha() and before.islower() or (not before[-1:].isalnum() and before[-1:] != ".")

    def _byline(self, doc, i: int) -> int:
        """The end of a name in capitals after a byline word that opens its line ("Por FIDEL RENDÓN
        MATIENZO"), or 0."""
        if not i or doc[i - 1].lower_ not in self.bylines or "\n" in doc[i - 1].whitespace_ \
                or i > 1 and not (doc[i - 2].is_space or "\n" in doc[i - 2].whitespace_):
            return 0
        end = i
        while end < len(doc) and doc[end].is_alpha and doc[end].is_upper and len(doc[end]) > 1 \
                and end - i < _MAX_WORDS:
            end += 1
            if "\n" in doc[end - 1].whitespace_:
                break
        line_ends = end == len(doc) or doc[end].is_space or "\n" in doc[end - 1].whitespace_
        joined = any(t.lower_ in self.stop_words for t in doc[i:end])  # "Von DPA UND AFP": agencies
        return end if end - i >= 2 and line_ends and not joined else 0

    def _appositive(self, doc, i: int) -> int:
        """The end of two or more name words that start at doc[i] and are followed by a comma and a
        title ("Amilkar Odelín Ante, director comercial"), or 0. Not in German, whose nouns look
        like names."""
        if self.compounds or not self._name_word(doc[i].text) or i and self._name_word(doc[i - 1].text):
            return 0
        end = self._extend(doc, i)
        if end - i < 2 or end + 1 >= len(doc) or doc[end].text != "," or not self._title(doc[end + 1].lower_) \
                or any(t.text in self.institutions for t in doc[i:end]):
            return 0
        return end

    def spans(self, doc) -> list:
        """The people of a tokenised text (a Doc of the multilingual tokenizer), as Spans."""
        found, i = [], 0
        while i < len(doc):
            before = _word_before(doc, i)
            titled = self._title(before) and self._name_word(doc[i].text)
            initialled = self._initialled(doc, i)
            signed = self._byline(doc, i) or self._appositive(doc, i)
            if signed:
                found.append(doc[i:signed])
                i = signed
                continue
            # a year glued on by the markup ("2012Casey Stoner") leaves the name (entities._GLUED_DIGITS)
            if self.given(doc[i].text.lstrip("0123456789")) or titled or initialled:
                end = self._extend(doc, i)
                span = doc[i:end]
                if self.after_an_institution(doc, i) or i and (doc[i - 1].text in self.not_given
                                                               or self.named_after(doc, i)):
                    i = end  # "municipio Pedro María Ureña", "Santa Cruz do Sul": none of it
                    continue
                # two words at least: "Corona-Infektionen" is one word, not a given name and a surname
                words = len(span.text.split()) + sum(glued(doc, t.i) for t in span[1:])  # "CarlaMendes": two
                # a word the language's dictionary knows only as a given name is someone alone ("Арон")
                alone = words == 1 and only_a_given_name(span.text, self.language)
                if (words > 1 or titled or initialled or alone) and not _INITIALS.fullmatch(span[-1].text) \
                        and not span.text.lower().endswith(self.endings):
                    found.append(span)
                    i = end
                    continue
            i += 1
        surnames = {span[-1].text.rstrip("0123456789") for span in found  # "M. Depay11": Depay
                    if len(span) > 1 and span[-1].text not in self.suffixes}
        covered = {t.i for span in found for t in span}
        alone = [doc[t.i:t.i + 1] for t in doc
                 if t.text in surnames and t.i not in covered and not self.inside_a_name(doc, t.i)]
        return sorted(found + alone, key=lambda s: s.start)

    def after_an_institution(self, doc, i: int) -> bool:
        """The name at doc[i] is a street's, a school's or a prize's, named after someone: the profile's word for
        one right before it ("municipio Pedro María Ureña"), or that word capitalised as the start of a name whose
        second word is capitalised too ("Liceo Classico Giulio Cesare", "Istituto Comprensivo ..."; not "il premio
        Nobel Giorgio Parisi", the winner); not in German, which capitalises every noun ("Platz BS Angela
        Risthaus")."""
        if _word_before(doc, i) in self.blocked:
            return True
        return (not self.compounds and i > 1 and doc[i - 1].is_alpha and doc[i - 1].text[:1].isupper()
                and doc[i - 2].text[:1].isupper() and doc[i - 2].lower_ in self.blocked)

    def named_after(self, doc, i: int) -> bool:
        """The name at doc[i] is a thing's, named after someone: an article before it ("del Fellini", in
        quotes too: "il ‘Fellini’"), unless the article is a title's ("agli Onorevoli Benvenuti")."""
        quoted = i - 1 if i > 1 and doc[i - 1].text in _OPEN_QUOTES else i
        return quoted > 0 and doc[quoted - 1].text in self.articles and not self._title(doc[i].lower_)

    def inside_a_name(self, doc, i: int) -> bool:
        """doc[i] is one word of a longer capitalised name ("Ghostbusters Collection" once "Indiana Jones
        Collection" was taken for a person), not a surname alone. Not in German, where nouns and titles
        before a name are capitalised too ("Altkanzlerin Merkel")."""
        if self.compounds:
            return False
        after = doc[i + 1] if i + 1 < len(doc) and not doc[i].whitespace_.count("\n") else None
        if after is not None and self._name_word(after.text) and after.text not in self.suffixes:
            return True
        if i == 0 or "\n" in doc[i - 1].whitespace_:
            return False
        word = doc[i - 1]
        opens = i == 1 or not doc[i - 2].is_alpha or "\n" in doc[i - 2].whitespace_  # "Dijo Rashford"
        return self._name_word(word.text) and not opens and not self._title(word.lower_)
