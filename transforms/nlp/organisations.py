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
row that names one takes its English name and the label ORG (`with_english_names`). A club named as its city
or region (`teams`: "Roma", "Бавария") is the club only where the article reads the name as a team's: a row
already labelled ORG (a side of a fixture, fixtures.py), never through the matcher; so is an organisation
named by a common word (`words`: "die Grünen", "Linke"), only where the model's row reads it as an organisation.
"""

from __future__ import annotations

import dataclasses
import functools
import re

from transforms.common import fold, load_data
from transforms.languages import profile, section

ORG_LABEL = "ORG"
PLACE_LABEL = "GPE"
_WORD = re.compile(r"\w+")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_CYRILLIC_VOWELS = frozenset("аеёиоуыэюяйьъ")  # a word ending in one is no bare masculine noun
# what may stand between two words of one name besides spaces: "Presse-Agentur", "l'Union", "Rat der EU"
_JOINERS = frozenset({"", "-", "'", "’", "‐", "&", "—", "–"})
_SHORTEST_STEM = 3
_SHORT = "="  # marks the form of a short word, which only the word itself meets
_END = None  # in the tree of names: where a name ends
BODY = ""  # the English name of a national body, which bodies.py gives with the article's country


@dataclasses.dataclass(frozen=True)
class Organisation:
    name: str  # the English name; BODY for a national body
    written: tuple[str, ...] | None  # the words as they must be written in the text, or None: any case
    body: str = ""  # a national body's name as its profile writes it ("Госдума" for "Госдуму")


class Organisations:
    """One language's organisations: their names' words in a tree, each word under each form it may
    take without an ending, so that a text's word meets a name's word in any form the two share
    ("Газпрома" and "Газпром" share "газпром", "Еврокомиссии" and "Еврокомиссия" share "еврокомисси")."""

    def __init__(self, language: str | None):
        self.endings = tuple(section(language, "organisations").get("endings", ()))
        self.articles = frozenset(fold(a).rstrip("'") for a in section(language, "bodies").get("articles", ()))
        self.names: dict = {}  # form of a word -> the same for the next word; _END -> the organisations
        self.teams: dict = {}  # the same for the names clubs share with their city or region
        self.words: dict = {}  # the same for the names that are common words
        for entry in load_data("organisations.toml")["organisation"]:
            teams = entry.get("teams", ())
            english = [entry["name"]] if entry["name"] not in teams else []  # "Lyon" is the city's name too
            for spelling in [*english, *entry.get("names", ()), *entry.get(language or "", ())]:
                self._add(spelling, entry["name"])
            for spelling in teams:
                self._add(spelling, entry["name"], tree=self.teams)
            for spelling in entry.get("words", ()):
                self._add(spelling, entry["name"], tree=self.words)
        # the organisations the alias table names (NATO, the European Union, the United Nations...) are found
        # by the same pass, so that a form the table does not list finds them too ("L'OTAN", "dell'Unione
        # europea", "Евросоюзом")
        for entity in load_data("aliases.toml")["entity"]:
            if entity.get("label") == ORG_LABEL:
                for spelling in [entity["canonical"], *entity.get("aliases", ())]:
                    self._add(spelling, entity["canonical"])
        # the national bodies the profile names whole ("Bundestag", "Госдума") are found too; their English
        # name waits for the article's country (bodies.py)
        for spelling in section(language, "bodies").get("names", {}):
            self._add(spelling, BODY, spelling)
        self.capitalised_nouns = bool(profile(language).get("capitalised_nouns"))
        self.abbreviations_as_words = bool(section(language, "organisations").get("abbreviations_as_words"))

    @classmethod
    @functools.cache
    def of(cls, language: str | None) -> Organisations:
        return cls(language)

    def _add(self, spelling: str, name: str, body: str = "", tree: dict | None = None) -> None:
        words = tuple(_WORD.findall(spelling))
        as_written = spelling.isupper() or spelling[:1].islower()
        nodes = [self.names if tree is None else tree]
        for word in words:
            nodes = [node.setdefault(form, {}) for node in nodes for form in self._forms(word)]
        for node in nodes:
            node.setdefault(_END, []).append(Organisation(name, words if as_written else None, body))

    def _forms(self, word: str) -> set[str]:
        """The word and the word without each ending it may have, a stem of three letters or more ("думы"
        and "дума" share "дум"); a word of three letters or fewer is only itself, so that no longer word
        meets it through an ending ("Fed" is no stem of "Feder", "ООН" none of "ООНы")."""
        word = word.casefold()
        if len(word) <= _SHORTEST_STEM:
            return {_SHORT + fold(word)}
        return {fold(word), *(fold(word[:-len(e)]) for e in self.endings
                              if word.endswith(e) and len(word) - len(e) >= _SHORTEST_STEM)}

    def english(self, name: str) -> str | None:
        """The English name of the organisation `name` names, or None (a national body's waits for the
        article's country: bodies.py)."""
        found = self.named(name)
        return found.name or None if found is not None else None

    def named(self, name: str) -> Organisation | None:
        """The organisation or national body `name` names in any of its forms; a leading article does not
        count ("l'Union africaine", "la Banque mondiale", "das Auswärtige Amt")."""
        words = _WORD.findall(name)
        if len(words) > 1 and fold(words[0]) in self.articles:
            words = words[1:]
        found = self._longest(words, 0, lambda _: True)
        return found[1] if found is not None and found[0] == len(words) else None

    def team(self, name: str) -> str | None:
        """The English name of the club `name` names in any of its forms where it is read as a team ("Roma",
        "Баварии": AS Roma, Bayern Munich), else None."""
        return self._whole(name, self.teams)

    def named_by_word(self, name: str) -> str | None:
        """The English name of the organisation a common word names in any of its forms ("Grünen": Alliance
        90/The Greens), for a row the model labelled an organisation's, else None."""
        return self._whole(name, self.words)

    def _whole(self, name: str, tree: dict) -> str | None:
        words = _WORD.findall(name)
        if len(words) > 1 and fold(words[0]) in self.articles:
            words = words[1:]
        found = self._longest(words, 0, lambda _: True, tree) if words else None
        return found[1].name if found is not None and found[0] == len(words) else None

    def found(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, English name) of each organisation `text` names, the longest name first where
        two begin at one word; a national body's English name is BODY (bodies.py gives it)."""
        words = list(_WORD.finditer(text))
        written = [w.group() for w in words]

        def joined(k: int) -> bool:  # the k-th word follows the one before as a name's words do
            return text[words[k - 1].end():words[k].start()].strip() in _JOINERS

        spans, i = [], 0
        while i < len(words):
            found = self._longest(written, i, joined)
            if found is not None and not self._runs_on(text, words[i + found[0] - 1].end()):
                spans.append((words[i].start(), words[i + found[0] - 1].end(), found[1].name))
                i += found[0]
            else:
                i += 1
        return spans

    def _longest(self, words: list[str], start: int, joined, tree: dict | None = None) \
            -> tuple[int, Organisation] | None:
        """(number of words, organisation) of the longest name that begins at words[start]; `joined(k)`:
        whether words[k] follows words[k - 1] as a name's words do."""
        nodes, best = [self.names if tree is None else tree], None
        for k in range(start, len(words)):
            if k > start and not joined(k):
                break
            forms = self._forms(words[k])
            nodes = [node[form] for node in nodes for form in forms if form in node]
            if not nodes:
                break
            found = next((o for node in nodes for o in node.get(_END, ())
                          if self._as_written(o, words[start:k + 1])), None)
            if found is not None:
                best = (k + 1 - start, found)
        return best

    def _as_written(self, organisation: Organisation, words: list[str]) -> bool:
        """A name in capitals or lower case stands as written; any other begins with a capital. Where the
        language writes an abbreviation read as a word with a capital only ("Onu", "Bce": the profile's
        `abbreviations_as_words`), an abbreviation of one word of four letters or fewer may stand so too."""
        if organisation.written is None:
            return words[0][:1].isupper()
        if tuple(words) == organisation.written:
            return True
        abbreviation = organisation.written[0]
        return (self.abbreviations_as_words and len(words) == 1 and len(organisation.written) == 1
                and 2 <= len(abbreviation) <= 4 and abbreviation.isupper() and words[0] == abbreviation.capitalize())

    def _runs_on(self, text: str, end: int) -> bool:
        """A capitalised word after the name makes it a word of a longer one ("Google News"), but not where
        every noun is capitalised (German)."""
        after = text[end:end + 2]
        return not self.capitalised_nouns and after[:1] == " " and after[1:].isupper()




def with_english_names(rows: list, language: str | None) -> list:
    """An article's rows with each organisation it names under its English name, labelled ORG, and each
    national body in any form under its profile's name, which bodies.py then names in English ("в
    Госдуму" is the Госдума, the State Duma; "das Auswärtige Amt" the Auswärtiges Amt); a row labelled ORG
    that names a club by its city's name or an organisation by a common word, under its English name ("Roma":
    AS Roma; "Grünen": Alliance 90/The Greens)."""
    organisations = Organisations.of(language)
    named = {}
    for row in rows:
        key = (row.canonical, row.label == ORG_LABEL)
        if key not in named:
            found = organisations.named(row.canonical)
            named[key] = found.name or found.body if found is not None else \
                organisations.team(row.canonical) or organisations.named_by_word(row.canonical) \
                or nominative(row.canonical, language) if row.label == ORG_LABEL else None
    return [dataclasses.replace(r, canonical=name, label=ORG_LABEL, entity_id="")
            if (name := named[(r.canonical, r.label == ORG_LABEL)]) is not None else r for r in rows]


@functools.cache
def _competitions() -> frozenset[str]:
    return frozenset(fold(name) for name in load_data("organisations.toml").get("competitions", {}).get("names", ()))


def without_competitions(rows: list) -> list:
    """An article's rows without the competitions and leagues the models read as organisations ("in Serie A.", "la
    Lega Pro"; data/organisations.toml [competitions]): events, not organisations, as English news and the
    labelling guide read them."""
    competitions = _competitions()
    return [r for r in rows if not (r.label == ORG_LABEL and fold(r.canonical).strip(" .,;:!?") in competitions)]


@functools.cache
def _sites(language: str | None) -> frozenset[str]:
    return frozenset(fold(noun) for noun in load_data("organisations.toml").get("sites", {}).get(language or "", ()))


def _a_site(name: str, language: str | None, sites: frozenset[str], compounds: bool) -> bool:
    """Whether the name's head is a noun of a building, a venue or a site: its first word, after an article (in
    German the last part of a compound too: "Olympiastadion"); in Russian, the nominative of its first or second
    word ("Национальным дворцом")."""
    words = _WORD.findall(name)
    articles = Organisations.of(language).articles
    if len(words) > 1 and fold(words[0]) in articles:
        words = words[1:]
    if not words:
        return False
    from transforms.nlp.morphology import analyzer

    morph = analyzer(language)
    if morph is not None:
        return any(fold(p.normal_form) in sites for word in words[:2] for p in morph.parse(word)[:1])
    first = fold(words[0])
    return first in sites or compounds and any(first.endswith(s) and len(first) > len(s) + 2 for s in sites)


def without_sites(rows: list, language: str | None) -> list:
    """An article's rows without the organisations that are a building's, a venue's or a site's ("Дворец
    независимости", "Estadio Nacional", "Hauptbahnhof": data/organisations.toml [sites]), which the models read as
    organisations and the labelling guide does not; a row the data names stays."""
    sites = _sites(language)
    organisations = Organisations.of(language)
    compounds = organisations.capitalised_nouns

    def no_organisation(row) -> bool:
        if row.label != ORG_LABEL or row.canonical != row.mention or organisations.named(row.canonical) is not None:
            return False
        return _a_site(row.canonical, language, sites, compounds)

    return [r for r in rows if not no_organisation(r)]


def countries_as_places(rows: list, is_country) -> list:
    """An organisation's row that is a country's name and no organisation's is the country (`is_country(name)`):
    a model reads a country that acts as an organisation ("Francia es malinterpretada", "DORTMUND, Alemania (AP)",
    a national team "Argelia, Rusia y Corea del Sur"), which names the country, as the labelling guide reads it ("Le
    Togo devait y participer" is the place Togo)."""
    countries = {r.canonical for r in rows
                 if r.label == ORG_LABEL and r.canonical == r.mention and is_country(r.canonical)}
    return [dataclasses.replace(r, label=PLACE_LABEL, entity_id="")
            if r.label == ORG_LABEL and r.canonical in countries else r for r in rows]


def without_common_nouns(rows: list, language: str | None, nlp) -> list:
    """An article's rows without the organisations that are one common noun of the language and no name the data
    knows: French capitalises an institution's noun ("l'Ecole", "l'Association", "la Constitution") and page
    headings ("Profil", "Châteaux ou belles demeures"), Italian and Spanish the noun of a body the article named
    before ("la Fondazione", "il Consiglio", "la Universidad"), Russian in any case ("Партию"), which the models
    read as organisations. The nouns are the profile's [organisations] `nouns` (in Russian, by the dictionary's
    nominative) and, where it says `common_nouns`, every noun of the language's
    spaCy model (its lemmatizer's noun index); a word in capitals stays (the index holds abbreviations: "INSERM").
    A body's first word that names the one body of the article beginning with it ("la Corte") was named before
    (bodies.py). Rows that are a site's go first (`without_sites`)."""
    rows = without_sites(rows, language)
    spec = section(language, "organisations")
    listed = frozenset(fold(noun) for noun in spec.get("nouns", ()))
    nouns = _nouns(nlp) if spec.get("common_nouns") and nlp is not None else None
    if not listed and not nouns:
        return rows
    organisations = Organisations.of(language)

    from transforms.nlp.morphology import analyzer

    morph = analyzer(language)  # Russian: a noun in any case, by its nominative ("Партию": партия)

    def common(name: str) -> bool:
        if " " in name or name.isupper() or organisations.named(name) is not None:
            return False
        word = name.casefold()
        if morph is not None and any(fold(p.normal_form) in listed for p in morph.parse(word)[:1]):
            return True
        return fold(word) in listed or nouns is not None and (
            word in nouns[0] or any(lemma in nouns[0] for lemma in nouns[1].get(word, ())))

    return [r for r in rows if not (r.label == ORG_LABEL and r.canonical == r.mention and common(r.canonical))]


_NOUNS: dict = {}


def _nouns(nlp) -> tuple[frozenset, object] | None:
    """(the model's noun lemmas, its table of inflected forms' lemmas), once per model; None without them."""
    if id(nlp) not in _NOUNS:
        found = None
        if "lemmatizer" in getattr(nlp, "pipe_names", ()):
            lookups = nlp.get_pipe("lemmatizer").lookups
            if lookups.has_table("lemma_index") and "noun" in lookups.get_table("lemma_index"):
                forms = lookups.get_table("lemma_lookup") if lookups.has_table("lemma_lookup") else {}
                found = (frozenset(lookups.get_table("lemma_index")["noun"]), forms)
        _NOUNS[id(nlp)] = found
    return _NOUNS[id(nlp)]


def nominative(name: str, language: str | None) -> str | None:
    """An organisation's name in a case form in the nominative, where its profile lists the nouns that head
    organisations' names and their genders ([organisations] `heads`): the head, alone or ending a compound, loses
    its genitive ending (masculine and neuter), and each adjective before it with one of the profile's endings takes
    the nominative's ending of the head's gender ("Instituts für Demoskopie Allensbach": Institut für Demoskopie
    Allensbach; "Deutschen Gewerkschaftsbundes": Deutscher Gewerkschaftsbund; "Deutschen Bank": Deutsche Bank);
    None where nothing changes."""
    spec = section(language, "organisations")
    heads = spec.get("heads")
    if not heads:
        return None
    words = name.split(" ")
    for k, word in enumerate(words):
        if not word[:1].isupper():
            return None  # only the capitalised words a name begins with ("Instituts für ...")
        folded = word.casefold()
        found = next(((head, gender, ending) for head, gender in heads.items()
                      for ending in ("", *(spec.get("genitive", ()) if gender != "f" else ()))
                      if folded.endswith(head.casefold() + ending)), None)
        if found is None:
            continue
        _, gender, ending = found
        before = [_adjective(w, gender, spec.get("adjectives", ())) for w in words[:k]]
        changed = [*before, word[:len(word) - len(ending)] if ending else word, *words[k + 1:]]
        return " ".join(changed) if changed != words else None
    return None


def _adjective(word: str, gender: str, endings) -> str:
    """An adjective before a name's head in the nominative without an article ("Deutschen" before a masculine
    noun: "Deutscher"), where it ends with one of `endings`; any other word as it is."""
    if not any(word.casefold().endswith(e) for e in endings):
        return word
    return word[:-1] + {"m": "r", "n": "s", "f": ""}[gender]


def transliterated(rows: list, language: str | None) -> list:
    """An organisation of one word in Cyrillic that no data names, in the nominative and in Latin letters as its
    profile writes names, as English news writes the companies, clubs and agencies named after themselves: one
    the language's dictionary knows as an organisation's ("Роснефти", "Лукойлом": "Rosneft", "Lukoil"), or one
    it does not know that the article also writes bare, in a consonant, beside its case forms ("Автодор",
    "Автодора", "Автодоре": "Avtodor"). An abbreviation ("ЦРУ"), or an unknown word only ever inflected, keeps its
    text."""
    from transforms.nlp.latin import latin
    from transforms.nlp.morphology import analyzer

    morph = analyzer(language)
    if morph is None:
        return rows
    named, unknown = {}, set()
    for row in rows:
        name = row.canonical
        if row.label != ORG_LABEL or name in named or " " in name or name.isupper() or not _CYRILLIC.search(name):
            continue
        readings = morph.parse(name)
        reading = next((p for p in readings if p.is_known and "Orgn" in p.tag.grammemes), None)
        if reading is not None:
            nominative = reading.inflect({"nomn"})
            form = (nominative.word if nominative else reading.normal_form).capitalize()
            named[name] = latin(form, language)
        elif not any(p.is_known for p in readings):
            unknown.add(name)
    endings = section(language, "organisations").get("endings", ())
    for bare in unknown:
        forms = {name for name in unknown if name.startswith(bare) and name[len(bare):] in endings}
        if forms and bare[-1:].casefold() not in _CYRILLIC_VOWELS:
            named |= dict.fromkeys([bare, *forms], latin(bare, language))
    return [dataclasses.replace(r, canonical=named[r.canonical], entity_id="")
            if r.label == ORG_LABEL and named.get(r.canonical) else r for r in rows]
