"""Language profiles: what newsbeam knows of each language, as data (data/languages/LANG.toml).

A profile is read by the stages that vary by language, each its own section:

- `capitalised_nouns`: every noun is capitalised (German): a capital inside a sentence is no sign of
  a name, and titles compound ("Bundeskanzlerin").
- [ner]: the backend that finds its entities: `model` a spaCy model, "natasha" natasha's news NER; `corenlp`
  the CoreNLP classifier used when the spaCy model is not installed (`corenlp_sure`: the probability its
  words need; `sure_language`: langdetect's probability of the language under which the name finder reads
  alone, so a heavy backend never loads for a misread headline); `labels` the backend's labels ->
  newsbeam's; `trusted`: its people need no evidence. No [ner]: the name finder alone (the names the run
  knows and the shape of names).
- [people] (people.py), lower case unless said: `titles` that name the person after them ("presidente
  Boric"); `not_surnames`, capitalised words of institutions a name stops before ("Gobierno");
  `not_persons_after`, words that make the name after them a school's or a street's ("lycée Jean Zay");
  `things_after_articles`, articles that make it a thing named after someone ("del Fellini");
  `not_initials` ("S. Paulo"); `not_person_endings` ("Karl-Marx-Straße"); `hometown_particles`
  ("Pinzani di Empoli"); `bylines` ("Por FIDEL RENDÓN").
- [dates]: month and weekday names, as newspapers write them (dates.py).
- [status]: status phrases beside event words (keyword_status.py); without it the language gets no
  statuses (English has the parse grammar of data/events.toml).
- [topics]: each world-news theme's phrases in the language (topics.py: second-level IPTC topics).
- [subjects]: words that signal each of the 17 IPTC subjects in the language (subjects.py).
- [places] (places.py): `endings` a place's name takes in the text ("Italiens"), `countries` an ambiguous
  name is looked for first, `names` the language's own names for places CLDR lacks ("США"),
  `not_place_endings` that make a "place" a street ("Frankfurter Allee").
- [organisations] (organisations.py): `endings` a word of an organisation's name takes in the text ("der
  Europäischen Kommission", "Еврокомиссии"); `abbreviations_as_words` where the language writes "Onu" for
  "ONU"; `heads` (with their genders), `genitive` and `adjectives`, which put an organisation no data names
  in the nominative ("des Instituts für ..."); `nouns`, a body's nouns that alone name no organisation ("la
  Fondazione"), and `common_nouns` where every noun of the language's model is so ("l'Ecole", "Profil"); the
  names themselves are data/organisations.toml.
- [bodies] (bodies.py): the country's national bodies as the language writes them, under the English
  names Wikipedia titles them by (`names`, a ministry's `heads` and `fields`), `generic` words that
  name no body alone ("el Gobierno"), and `of_country`, the particles before a country that ends a body's
  name ("Ministerio de Salud de Chile").
- [detection] (text/language.py): the languages langdetect takes the language's short texts for
  (`confused_with`), and what tells the language from them: its `alphabet`, `letters` and `words` they do not
  write ("Дэн смотрел на Фло." is Russian, not Bulgarian).
- [names] (latin.py): `transliteration`, how people's names in Cyrillic are written in English: an iuliia
  schema's name, or a table of `letters` (and their `initial` forms); `given`, given names whose usual
  English form is not their transliteration ("Сергей" is Sergei).

Adding a language is adding its file, in the package or in the user's data folder (--data).
"""

from __future__ import annotations

import functools
import os
import unicodedata

from transforms.common import DATA_ENV, data_names, load_data

FOLDER = "languages"
ENGLISH = "en"


def profiles() -> dict[str, dict]:
    """Every language's profile by code, English first."""
    return _profiles(os.environ.get(DATA_ENV))


@functools.cache
def _profiles(user: str | None) -> dict[str, dict]:
    codes = sorted((name.removesuffix(".toml") for name in data_names(FOLDER)), key=lambda c: (c != ENGLISH, c))
    return {code: load_data(f"{FOLDER}/{code}.toml") for code in codes}


def profile(language: str | None) -> dict:
    """The language's profile; empty for a language with none."""
    return profiles().get(language or "", {})


def section(language: str | None, name: str) -> dict:
    return profile(language).get(name, {})


def with_section(name: str) -> dict[str, dict]:
    """Each language that has the section, with it: e.g. with_section("dates")."""
    return {code: spec[name] for code, spec in profiles().items() if name in spec}


def in_scripts_we_read(name: str) -> bool:
    """Latin or Cyrillic names only: the languages newsbeam reads write no others."""
    return any(c.isalpha() for c in name) and all(
        not c.isalpha() or c.isascii() or "LATIN" in unicodedata.name(c, "") or "CYRILLIC" in unicodedata.name(c, "")
        for c in name)
