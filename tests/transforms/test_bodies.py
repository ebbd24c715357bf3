"""A country's national bodies under their English names, with the article's country (transforms/nlp/bodies.py)."""

import pytest

from schemas.records import EntityMention
from transforms.nlp import bodies
from transforms.nlp.places import Gazetteer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


def row(name: str, label: str = "ORG") -> EntityMention:
    return EntityMention(article_id="a", published_date=None, canonical=name, label=label, mention=name)


def english(rows: list[EntityMention], language: str, text: str = "", gazetteer: Gazetteer | None = None) -> list:
    country = gazetteer.article_country(rows, language) if gazetteer else None
    return [(r.mention, r.canonical) for r in bodies.with_english_names(rows, language, text, country)]


def test_a_national_body_takes_its_english_name_with_the_articles_country(gazetteer):
    rows = [row("Corte Suprema"), row("Ministerio de Energía y Minas"), row("Jujuy", "GPE")]
    assert english(rows, "es", gazetteer=gazetteer)[:2] == [
        ("Corte Suprema", "Supreme Court of Argentina"),
        ("Ministerio de Energía y Minas", "Ministry of Energy and Mines (Argentina)")]
    rows = [row("Bundesregierung"), row("Bundesrat"), row("Bern", "GPE")]
    assert english(rows, "de", gazetteer=gazetteer)[:2] == [
        ("Bundesregierung", "Federal Council (Switzerland)"), ("Bundesrat", "Federal Council (Switzerland)")]


def test_a_body_in_an_article_that_names_no_country_keeps_its_text():
    assert english([row("Ministerio de Trabajo")], "es") == [("Ministerio de Trabajo", "Ministerio de Trabajo")]
    # a body of one country needs none
    assert english([row("Bundestages")], "de") == [("Bundestages", "Bundestag")]


def test_a_ministry_of_fields_not_in_the_data_keeps_its_text(gazetteer):
    rows = [row("Ministerio de Asuntos Raros"), row("Lima", "GPE")]
    assert english(rows, "es", gazetteer=gazetteer)[0] == ("Ministerio de Asuntos Raros", "Ministerio de Asuntos Raros")


def test_a_generic_word_for_the_state_is_no_name():
    rows = [row("Gobierno"), row("el Estado"), row("Gobierno", "PERSON")]
    assert english(rows, "es") == [("Gobierno", "Gobierno")]  # a person's name is left alone


def test_an_abbreviation_given_in_brackets_is_the_name_it_follows(gazetteer):
    text = "Hasta ayer la Policía Nacional Civil (PNC) de El Salvador había detenido a 14 personas. La PNC dijo..."
    rows = [row("Policía Nacional Civil"), row("PNC"), row("El Salvador", "GPE")]
    assert english(rows, "es", text, gazetteer)[:2] == [
        ("Policía Nacional Civil", "National Civil Police (El Salvador)"),
        ("PNC", "National Civil Police (El Salvador)")]
    # letters that are not the name's are no abbreviation of it
    text = "El Instituto Nacional (PNC) dijo..."
    assert english([row("Instituto Nacional"), row("PNC")], "es", text) == [
        ("Instituto Nacional", "Instituto Nacional"), ("PNC", "PNC")]


def test_a_bodys_first_word_alone_is_the_one_body_it_begins():
    rows = [row("Corte Suprema"), row("Corte"), row("Consejo de la Magistratura")]
    assert [c for _, c in english(rows, "es")] == ["Corte Suprema", "Corte Suprema", "Consejo de la Magistratura"]


def test_the_articles_country_counts_places_in_organisations_names(gazetteer):
    rows = [row("Tribunal de Sentencia de La Paz"), row("Ministerio Público")]
    assert gazetteer.article_country(rows, "es") == ("BO", "Bolivia")
    assert english(rows, "es", gazetteer=gazetteer)[1] == ("Ministerio Público", "Public Prosecutor's Office (Bolivia)")


def test_an_institution_named_after_its_place_takes_its_english_name(gazetteer):
    def named(rows, language):
        english_place = bodies.english_place_names(gazetteer, language)
        return [r.canonical for r in bodies.with_english_names(rows, language, "", None, english_place)]

    rows = [row("Universidad de Zaragoza"), row("Universidad de Yale"), row("Universidad Nacional de Córdoba")]
    assert named(rows, "es") == ["University of Zaragoza", "Universidad de Yale", "National University of Córdoba"]
    assert named([row("Università di Bologna"), row("Politecnico di Milano")], "it") == [
        "University of Bologna", "Polytechnic University of Milan"]
    # a German head is no French one
    assert named([row("Université d’Orléans"), row("Universität Wien")], "fr") == [
        "University of Orléans", "Universität Wien"]


def test_a_body_whose_name_ends_with_its_country_is_that_countrys(gazetteer):
    # the article also names Mexico, first: a body that says its country is that country's all the same
    rows = [row("Secretaría de Salud de México"), row("Ministerio de Salud de Chile"), row("Banco Central de Chile"),
            row("Ministerio de Salud de la Provincia")]
    country = gazetteer.article_country(rows, "es")
    named = bodies.with_english_names(rows, "es", "", country, country_named=bodies.country_names(gazetteer, "es"))
    assert [r.canonical for r in named] == ["Secretariat of Health (Mexico)", "Ministry of Health (Chile)",
                                            "Central Bank of Chile", "Ministerio de Salud de la Provincia"]


def test_a_ministrys_head_is_read_in_any_of_its_case_forms(gazetteer):
    rows = [row("Bundesministeriums für Gesundheit"), row("Bundesministerium der Finanzen"), row("Berlin", "GPE")]
    assert english(rows, "de", gazetteer=gazetteer)[:2] == [
        ("Bundesministeriums für Gesundheit", "Federal Ministry of Health (Germany)"),
        ("Bundesministerium der Finanzen", "Federal Ministry of Finance (Germany)")]
    for name, language, english_name in [("Ministère de la Santé du Canada", "fr", "Ministry of Health (Canada)"),
                                         ("Ministero della Salute dell'Albania", "it", "Ministry of Health (Albania)")]:
        named = bodies.with_english_names([row(name)], language, "", None,
                                          country_named=bodies.country_names(gazetteer, language))
        assert [r.canonical for r in named] == [english_name]


def test_a_russian_ministry_named_by_its_short_name_is_russias():
    from transforms.nlp import organisations

    rows = organisations.with_english_names([row("Минпромторга"), row("Минэнерго")], "ru")  # the profile's names
    assert [r.canonical for r in bodies.with_english_names(rows, "ru", "", ("RU", "Russia"))] == [
        "Ministry of Industry and Trade (Russia)", "Ministry of Energy (Russia)"]
