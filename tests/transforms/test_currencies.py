"""The country an article's money tells, for its national bodies where it names no place
(transforms/nlp/currencies.py)."""

from schemas.records import EntityMention
from transforms.nlp import bodies
from transforms.nlp.currencies import country_of_money


def test_money_in_one_countrys_currency_tells_the_country():
    assert country_of_money("el MEM ha ejecutado unos Q179 millones del subsidio", "es") == "GT"
    assert country_of_money("no pagará ni 5.000 colones de rescate", "es") == "CR"
    assert country_of_money("подорожал до 500 ₽ за литр", "ru") == "RU"
    assert country_of_money("la dette en francs CFA et 300 quetzals guatémaltèques", "fr") == "GT"


def test_money_of_several_countries_or_no_money_tells_nothing():
    assert country_of_money("für 3 Millionen Euro und 20 Dollar", "de") is None
    assert country_of_money("cuesta 300 pesos", "es") is None  # Argentina's, Mexico's, Chile's ...
    # a letter that is a symbol somewhere is no money before a bare number: a quarter, a summit, a date
    assert country_of_money("en el Q1 de 2023, el G7 se reunió", "es") is None
    assert country_of_money("Le 10 juin le commandement britannique", "fr") is None


def test_a_body_in_an_article_that_names_no_place_takes_the_country_of_its_money():
    text = "Para el subsidio al propano aprobaron Q150 millones en el Congreso."
    row = EntityMention(article_id="a", published_date=None, canonical="Congreso", label="ORG", mention="Congreso")
    country = country_of_money(text, "es")
    assert bodies.with_english_names([row], "es", text, (country, "Guatemala"))[0].canonical == "Congress of Guatemala"
