"""Places of other languages under one English name, from GeoNames and CLDR (transforms/nlp/places.py)."""

import pytest

from schemas.records import Article, EntityMention
from transforms.nlp.places import Gazetteer
from transforms.nlp.small_places import known_places_only


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


def test_a_town_abroad_in_a_russian_case_the_dictionary_does_not_know_is_found(gazetteer):
    # the nominative that the case ending may stand for: genitive of a noun in -й, a consonant, -а
    assert gazetteer.resolve("Билгорая", "ru").name == "Biłgoraj"
    assert gazetteer.resolve("Кракова", "ru").name == "Kraków"
    assert gazetteer.resolve("Сиэтла", "ru").name == "Seattle"
    assert gazetteer.resolve("Шанхае", "ru").name == "Shanghai"


def test_a_name_of_several_places_takes_the_one_in_the_articles_countries(gazetteer):
    assert gazetteer.resolve_all(["Bayonne"], "fr")["Bayonne"].country == "FR"  # not New Jersey's
    assert gazetteer.resolve_all(["Bayonne", "Jersey City"], "en")["Bayonne"].country == "US"


def test_rows_keep_what_resolves_nowhere_and_drop_streets(gazetteer):
    rows = [place("Genf"), place("Frankfurter Allee"), place("Oberdingelsbach")]
    assert [r.canonical for r in gazetteer.with_english_names(rows, "de")] == ["Geneva", "Oberdingelsbach"]
    assert [r.mention for r in gazetteer.with_english_names(rows, "de")] == ["Genf", "Oberdingelsbach"]


def article(text: str, language: str) -> Article:
    return Article(article_id="a", source="a", title=None, published_date=None, date_source="", language=language,
                   text=text)


def test_a_country_the_model_missed_is_a_place_under_its_english_name(gazetteer):
    text = "Nicole representará a Guatemala en Glasgow, tras entrenar en Aigle, Suiza."
    rows = gazetteer.with_english_names([place("Glasgow")], "es", article(text, "es"))
    assert sorted((r.mention, r.canonical) for r in rows) == [
        ("Glasgow", "Glasgow"), ("Guatemala", "Guatemala"), ("Suiza", "Switzerland")]


def test_a_country_inside_a_longer_name_is_not_one():
    text = "Laurence Bloch, directrice de France Inter, et Georgia Meloni. Viaje a Granada."
    rows = Gazetteer().with_english_names([EntityMention("a", None, "France Inter", "ORG", "France Inter")], "fr",
                                          article(text, "fr"))
    assert [r.canonical for r in rows] == ["France Inter"]
    # Spanish "Granada" is also Grenada's name, but names a larger city: left to the model
    assert gazetteer_places(Gazetteer(), "Viaje a Granada y a Perú.", "es") == ["Peru"]


def gazetteer_places(gazetteer: Gazetteer, text: str, language: str) -> list[str]:
    return [r.canonical for r in gazetteer.with_english_names([], language, article(text, language))]


def test_a_word_capitalised_only_where_sentences_start_is_no_place(gazetteer):
    text = "Lire aussi : Solidarité. Don de masques.\nCéréales, légumes et plantes. Youpi ! Des rafales dans la Manche."
    rows = [place(name) for name in ("Lire", "Solidarité", "Céréales", "Youpi", "Manche")]
    assert [r.canonical for r in gazetteer.with_english_names(rows, "fr", article(text, "fr"))] == ["Manche"]
    # German capitalises every noun: the start of a sentence says nothing there
    text = "Oberdingelsbach. Ein Urlaub."
    rows = gazetteer.with_english_names([place("Oberdingelsbach")], "de", article(text, "de"))
    assert [r.canonical for r in rows] == ["Oberdingelsbach"]


def test_an_inflected_place_that_resolves_nowhere_takes_the_articles_form(gazetteer):
    text = "Wein aus Südtirol. Die Weine Südtirols sind bekannt."
    rows = gazetteer.with_english_names([place("Südtirol"), place("Südtirols")], "de", article(text, "de"))
    assert [(r.mention, r.canonical) for r in rows] == [("Südtirol", "Südtirol"), ("Südtirols", "Südtirol")]


def test_russian_streets_in_any_case_are_no_places(gazetteer):
    rows = [place("Добрачину улицу"), place("Москве")]
    assert [r.mention for r in gazetteer.with_english_names(rows, "ru")] == ["Москве"]


def test_a_region_written_in_any_language_takes_its_english_name(gazetteer):
    assert {gazetteer.resolve_all([name], language)[name].name for name, language in (
        ("Bayern", "de"), ("Bavière", "fr"), ("Baviera", "it"), ("Бавария", "ru"))} == {"Bavaria"}
    assert gazetteer.resolve_all(["Kalifornien"], "de")["Kalifornien"].region == "US-CA"
    assert gazetteer.resolve_all(["Bolzano"], "it")["Bolzano"].region == ""  # the city before its province


def test_a_region_iso_romanises_from_cyrillic_takes_its_english_name(gazetteer):
    # iso-codes calls them "Kareliya", "Kaluzhskaya oblast'", "Kharkivska oblast"
    assert {name: gazetteer.resolve_all([name], language)[name].name for name, language in (
        ("Карелия", "ru"), ("Калужской области", "ru"), ("Харківська область", "uk"))} == {
        "Карелия": "Republic of Karelia", "Калужской области": "Kaluga Oblast", "Харківська область": "Kharkiv Oblast"}


def test_a_region_named_in_several_countries_but_not_the_articles_keeps_its_text(gazetteer):
    # Burkina Faso, Cameroon and Haiti each have a "Centre"; a French article names none of them
    assert "Centre" not in gazetteer.resolve_all(["Centre"], "fr")
    assert gazetteer.resolve_all(["Centre", "Haïti"], "fr")["Centre"].country == "HT"


def test_a_russian_place_of_several_words_is_found_in_any_case(gazetteer):
    from transforms.nlp.morphology import place_nominative

    found = {name: place_nominative(name, "ru") for name in ("Нижнем Новгороде", "Соединённых Штатах",
                                                             "Новой Зеландии", "Западнее полосы")}
    assert found["Западнее полосы"] == "Западнее полосы"  # no adjective and its noun: as written
    assert {name: place.name for name, place in gazetteer.resolve_all(list(found.values()), "ru").items()} == {
        "Нижний Новгород": "Nizhniy Novgorod", "Соединённые Штаты": "United States", "Новая Зеландия": "New Zealand"}


def test_a_country_in_the_name_of_a_body_or_a_city_is_not_one(gazetteer):
    text = ("Estudió en la Universidad de Chile. Vive en Andorra la Vella, cerca de Freiheitsstatue Ellis Island. "
            "En Suiza y con Andorra.")
    assert gazetteer_places(gazetteer, text, "es") == ["Switzerland", "Andorra"]


def test_a_continent_in_any_language_is_a_place_of_no_country(gazetteer):
    assert {gazetteer.resolve(name, language).name for name, language in (
        ("Europa", "de"), ("Europe", "fr"), ("Европа", "ru"))} == {"Europe"}
    assert gazetteer.resolve("Südamerika", "de").name == "South America"
    rows = [place("Europe"), place("Paris")]
    assert gazetteer.article_country(gazetteer.with_english_names(rows, "fr"), "fr") == ("FR", "France")


def test_a_place_the_model_missed_after_a_preposition_of_place_is_found(gazetteer):
    def added(text, language):
        return [(r.mention, r.canonical, r.entity_id)
                for r in gazetteer.with_english_names([], language, article(text, language))]

    # a province, not its capital San Salvador de Jujuy, which GeoNames also calls Jujuy
    assert added("No podemos tolerar que existan presos políticos en Jujuy ni la persecución.", "es") == [
        ("Jujuy", "Jujuy", "iso3166-2:AR-Y")]
    assert [name for _, name, _ in added("Von den sonnigen Hängen oberhalb Bozens gesungen.", "de")] == ["Bolzano"]
    assert [mention for mention, _, _ in added("Il travaille à la Défense depuis mai.", "fr")] == ["la Défense"]
    assert [name for _, name, _ in added("Он живёт в Краснодарском крае.", "ru")] == ["Krasnodar Krai"]
    # a longer name, an article before a noun, an abbreviation: no place
    assert added("Estudió en la Universidad de Chile y en Santa Cruz Bolivia.", "es") == []
    assert added("Motorhaube und Heckklappe aus GFK.", "de") == []
    # a city abroad known only by another of its names: Porvoo is Borgå in Swedish
    assert added("Allarme furti: tre colpi messi a segno a Borgo.", "it") == []


def test_a_russian_region_in_any_case_is_one_region_of_russia(gazetteer):
    moscow_oblast = gazetteer.resolve("Московской области", "ru")
    assert (moscow_oblast.name, moscow_oblast.region, moscow_oblast.country) == ("Moscow Oblast", "RU-MOS", "RU")
    assert gazetteer.resolve("Московская область", "ru") == gazetteer.resolve("Moscow Oblast", "en") == moscow_oblast
    assert gazetteer.resolve("Île-de-France", "fr").region == gazetteer.resolve("Иль-де-Франс", "ru").region == "FR-IDF"


def test_a_language_profile_added_as_data_names_the_countries_in_its_language(tmp_path, monkeypatch, gazetteer):
    # data/gazetteer.tsv holds the packaged profiles' names; a user's profile gets its own from CLDR
    assert gazetteer.resolve("Tyskland", "sv") is None
    (tmp_path / "languages").mkdir()
    (tmp_path / "languages" / "sv.toml").write_text('name = "Swedish"\n', encoding="utf-8")
    monkeypatch.setenv("NEWSBEAM_DATA", str(tmp_path))
    swedish = Gazetteer()
    assert swedish.resolve("Tyskland", "sv").name == "Germany"
    assert swedish.resolve("Schweiz", "de").name == "Switzerland"  # the packaged names stay
    assert swedish.resolve("Genf", "de").name == "Geneva"


def test_a_city_of_that_very_name_goes_before_a_bigger_one_that_is_only_also_called_so(gazetteer):
    # GeoNames also calls Tijuana "Zaragoza" and Dallas "Talas"; a short form of a name is still the name
    assert (gazetteer.resolve("Zaragoza", "es").name, gazetteer.resolve("Zaragoza", "es").country) == ("Zaragoza", "ES")
    assert gazetteer.resolve("Talas", "ru").country == "KG"
    assert gazetteer.resolve("Santa Cruz", "es").name == "Santa Cruz de la Sierra"


def test_countries_under_names_only_iso_codes_translates_are_found(gazetteer):
    assert gazetteer.resolve("Киргизия", "ru").name == "Kyrgyzstan"
    assert gazetteer.resolve("Birmanie", "fr").name == "Myanmar"


def test_a_sea_a_river_or_a_range_in_any_language_is_a_place_under_its_english_name(gazetteer):
    assert gazetteer.resolve("Средиземноморья", "ru").name == "Mediterranean"
    assert gazetteer.resolve("Ближнем Востоке", "ru").name == "Middle East"
    assert gazetteer.resolve("Tevere", "it").name == "Tiber"
    assert gazetteer.resolve("Rheins", "de").name == "Rhine"
    # a name a city or a region has keeps that place: the Dnieper's Russian name is the city Dnipro's too
    assert gazetteer.resolve("Днепр", "ru").name == "Dnipro"
    assert gazetteer.resolve("Manche", "fr").region == "FR-50"
    # with an id of its own, it is no unknown town to drop
    rows = known_places_only(gazetteer.with_english_names([place("Alpi")], "it"), "it", None)
    assert [(r.canonical, r.entity_id[:6]) for r in rows] == [("Alps", "place:")]


def test_an_accented_exonym_is_not_a_small_towns_own_name_once_folded(gazetteer):
    # French "Pékin" is one of Beijing's names; folded, it was the own name of Pekin, Illinois
    assert gazetteer.resolve("Pékin", "fr").name == "Beijing"
    assert gazetteer.resolve("Pekin", "fr").name == "Pekin"  # written so, the town's own name still comes first
    assert gazetteer.resolve("Zaragoza", "es").name == "Zaragoza"
    assert gazetteer.resolve("Hanoï", "fr").name == "Hanoi"


def test_a_country_closing_its_sentence_is_a_place_after_a_capitalised_word(gazetteer):
    # news sites end a headline or a line with their country's name
    text = "Associazione Culturale Il Timbro delinea la composizione del nuovo Direttivo San Marino."
    assert gazetteer.countries_missed([], text, "it") == ["San Marino"]
    assert gazetteer.countries_missed([], "I dati e la registrazione a San Marino San Marino.", "it") == ["San Marino"]
    # inside a sentence it may still be a longer name's, and so after a particle and a capitalised word
    assert gazetteer.countries_missed([], "Il nuovo Direttivo San Marino presenta il bilancio.", "it") == []
    assert gazetteer.countries_missed([], "Il lavora all'Institut Pasteur de Madagascar.", "fr") == []


def test_a_place_the_model_ran_into_the_words_after_it_is_that_place(gazetteer):
    rows = gazetteer.with_english_names([place("San Marino RIGHI"), place("Bologna San Marino")], "it")
    assert [(r.mention, r.canonical) for r in rows] == [
        ("San Marino RIGHI", "San Marino"), ("Bologna San Marino", "Bologna"), ("San Marino", "San Marino")]
    assert all(r.entity_id.startswith("geonames:") for r in rows)
    # words that begin with no place keep their text, to be a town or dropped (small_places)
    assert [r.canonical for r in gazetteer.with_english_names([place("Palazzo Graziani")], "it")] == [
        "Palazzo Graziani"]


def test_a_former_state_in_any_language_is_a_place_under_its_english_name(gazetteer):
    assert gazetteer.resolve("Чехословакию", "ru").name == "Czechoslovakia"
    assert gazetteer.resolve("Советского Союза", "ru").name == "Soviet Union"
    assert gazetteer.resolve("Sowjetunion", "de").name == "Soviet Union"
    assert gazetteer.resolve("DDR", "de").name == "East Germany"


def test_three_letters_name_a_city_only_as_its_own_name(gazetteer):
    # GeoNames lists an airport's code among its city's names: "CAP" was Cap-Haïtien, "BTS" Bratislava
    assert gazetteer.resolve("CAP", "fr") is None
    assert gazetteer.resolve("BTS", "fr") is None
    assert gazetteer.resolve("Cha", "fr") is None  # Chattanooga's code, in the Korean name "Cha Soona"
    assert gazetteer.resolve("Ulm", "de").name == "Ulm"  # a city of three letters by its own name still is one
    assert gazetteer.resolve("США", "ru").name == "United States"  # a country's abbreviation still is one


def test_a_saints_word_alone_is_no_place_a_longer_row_begins_with(gazetteer):
    # "San" is also a city of Mali (103,227 people): "San Saturnino", a saint's day, is none
    assert [r.canonical for r in gazetteer.with_english_names([place("San Saturnino")], "es")] == ["San Saturnino"]
    # nor is a word a particle of names follows: "Sud del Libano" is no region called Sud
    assert [r.canonical for r in gazetteer.with_english_names([place("Sud del Libano")], "it")] == ["Sud del Libano"]


def test_a_region_of_the_world_in_any_language_is_one_place(gazetteer):
    assert {gazetteer.resolve(name, language).name for name, language in (
        ("Osteuropa", "de"), ("Europe de l’Est", "fr"), ("Europa oriental", "es"), ("Восточной Европы", "ru"))} == {
        "Eastern Europe"}
    assert gazetteer.resolve("Lateinamerika", "de").name == gazetteer.resolve("América Latina", "it").name == (
        "Latin America")
    assert gazetteer.resolve("Южная Африка", "ru").name == "South Africa"  # a country of the name comes first
    assert [r.canonical for r in gazetteer.with_english_names([place("Europe du Sud")], "fr")] == ["Southern Europe"]


def test_a_place_whose_name_begins_with_an_article_is_found_after_a_preposition_fused_with_it(gazetteer):
    def named(mention, text, language):
        return [r.canonical for r in gazetteer.with_english_names([place(mention)], language, article(text, language))]

    assert named("Aia", "Il vertice all'Aia è stato rinviato.", "it") == ["The Hague"]
    assert named("Mans", "Il est arrivé au Mans mardi.", "fr") == ["Le Mans"]
    assert named("Haya", "El juicio del Haya.", "es") != ["The Hague"]  # "del" is "de el", not "de la"


def test_a_place_after_a_preposition_that_joins_names_is_one_only_after_a_lower_case_word(gazetteer):
    def added(text, language):
        return gazetteer.places_after_prepositions([], text, language)

    assert added("El líder del cártel de Sinaloa guarda prisión.", "es") == ["Sinaloa"]
    assert added("La banda musical de Ohio vuelve.", "es") == ["Ohio"]
    # an organisation's name, a date, a given name: none
    assert added("la Asociación Gremial de Dueños de Camiones de Valdivia. En la cita", "es") == []
    assert added("Miércoles, 04 de Mayo de 2022", "es") == []
    assert added("Es la madre de Florencia.", "es") == []
    # a city GeoNames only also calls so: Magallanes is one of Punta Arenas's names, and a region of Chile
    assert added("Viaja a su región natal de Magallanes.", "es") == []


def test_an_organisations_row_that_names_a_region_of_the_world_or_a_former_state_is_beyond_cities(gazetteer):
    assert gazetteer.beyond_cities("Proche-Orient", "fr") and gazetteer.beyond_cities("URSS", "fr")
    assert gazetteer.beyond_cities("Francia", "es")
    assert not gazetteer.beyond_cities("Hamas", "fr")  # a city's other name (Hamm) is no such place
