"""Event statuses and places in languages read by their profile's phrases: transforms/events/keywords.py."""

import dataclasses
import datetime

import pytest

from schemas.records import Article, EventMention, StatusMention
from transforms.events.keywords import KeywordStatuses


@pytest.fixture(scope="module")
def statuses() -> dict[str, KeywordStatuses]:
    return KeywordStatuses.load()


def test_the_shipped_language_capitals_table_is_what_its_script_builds_from_geonames_and_cldr():
    from transforms.events.identity import _language_capitals, build_language_capitals

    assert _language_capitals() == build_language_capitals()


@pytest.mark.parametrize("language, sentence, city", [
    ("de", "Das Treffen in der ungarischen Hauptstadt wurde abgesagt.", "Budapest"),
    ("de", "Die Gespräche in der saudischen Hauptstadt", None),  # "Saudi-Rial": the country's own word, no adjective
    ("de", "Gespräche in der iranischen Hauptstadt", "Tehran"),  # "Iranischer Rial"
    ("ru", "Встреча в венгерской столице отложена.", "Budapest"),
    ("ru", "Переговоры в саудовской столице", "Riyadh"),  # "саудовский риял"
    ("ru", "Саммит в российской столице", "Moscow"),  # "российский рубль", where the language is "русский"
    ("fr", "Le sommet dans la capitale hongroise a été reporté.", "Budapest"),
    ("fr", "les pourparlers dans la capitale saoudienne", "Riyadh"),
    ("es", "La cumbre en la capital húngara", "Budapest"),
    ("es", "la reunión en la capital rusa", "Moscow"),
    ("it", "Il vertice nella capitale ungherese", "Budapest"),
    ("it", "i colloqui nella capitale tedesca", "Berlin"),
])
def test_a_capital_named_by_its_countrys_adjective_in_any_case_form_is_the_city(statuses, language, sentence, city):
    assert [found for _at, found in statuses[language].capitals(sentence)] == ([city] if city else [])


def test_a_capital_word_with_no_countrys_adjective_beside_it_is_no_place(statuses):
    assert statuses["de"].capitals("Die Landeshauptstadt und die neue Hauptstadt des Landes") == []
    assert statuses["ru"].capitals("Глава столицы заявил") == []


def test_russian_statuses_come_from_russian_phrases_in_any_case_form(statuses):
    russian = statuses["ru"]
    assert russian.sentence_reports("Саммит в Будапеште отложен") == [("summit", "postponed", False)]
    assert russian.sentence_reports("Встреча Путина и Трампа в Будапеште не состоится") == \
        [("meeting", "cancelled", False)]
    assert russian.sentence_reports("Переговоры в Стамбуле прошли в понедельник") == [("talks", "held", False)]
    assert russian.sentence_reports("Путин и Трамп договорились о встрече в Будапеште") == \
        [("meeting", "planned", False)]
    assert russian.sentence_reports("Визит может быть перенесён") == [("visit", "postponed", True)]
    assert russian.sentence_reports("Саммит не отменён") == []  # negated
    assert russian.sentence_reports("Он поднялся на вершину") == []  # no event word


def test_what_german_says_will_not_take_place_is_cancelled(statuses):
    assert statuses["de"].sentence_reports("Das Treffen findet vorerst nicht statt.") == \
        [("meeting", "cancelled", False)]
    assert statuses["de"].sentence_reports("Das Treffen findet am Freitag statt.") == [("meeting", "planned", False)]


def _rows(analyse, article_id, language, date, title, body):
    article = Article(article_id=article_id, source=article_id, title=title, published_date=date, date_source="",
                      language=language, text=body)
    return [out.value for out in analyse.process([article], {}) if isinstance(out.value, StatusMention | EventMention)]


def test_russian_and_german_reports_of_the_budapest_summit_take_the_english_reports_id_and_alaska_stays_apart():
    from transforms.events.reconcile import resolve_ids
    from transforms.nlp.analyse import AnalyseFn
    from transforms.nlp.model import DEFAULT_MODEL

    analyse = AnalyseFn(DEFAULT_MODEL)
    analyse.setup()
    rows = {
        "en": _rows(analyse, "en", "en", datetime.date(2025, 10, 21), "Trump-Putin summit in Budapest put on hold",
                    "The planned summit between President Donald Trump and President Vladimir Putin in the Hungarian "
                    "capital has been postponed, officials said."),
        "alaska": _rows(analyse, "alaska", "en", datetime.date(2025, 8, 16), "Trump and Putin meet in Alaska",
                        "President Donald Trump and President Vladimir Putin held a summit in Anchorage, Alaska."),
        "de": _rows(analyse, "de", "de", datetime.date(2025, 10, 22), "Gipfel in Ungarn abgesagt",
                    "Das geplante Treffen von Trump und Putin in der ungarischen Hauptstadt findet vorerst nicht "
                    "statt."),
        "ru": _rows(analyse, "ru", "ru", datetime.date(2025, 10, 22), "Встреча в Будапеште отложена",
                    "Встреча Владимира Путина и Дональда Трампа в венгерской столице отложена."),
    }
    # within its article, the German report's "Gipfel in Ungarn" and its meeting in the Hungarian capital are one
    german = [row for row in rows["de"] if isinstance(row, StatusMention)]
    assert [(row.event, row.status, row.place) for row in german] == \
        [("summit", "cancelled", "Hungary"), ("meeting", "cancelled", "Budapest")]
    assert len({row.event_id for row in german}) == 1
    assert {(row.status, row.place) for row in rows["ru"]} == {("postponed", "Budapest")}
    ids = {key: {row.event_id for row in found} for key, found in resolve_ids(rows).items()}
    assert len(ids["en"] | ids["de"] | ids["ru"]) == 1
    assert not ids["alaska"] & ids["en"]


def test_spanish_and_italian_statuses_come_from_their_own_phrases(statuses):
    spanish, italian = statuses["es"], statuses["it"]
    assert spanish.sentence_reports("La cumbre de Budapest ha sido cancelada") == [("summit", "cancelled", False)]
    assert spanish.sentence_reports("Las negociaciones fueron aplazadas") == [("talks", "postponed", False)]
    assert spanish.sentence_reports("La reunión no fue aplazada") == []  # negated
    assert italian.sentence_reports("Il vertice di Budapest è stato rinviato") == [("summit", "postponed", False)]
    # an elided article is no part of the event's word
    assert italian.sentence_reports("L'incontro si terrà a Budapest") == [("meeting", "planned", False)]


def _entity(canonical, label, mention):
    from schemas.records import EntityMention

    return EntityMention("a", datetime.date(2025, 10, 22), canonical, label, mention)


def test_a_meeting_between_two_leaders_the_article_titles_is_their_summit_at_the_summits_place(statuses):
    article = Article("a", "a", "Gipfel in Ungarn abgesagt", datetime.date(2025, 10, 22), "", "de",
                      "US-Präsident Donald Trump hat das geplante Treffen mit Kremlchef Wladimir Putin abgesagt.")
    entities = [_entity("Hungary", "GPE", "Ungarn"), _entity("Donald Trump", "PERSON", "Donald Trump"),
                _entity("Vladimir Putin", "PERSON", "Wladimir Putin")]
    rows = [row for row in statuses["de"].rows(article, entities) if isinstance(row, StatusMention)]
    assert [(row.event, row.place) for row in rows] == [("summit", "Hungary"), ("summit", "Hungary")]
    assert len({row.event_id for row in rows}) == 1
    # untitled, they are two people who meet: a meeting
    untitled = dataclasses.replace(article, text="Das geplante Treffen von Trump und Putin wurde abgesagt.")
    entities = [_entity("Hungary", "GPE", "Ungarn"), _entity("Donald Trump", "PERSON", "Trump"),
                _entity("Vladimir Putin", "PERSON", "Putin")]
    assert [row.event for row in statuses["de"].rows(untitled, entities) if isinstance(row, StatusMention)] == \
        ["summit", "meeting"]


def test_the_country_of_a_leaders_title_is_not_where_the_event_is(statuses):
    article = Article("a", "a", None, datetime.date(2025, 10, 22), "", "ru",
                      "Президент США Дональд Трамп и президент России Владимир Путин отменили встречу.")
    entities = [_entity("United States", "GPE", "США"), _entity("Russia", "GPE", "России"),
                _entity("Donald Trump", "PERSON", "Дональд Трамп"),
                _entity("Vladimir Putin", "PERSON", "Владимир Путин")]
    rows = [row for row in statuses["ru"].rows(article, entities) if isinstance(row, StatusMention)]
    assert [(row.event, row.status, row.place) for row in rows] == [("summit", "cancelled", None)]


def test_a_sentence_naming_an_event_with_no_status_is_an_event_mention_of_its_articles_event(statuses):
    article = Article("a", "a", "Gipfel in Ungarn abgesagt", datetime.date(2025, 10, 22), "", "de",
                      "Das geplante Treffen in Budapest ist abgesagt. Bei dem Treffen sollte es um Gas gehen.")
    entities = [_entity("Hungary", "GPE", "Ungarn"), _entity("Budapest", "GPE", "Budapest")]
    rows = statuses["de"].rows(article, entities)
    assert [row.sentence for row in rows if isinstance(row, StatusMention)] == \
        ["Gipfel in Ungarn abgesagt", "Das geplante Treffen in Budapest ist abgesagt."]
    mentions = [row for row in rows if isinstance(row, EventMention)]
    assert [(row.sentence, row.status) for row in mentions][-1] == ("Bei dem Treffen sollte es um Gas gehen.", None)
    assert len({row.event_id for row in mentions}) == 1


def test_people_a_sentence_names_without_a_leaders_title_do_not_make_its_event_another(statuses):
    article = Article("a", "a", None, datetime.date(2022, 4, 20), "", "es",
                      "Roberto Morales abrió el encuentro del Comité Central. Ramiro Valdés también asiste al "
                      "encuentro. Encabezado por Miguel Díaz-Canel, el encuentro aprobó el informe.")
    entities = [_entity(name, "PERSON", name) for name in ("Roberto Morales", "Ramiro Valdés", "Miguel Díaz-Canel")]
    mentions = [row for row in statuses["es"].rows(article, entities) if isinstance(row, EventMention)]
    assert len(mentions) == 3
    assert len({row.event_id for row in mentions}) == 1


def test_an_event_its_words_call_another_is_not_the_one_its_article_names(statuses):
    article = Article("a", "a", None, datetime.date(2022, 4, 20), "", "es",
                      "El fiscal mantuvo una reunión con su par en Asunción. Agregó que próximamente mantendrá "
                      "otras reuniones con la fiscalía.")
    entities = [_entity("Asunción", "GPE", "Asunción")]
    mentions = [row for row in statuses["es"].rows(article, entities) if isinstance(row, EventMention)]
    assert [row.place for row in mentions] == ["Asunción", None]
    assert mentions[0].event_id != mentions[1].event_id


@pytest.mark.parametrize("language, text", [
    ("es", "En las reuniones anteriores de la comisión se plantearon preguntas. Rodríguez afirmó que el tema será "
           "abordado en la reunión de junio."),
    ("de", "Bei dem Treffen am Dienstag ging es um den Haushalt. Das Treffen am Freitag soll ihn beschließen."),
    ("ru", "Встреча в понедельник прошла спокойно. Встреча в пятницу будет трудной."),
])
def test_two_meetings_of_one_article_at_times_its_language_names_apart_are_two(statuses, language, text):
    article = Article("a", "a", None, datetime.date(2022, 4, 20), "", language, text)
    entities = [_entity("Rodríguez", "PERSON", "Rodríguez")] if "Rodríguez" in text else []
    mentions = [row for row in statuses[language].rows(article, entities) if isinstance(row, EventMention)]
    assert len(mentions) == 2 and all(row.times for row in mentions)
    assert mentions[0].event_id != mentions[1].event_id


@pytest.mark.parametrize("language, sentence, places, place", [
    ("de", "Die Gespräche um die Ukraine wurden abgesagt.", [("Ukraine", "Ukraine")], None),
    ("de", "Die Gespräche um die Ukraine in Genf wurden abgesagt.", [("Ukraine", "Ukraine"), ("Genf", "Geneva")],
     "Geneva"),
    ("fr", "Le sommet sur l'Ukraine a été reporté.", [("Ukraine", "Ukraine")], None),
    ("ru", "Переговоры по Украине отменили.", [("Украине", "Ukraine")], None),
    ("de", "Der Gipfel in der Ukraine wurde abgesagt.", [("Ukraine", "Ukraine")], "Ukraine"),
])
def test_a_place_an_event_is_about_is_not_where_it_is(statuses, language, sentence, places, place):
    entities = [_entity(canonical, "GPE", mention) for mention, canonical in places]
    article = Article("a", "a", None, datetime.date(2025, 10, 21), "", language, sentence)
    mentions = [row for row in statuses[language].rows(article, entities) if isinstance(row, EventMention)]
    assert mentions and [row.place for row in mentions] == [place] * len(mentions)


def test_a_count_of_meetings_is_none_in_particular_and_places_no_other(statuses):
    article = Article("a", "a", None, datetime.date(2022, 4, 20), "", "es",
                      "El secretario abrió la reunión en La Habana. En Matanzas hubo 5 095 encuentros. En "
                      "Guantánamo hubo 300 reuniones. Asisten a la reunión 105 miembros.")
    entities = [_entity("Havana", "GPE", "La Habana"), _entity("Matanzas", "GPE", "Matanzas"),
                _entity("Guantánamo", "GPE", "Guantánamo")]
    mentions = [row for row in statuses["es"].rows(article, entities) if isinstance(row, EventMention)]
    assert [row.place for row in mentions] == ["Havana", None, None, None]
    assert mentions[0].event_id == mentions[3].event_id not in {mentions[1].event_id, mentions[2].event_id}
