"""One identifier per canonical entity in every language (transforms/nlp/entity_ids.py)."""

import datetime

import pytest

from schemas.records import Article, EntityMention
from transforms.nlp.analyse import AnalyseFn
from transforms.nlp.entity_ids import entity_id
from transforms.nlp.labels import RelabelShardFn, pack, shard
from transforms.nlp.model import DEFAULT_MODEL

TEXTS = {
    "en": "Vladimir Putin and Donald Trump will meet in Budapest, the Kremlin said on Tuesday.",
    "de": "Das Gipfeltreffen zwischen Donald Trump und Wladimir Putin in Budapest ist abgesagt worden.",
    "fr": "Emmanuel Macron a rencontré Vladimir Poutine à Budapest, selon Dmitri Peskov.",
    "ru": "Владимир Путин и Дональд Трамп обсудили встречу в Будапеште, сообщил Дмитрий Песков.",
}


@pytest.fixture(scope="module")
def rows() -> dict[str, list[EntityMention]]:
    analyse = AnalyseFn(DEFAULT_MODEL)
    analyse.setup()
    found = {}
    for language, text in TEXTS.items():
        article = Article(article_id=language, source=language, title=None, published_date=None, date_source="",
                          language=language, text=text)
        found[language] = [t.value for t in analyse.process([article], {}) if isinstance(t.value, EntityMention)]
    return found


def ids_of(rows: list[EntityMention], canonical: str) -> set[str]:
    return {r.entity_id for r in rows if r.canonical == canonical}


def test_a_city_and_a_person_have_one_id_in_every_language_the_city_its_geonames_id(rows):
    assert {language: ids_of(found, "Budapest") for language, found in rows.items()} == {
        language: {"geonames:3054643"} for language in TEXTS}
    putin = {language: ids_of(found, "Vladimir Putin") for language, found in rows.items()}
    assert len(set.union(*putin.values())) == 1 and all(putin.values())
    assert next(iter(putin["en"])).startswith("person:")


def test_every_row_keeps_what_the_text_said_beside_its_canonical_and_id(rows):
    budapest = next(r for r in rows["ru"] if r.canonical == "Budapest")
    assert budapest.mention == "Будапеште" and budapest.label == "GPE"
    assert all(r.entity_id for found in rows.values() for r in found)


def test_an_id_is_stable_and_depends_on_the_kind_and_the_name_not_its_case_or_accents():
    assert entity_id("Marine Le Pen", "PERSON") == entity_id("MARINE LE PEN", "PERSON") == "person:" + \
        entity_id("Marine Le Pen", "PERSON").split(":")[1]
    assert entity_id("Jose Mourinho", "PERSON") == entity_id("José Mourinho", "PERSON")
    assert entity_id("Chelsea", "ORG") != entity_id("Chelsea", "PERSON")
    assert entity_id("Bavaria", "GPE") == "iso3166-2:DE-BY"  # a region: its ISO 3166-2 code
    assert entity_id("Oberdingelsbach", "GPE").startswith("place:")  # no GeoNames id: a hash


def test_a_name_relabelled_by_the_runs_vote_takes_the_id_of_its_new_kind():
    day = datetime.date(2026, 11, 3)
    rows = [EntityMention(article, day, "Chelsea", label, "Chelsea", entity_id("Chelsea", label))
            for article, label in (("a1", "PERSON"), ("a2", "ORG"), ("a3", "ORG"))]
    relabel = RelabelShardFn()
    relabel.setup()
    voted = list(relabel.process((shard("Chelsea"), [pack(rows[:1]), pack(rows[1:])])))
    assert {(r.article_id, r.label, r.entity_id) for r in voted} == {
        (article, "ORG", entity_id("Chelsea", "ORG")) for article in ("a1", "a2", "a3")}
