"""Articles in other languages never meet the English model: each gets its entities from its own language's
backend or from the names the run knows and the shape of names (transforms/nlp/multilingual.py, people.py),
its places and Cyrillic names under their English names (places.py, latin.py), and topics and statuses only
from the phrases of its language's profile (transforms/nlp/topics.py, transforms/events/keywords.py)."""

from __future__ import annotations

import dataclasses
import re
import time

from apache_beam.metrics import Metrics

from schemas.records import Article, analysed_text
from schemas.tables import ENTITIES, TABLE_OF, TOPICS
from transforms.common import worker_resource
from transforms.events.keywords import KeywordStatuses
from transforms.languages import section
from transforms.nlp import bodies, organisations
from transforms.nlp.currencies import country_of_money
from transforms.nlp.entities import CYRILLIC, EntityTagger
from transforms.nlp.entity_ids import identified
from transforms.nlp.fixtures import with_clubs, with_teams
from transforms.nlp.latin import initials_first, known_to_the_data, known_to_the_run, latin
from transforms.nlp.morphology import (
    canonical_names,
    given_and_patronymic,
    only_a_given_name,
    place_nominative,
    with_yo,
)
from transforms.nlp.multilingual import OtherLanguages
from transforms.nlp.places import Gazetteer
from transforms.nlp.small_places import common_noun, known_places_only
from transforms.nlp.topics import TopicMatcher

STAGE = "nlp"
# not I, V or X: German writes a ruler's number with a full stop ("Karl V.", Charles V)
_LAST_WORD_AN_INITIAL = re.compile(r"\s([^\W\d_IVX])$")


class OtherLanguagesAnalyser:
    """A batch of articles in other languages -> each with its (table, row) pairs; built once per worker.
    `chosen`: language -> the backend the user named (`--model fr=fr_core_news_md`)."""

    def __init__(self, chosen: dict[str, str]):
        self.entities = worker_resource(("entities",), EntityTagger)
        self.others = worker_resource(("other-languages", tuple(sorted(chosen.items()))),
                                      lambda: OtherLanguages(chosen))
        self.topic_languages = TopicMatcher.languages()
        self.other_languages = Metrics.counter(STAGE, "articles_not_in_english")
        self.spent = Metrics.counter("entities", "usec")

    def analyse(self, batch: list[Article], full_names: dict) -> list[tuple[Article, list]]:
        return [(article, self._rows(article, full_names)) for article in batch]

    def _rows(self, article: Article, full_names: dict) -> list:
        """Entities only, from the article's own language (multilingual.OtherLanguages)."""
        started = time.perf_counter()
        self.other_languages.inc()
        # built on the first article not in English: a run of English articles never loads it
        places = worker_resource(("places",), Gazetteer)
        spans = bodies.with_heads_of_places(self.others.spans(article, full_names), analysed_text(article),
                                            article.language)
        spans = with_teams(spans, analysed_text(article), article.language,
                           lambda name: places.resolve(name, article.language) is not None,
                           lambda name: getattr(places.resolve(name, article.language), "is_country", False))
        spans = with_clubs(spans, analysed_text(article), article.language)
        rows = self.entities.rows(article, spans, full_names)
        names = canonical_names([r.canonical for r in rows if r.label == "PERSON" and CYRILLIC.search(r.canonical)],
                                article.language, analysed_text(article))
        rows = [dataclasses.replace(r, canonical=names[r.canonical]) if r.label == "PERSON" and r.canonical in names
                else dataclasses.replace(r, canonical=place_nominative(r.canonical, article.language))
                if r.label == "GPE" and CYRILLIC.search(r.canonical) else r for r in rows]
        rows = organisations.without_competitions(organisations.with_english_names(rows, article.language))
        rows = organisations.countries_as_places(rows, lambda name: places.beyond_cities(name, article.language))
        rows = places.with_english_names(rows, article.language, article)
        country = places.article_country(rows, article.language)
        if country is None:  # an article that names no place: its money may tell ("Q179 millones")
            code = country_of_money(analysed_text(article), article.language)
            country = (code, places.country_names.get(code, code)) if code else None
        if country is None:  # or a place inside another name ("Tribunal ... de La Paz")
            country = places.country_in_text(analysed_text(article), article.language)
        rows = bodies.with_english_names(rows, article.language, analysed_text(article), country,
                                         bodies.english_place_names(places, article.language),
                                         bodies.country_names(places, article.language))
        rows = organisations.transliterated(rows, article.language)
        nlp = (self.others.models.get(article.language) or (None,))[0]
        rows = organisations.without_common_nouns(rows, article.language, nlp)
        rows = known_places_only(rows, article.language, country, analysed_text(article), common_noun(nlp))
        rows = [dataclasses.replace(r, canonical=in_latin(r.canonical, article.language, full_names))
                if r.label == "PERSON" and CYRILLIC.search(r.canonical) else r for r in rows]
        rows = identified(with_initials_stopped(by_full_name(rows, article.language)))
        self.spent.inc(int((time.perf_counter() - started) * 1e6))
        topics = []
        if article.language in self.topic_languages:
            matcher = worker_resource(("topics", article.language), lambda: TopicMatcher(language=article.language))
            topics = matcher.rows(article, [matcher.nlp.make_doc(analysed_text(article))])
        keywords = worker_resource(("keyword-statuses",), KeywordStatuses.load).get(article.language)
        events = keywords.rows(article, rows) if keywords else []
        return [(ENTITIES, r) for r in rows] + [(TOPICS, r) for r in topics] + [(TABLE_OF[type(r)], r) for r in events]


def in_latin(name: str, language: str | None, full_names: dict) -> str:
    """A person's name in Cyrillic in Latin letters, under the full name the run's English articles give the
    person where one sounds as it does ("Бастиан Швайнштайгер": "Bastian Schweinsteiger", not the
    transliteration "Bastian Shvaynshtayger"), else the alias data's ("Трамп" alone: Donald Trump); as written
    where the language has no transliteration. A surname printed without its "ё" gets it back where the English
    spelling shows it (the profile's [names] yo_after). A given name alone is no one's surname ("Павел" is not
    Sandy Powell)."""
    name = with_yo(name, language, section(language, "names").get("yo_after", ""))
    written = latin(initials_first(name), language) or name
    if " " not in name and only_a_given_name(name, language):
        return written
    return known_to_the_run(written, full_names, language) or known_to_the_data(written) or written


def by_full_name(rows: list, language: str | None) -> list:
    """A person named by given name and patronymic alone ("Александра Григорьевича") is the one person the article
    names in full with that given name ("Alexander Lukashenko"); with none or several, the name as it is."""
    full = [r.canonical for r in rows if r.label == "PERSON" and len(r.canonical.split()) > 1
            and not given_and_patronymic(r.mention, language)]
    named = {}
    for row in rows:
        if row.label == "PERSON" and row.mention not in named and given_and_patronymic(row.mention, language):
            people = {name for name in full if name.split()[0] == row.canonical.split()[0]}
            named[row.mention] = people.pop() if len(people) == 1 else row.canonical
    return [dataclasses.replace(r, canonical=named[r.mention]) if r.label == "PERSON" and r.mention in named else r
            for r in rows]


def with_initials_stopped(rows: list) -> list:
    """A person named by a given name and an initial ("Yassin E.", "Daniel H.": the French and German press's
    way with a suspect) keeps the initial's full stop, which cleaning the mention took off as punctuation."""
    return [dataclasses.replace(r, canonical=r.canonical + ".") if r.label == "PERSON" and (
        initial := _LAST_WORD_AN_INITIAL.search(r.canonical)) and r.mention.endswith(f" {initial.group(1)}.") else r
        for r in rows]
