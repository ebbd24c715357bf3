"""Towns GeoNames knows are places, other unresolved "places" are not (transforms/nlp/small_places.py)."""

from schemas.records import EntityMention
from transforms.nlp.small_places import known_places_only


def place(name: str, entity_id: str = "") -> EntityMention:
    return EntityMention(article_id="a", published_date=None, canonical=name, label="GPE", mention=name,
                         entity_id=entity_id)


def test_a_town_too_small_for_the_gazetteer_is_a_place_with_its_geonames_id():
    rows = known_places_only([place("Roscoff"), place("Monthureux-sur-Saône")], "fr", None)
    assert [(r.canonical, r.entity_id) for r in rows] == [("Roscoff", "geonames:2982809"),
                                                           ("Monthureux-sur-Saône", "geonames:2992477")]


def test_a_word_the_model_took_for_a_place_that_no_data_knows_is_dropped():
    rows = [place("Hospitalier"), place("Meteociel"), place("Geneva", "geonames:2660646"),
            EntityMention("a", None, "Hospitalier", "ORG", "Hospitalier")]
    assert [(r.canonical, r.label) for r in known_places_only(rows, "fr", None)] == [
        ("Geneva", "GPE"), ("Hospitalier", "ORG")]  # resolved places and other kinds are left alone


def test_a_town_name_of_several_countries_takes_the_one_in_the_articles_country():
    found = known_places_only([place("Aigle")], "fr", ("CH", "Switzerland"))
    assert [r.entity_id for r in found] == ["geonames:2661834"]


def test_the_towns_of_every_country_that_speaks_the_language_are_places():
    # San Marino's towns in Italian, Panama's in Spanish, Luxembourg's in French
    rows = [place("Borgo Maggiore"), place("Domagnano")]
    assert [(r.canonical, r.entity_id) for r in known_places_only(rows, "it", None)] == [
        ("Borgo Maggiore", "geonames:3181793"), ("Domagnano", "geonames:3177542")]
    assert [r.canonical for r in known_places_only([place("Boquete")], "es", None)] == ["Boquete"]
    assert [r.canonical for r in known_places_only([place("Wiltz")], "fr", None)] == ["Wiltz"]


def test_a_town_abroad_in_cyrillic_letters_is_a_place_in_any_case():
    # GeoNames' Cyrillic names of towns of another country: "полет на Киркенес", "очертания Онфлёра"
    rows = known_places_only([place("Киркенес"), place("Онфлёра")], "ru", None)
    assert [(r.canonical, r.entity_id) for r in rows] == [("Kirkenes", "geonames:779303"),
                                                           ("Honfleur", "geonames:3013173")]
    # a Latin-letter name of a town abroad is not read: too many are words of the languages read so
    assert known_places_only([place("Kirkenes")], "fr", None) == []


def test_a_common_noun_is_a_town_only_after_a_preposition_of_place():
    nouns = {"ville", "grand"}.__contains__

    def kept(mention, text):
        return [r.canonical for r in known_places_only([place(mention)], "fr", None, text,
                                                       lambda word: nouns(word.casefold()))]

    assert kept("Ville", "le règlement de la Ville de Montréal") == []  # Villé, a village of Alsace
    assert kept("Grand", "les éducateurs de Noisy le Grand") == []
    assert kept("Grand", "Il est né à Grand, dans les Vosges.") == ["Grand"]
    assert kept("Roscoff", "le port de Roscoff") == ["Roscoff"]  # no noun: as before
