"""Places of other languages under one English name, from GeoNames and CLDR (transforms/nlp/places.py)."""

import pytest

from schemas.records import EntityMention
from transforms.nlp.places import Gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


def place(name: str) -> EntityMention:
    return EntityMention(article_id="a", published_date=None, canonical=name, label="GPE", mention=name)


def test_a_place_written_in_any_language_takes_its_english_name(gazetteer):
    assert gazetteer.resolve("Genf", "de").name == "Geneva"
    assert gazetteer.resolve("Genève", "fr").name == "Geneva"
    assert {gazetteer.resolve(name, language).name for name, language in (
        ("Schweiz", "de"), ("Suisse", "fr"), ("Suiza", "es"), ("Швейцария", "ru"))} == {"Switzerland"}
    assert gazetteer.resolve("США", "ru").name == "United States"  # the profile's own names


def test_an_inflected_place_is_found_by_its_languages_endings(gazetteer):
    assert gazetteer.resolve("Italiens", "de").name == "Italy"  # German genitive
    assert gazetteer.resolve("Italiens", "fr") is None  # French has no such ending


def test_a_name_of_several_places_takes_the_one_in_the_articles_countries(gazetteer):
    assert gazetteer.resolve_all(["Bayonne"], "fr")["Bayonne"].country == "FR"  # not New Jersey's
    assert gazetteer.resolve_all(["Bayonne", "Jersey City"], "en")["Bayonne"].country == "US"


def test_rows_keep_what_resolves_nowhere_and_drop_streets(gazetteer):
    rows = [place("Genf"), place("Frankfurter Allee"), place("Oberdingelsbach")]
    assert [r.canonical for r in gazetteer.with_english_names(rows, "de")] == ["Geneva", "Oberdingelsbach"]
    assert [r.mention for r in gazetteer.with_english_names(rows, "de")] == ["Genf", "Oberdingelsbach"]
