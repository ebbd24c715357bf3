"""Teams named in a fixture or a result are organisations in a sports report (transforms/nlp/fixtures.py)."""

from transforms.nlp.fixtures import teams, with_clubs, with_teams

REPORT = ("Sarà Ghersini l'arbitro di Cagliari-Juventus, in campo domani sera, partita del girone di ritorno in "
          "Serie A. Piccinini è stato designato per Torino-Roma.")


def named(text: str, language: str, **kwargs) -> list[str]:
    return [text[start:end] for start, end in teams(text, language, **kwargs)]


def test_the_teams_of_a_fixture_or_a_result_are_found_in_a_sports_report():
    assert named(REPORT, "it") == ["Cagliari", "Juventus", "Torino", "Roma"]
    assert named("Futsal: Svezia-San Marino 9-4, in partita un paio di gol", "it") == ["Svezia", "San Marino"]
    text = "Brighton 2-0 Manchester United: gol de Marc Cucurella. Manchester United vs. Brighton, el partido de fútbol"
    assert named(text, "es") == ["Brighton", "Manchester United", "Manchester United", "Brighton"]


def test_names_joined_by_a_hyphen_outside_sport_or_known_as_one_place_are_no_fixture():
    assert named("La Parigi-Roubaix attraversa il nord della Francia.", "it") == []
    assert named("Il treno Bologna-Firenze e la partita di calcio in Serie A", "it",
                 is_place=lambda name: name == "Bologna-Firenze") == []
    # German joins two nouns by a hyphen as often as two teams
    assert named("Die Saison-Niederlage im Fußball: der Trainer und die Spieler", "de") == []


def test_a_team_is_an_organisation_wherever_the_report_names_it():
    text = "Lazio-Brescia in Serie A: partita di calcio. Il Brescia vince."
    spans = [("Lazio-Brescia", "GPE", 0), ("Brescia", "GPE", text.index("Brescia vince"))]
    assert with_teams(spans, text, "it") == [("Lazio", "ORG", 0), ("Brescia", "ORG", 6),
                                             ("Brescia", "ORG", text.index("Brescia vince"))]


def test_a_side_that_is_a_country_is_its_national_team_and_stays_a_place():
    text = "Futsal: Svezia-San Marino 9-4, in partita un paio di gol concessi nelle qualificazioni"
    spans = with_teams([], text, "it", is_country=lambda name: name in ("Svezia", "San Marino"))
    assert spans == [("Svezia", "GPE", 8), ("San Marino", "GPE", 15)]
    assert with_teams([], REPORT, "it", is_country=lambda name: False)[0] == ("Cagliari", "ORG", REPORT.index("Cag"))


def test_a_club_named_as_its_city_is_the_club_in_a_sports_report_but_not_after_a_preposition_of_place():
    text = "Calcio, Serie A: la Roma batte il Torino in campionato e torna a Roma. Il sindaco di Roma applaude."
    spans = [("Roma", "GPE", text.index("Roma")), ("Roma", "GPE", text.index("torna a Roma") + 8),
             ("Roma", "GPE", text.index("di Roma") + 3)]
    assert [label for _, label, _ in with_clubs(spans, text, "it")] == ["ORG", "GPE", "GPE"]
    text = "Экс-игрок Арсенала и Баварии провёл 129 матчей за сборную, забив 48 голов. Он живёт в Баварии."
    spans = [("Баварии", "GPE", text.index("Баварии")), ("Баварии", "GPE", text.rindex("Баварии"))]
    assert [label for _, label, _ in with_clubs(spans, text, "ru")] == ["ORG", "GPE"]
    # outside sport the city is the city
    text = "La Roma antica e i suoi monumenti."
    assert with_clubs([("Roma", "GPE", 3)], text, "it") == [("Roma", "GPE", 3)]
