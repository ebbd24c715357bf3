"""Regions' names per language from ISO 3166-2 (transforms/nlp/regions.py, data/regions.tsv)."""

from transforms.nlp import regions


def test_a_romanised_region_is_written_back_in_the_one_reading_the_dictionary_knows():
    assert regions.unromanised("Moskovskaya oblast'", "ru") == "Московская область"
    assert regions.unromanised("Khanty-Mansiyskiy avtonomnyy okrug", "ru") == "Ханты-Мансийский автономный округ"
    assert regions.unromanised("Respublika Tatarstan", "ru") == "Республика Татарстан"
    assert regions.unromanised("Moskovskaya oblast'", "de") is None  # German's profile says no romanisation


def test_an_iso_name_inverted_or_bracketed_gives_each_of_its_names():
    assert regions.iso_names("Tatarstan, Respublika") == ["Respublika Tatarstan", "Tatarstan"]
    assert regions.iso_names("Catalunya [Cataluña]") == ["Catalunya", "Cataluña"]
    assert regions.iso_names("Armagh City, Banbridge and Craigavon") == ["Armagh City, Banbridge and Craigavon"]


def test_the_data_file_names_each_region_in_english_and_in_the_profiles_languages():
    by_name = {name: (code, country, english) for name, code, country, english in regions.read()}
    assert by_name["bayern"] == by_name["baviere"] == ("DE-BY", "DE", "Bavaria")
    assert by_name["московская область"] == by_name["moscow oblast"] == ("RU-MOS", "RU", "Moscow Oblast")
    # a region named after a city takes the city's English name, a former name too
    assert by_name["свердловская область"][2] == "Sverdlovsk Oblast"
    assert by_name["краснодарскии краи"][2] == "Krasnodar Krai"  # folded: й without its breve


def test_a_region_iso_codes_names_only_in_its_own_language_takes_its_english_name():
    by_name = {name: (code, country, english) for name, code, country, english in regions.read()}
    assert by_name["toscana"] == by_name["tuscany"] == ("IT-52", "IT", "Tuscany")
    assert by_name["niedersachsen"][2] == "Lower Saxony"
    assert by_name["bretagne"][2] == "Brittany"
    assert by_name["cataluna"][2] == "Catalonia"
