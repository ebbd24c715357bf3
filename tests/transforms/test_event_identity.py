"""One event, one id: transforms/events/identity.py."""

import datetime

from schemas.records import Article, EventMention, StatusMention
from transforms.events.identity import anchor_of, country_of
from transforms.events.mentions import Found, event_rows
from transforms.events.reconcile import resolve_ids

ORDER = ["cancelled", "postponed", "fast-tracked", "held", "planned"]
CONFIDENCE = {"asserted": 0.9, "hedged": 0.6}


def found(position, event, status, place=None, leaders=()):
    return Found(position, event, status, place, False, f"sentence {position}", tuple(leaders), tuple(leaders))


def ids(article_id, *mentions, story_id=None):
    article = Article(article_id, article_id, "headline", datetime.date(2025, 10, 21), "text", "en",
                      "headline\nlede\nbody", story_id=story_id)
    return [row.event_id for row in event_rows(article, list(mentions), lambda kind: ORDER, CONFIDENCE)
            if isinstance(row, StatusMention)]


def test_a_city_and_a_us_state_are_in_their_country():
    assert country_of("Budapest") == country_of("Hungary") == "HU"
    assert country_of("Alaska") == country_of("Anchorage") == "US"
    assert country_of("Riyadh") == "SA" and country_of("Istanbul") == "TR"
    assert country_of("the Gulf") is None and anchor_of("the Gulf") == "at the gulf"


def test_one_summit_between_its_leaders_has_one_id_whether_a_report_names_the_city_or_the_country():
    city = ids("a", found(0, "summit", "planned", "Budapest", ["putin", "trump"]))
    country = ids("b", found(0, "summit", "postponed", "Hungary", ["putin", "trump"]))
    leaders = ids("c", found(0, "summit", "cancelled", "Budapest", ["trump", "putin"]),
                  found(9, "summit", "cancelled", None, ["putin"]))
    assert city == country == leaders[:1] and leaders[1] == leaders[0]


def test_summits_in_other_countries_and_talks_in_other_cities_stay_apart():
    budapest = ids("a", found(0, "summit", "cancelled", "Budapest", ["putin", "trump"]))
    alaska = ids("b", found(0, "summit", "held", "Alaska", ["putin", "trump"]))
    riyadh, istanbul = ids("c", found(0, "talks", "held", "Riyadh")), ids("d", found(0, "talks", "held", "Istanbul"))
    assert budapest != alaska and riyadh != istanbul


def test_an_unnamed_event_is_its_articles_event_and_a_meeting_at_the_summits_place_is_the_summit():
    rows = ids("a", found(0, "summit", "cancelled", "Budapest", ["putin", "trump"]),
               found(5, "meeting", "planned", "Budapest"), found(9, "summit", "cancelled"))
    assert len(set(rows)) == 1


def test_meetings_are_one_event_within_a_story_not_across_the_run():
    one = ids("a", found(0, "meeting", "held", "London"), story_id="s1")
    same_story = ids("b", found(0, "meeting", "planned", "London"), story_id="s1")
    other_story = ids("c", found(0, "meeting", "held", "London"), story_id="s2")
    assert one == same_story and one != other_story


def test_an_article_whose_events_name_nothing_has_one_id_of_its_own():
    rows = ids("a", found(0, "meeting", "held"), found(5, "talks", "planned"))
    assert rows[0] is not None and len(set(rows)) == 1 and rows != ids("b", found(0, "meeting", "held"))


def test_the_shipped_country_tables_are_what_their_script_builds_from_geonames_and_cldr():
    """Workers read transforms/data/countries.tsv, capitals.tsv, country_names.tsv and city_states.tsv (~6 MB, where
    GeoNames' data costs ~100 MB): they must say what the installed data says (`make places-data` rewrites them)."""
    from transforms.events.identity import (
        _capitals,
        _city_states,
        _countries,
        _country_names_table,
        build_capitals,
        build_city_states,
        build_countries,
        build_country_names,
    )

    assert _countries() == build_countries()
    assert _capitals() == build_capitals()
    assert _country_names_table() == build_country_names()
    assert _city_states() == build_city_states()


def test_a_countrys_people_and_its_short_names_are_the_country():
    assert country_of("UK") == country_of("Britain") == country_of("London") == "GB"
    assert country_of("Hungarian") == "HU" and country_of("Pakistani") == "PK" and country_of("Afghan") == "AF"
    assert country_of("South Korean") == "KR" and country_of("French") == "FR" and country_of("American") == "US"
    assert country_of("English") is None  # a language of many countries, not one people


def test_a_meeting_placed_in_britain_and_one_placed_in_london_of_one_story_are_one_event():
    london = ids("a", found(0, "meeting", "held", "London"), story_id="s1")
    assert london == ids("b", found(0, "meeting", "planned", "Britain"), story_id="s1") \
        == ids("c", found(0, "meeting", "planned", "the UK"), story_id="s1")


def test_the_capital_named_by_its_countrys_people_is_the_city():
    from schemas.records import StatusMention
    from transforms.nlp.analyse import AnalyseFn
    from transforms.nlp.model import DEFAULT_MODEL

    analyse = AnalyseFn(DEFAULT_MODEL)
    analyse.setup()
    article = Article("a", "a", None, datetime.date(2025, 10, 22), "", "en",
                      "President Trump said the planned summit with President Putin in the Hungarian capital had "
                      "been cancelled.")
    rows = [out.value for out in analyse.process([article], {}) if isinstance(out.value, StatusMention)]
    assert [(row.status, row.place) for row in rows] == [("cancelled", "Budapest")]


def test_a_sentence_naming_the_event_without_a_status_is_its_coverage_under_the_same_id():
    from schemas.records import EventMention
    from transforms.nlp.analyse import AnalyseFn
    from transforms.nlp.model import DEFAULT_MODEL

    analyse = AnalyseFn(DEFAULT_MODEL)
    analyse.setup()
    article = Article("a", "a", None, datetime.date(2025, 10, 22), "", "en",
                      "The summit between Trump and Putin in Budapest has been postponed.\n"
                      "The agenda of the summit includes Ukraine.")
    rows = [out.value for out in analyse.process([article], {})]
    statuses = [(row.sentence[:12], row.status) for row in rows if isinstance(row, StatusMention)]
    mentions = [(row.sentence[:12], row.status) for row in rows if isinstance(row, EventMention)]
    assert statuses == [("The summit b", "postponed")]
    assert mentions == [("The summit b", "postponed"), ("The agenda o", None)]
    assert len({row.event_id for row in rows if isinstance(row, StatusMention | EventMention)}) == 1


def test_two_meetings_of_one_article_on_different_days_are_two_events_and_one_named_twice_is_one():
    from transforms.nlp.analyse import AnalyseFn
    from transforms.nlp.model import DEFAULT_MODEL

    analyse = AnalyseFn(DEFAULT_MODEL)
    analyse.setup()
    days = Article("a", "a", None, None, "", "en",
                   "Israeli Prime Minister Ariel Sharon met Mr Zinni yesterday.\n"
                   "On Sunday, Mr Zinni walked out of a security meeting.\n"
                   "An official described today's meeting as positive.")
    week = Article("b", "b", None, None, "", "en",
                   "Last week Ms Jamieson and Jack McConnell met representatives of both clubs.\n"
                   "Ms Jamieson described Friday's meeting as very productive.")
    ids = {}
    for out in analyse.process([days, week], {}):
        if isinstance(out.value, StatusMention):
            ids.setdefault(out.value.article_id, []).append(out.value.event_id)
    assert len(ids["a"]) == 3 and len(set(ids["a"])) == 3
    assert len(ids["b"]) == 2 and len(set(ids["b"])) == 1


def test_a_meeting_of_a_body_of_states_is_placed_where_it_meets_and_a_clause_ahead_of_it_keeps_its_own_day():
    from transforms.nlp.analyse import AnalyseFn
    from transforms.nlp.model import DEFAULT_MODEL

    analyse = AnalyseFn(DEFAULT_MODEL)
    analyse.setup()
    article = Article("a", "a", None, None, "", "en",
                      "India has been invited to take part in the G7 meeting taking place in London on Friday.\n"
                      "In London on Thursday ahead of the meeting, India's finance minister criticised the G7.")
    rows = [out.value for out in analyse.process([article], {}) if isinstance(out.value, StatusMention)]
    assert [row.place for row in rows] == ["London", "London"]
    assert len({row.event_id for row in rows}) == 1


def test_a_headlines_event_noun_that_the_tagger_reads_as_a_verb_is_the_articles_event():
    from schemas.records import EventMention
    from transforms.nlp.analyse import AnalyseFn
    from transforms.nlp.model import DEFAULT_MODEL

    analyse = AnalyseFn(DEFAULT_MODEL)
    analyse.setup()
    article = Article("a", "a", None, None, "", "en",
                      "Russia WTO talks 'make progress'\n"
                      "Talks on Russia's proposed membership of the World Trade Organisation have been making good "
                      "progress.")
    rows = [out.value for out in analyse.process([article], {}) if isinstance(out.value, EventMention)]
    assert [row.sentence[:6] for row in rows] == ["Russia", "Talks "]
    assert len({row.event_id for row in rows}) == 1


def test_an_articles_own_event_that_names_no_place_is_not_the_other_event_of_its_type_it_places():
    # "ONGC said it was in talks to buy Yukos assets" (the lede) and "deals sealed after talks in New Delhi"
    rows = ids("a", found(0, "talks", "held"), found(50, "talks", "held", "New Delhi"), found(90, "talks", "held"))
    assert rows[0] == rows[2] != rows[1]
    # "pension talks ended without agreement" (the lede) and "unions met Prescott in Gateshead": one event
    rows = ids("b", found(0, "talks", "held"), found(50, "meeting", "held", "Gateshead", ["prescott"]))
    assert len(set(rows)) == 1


def test_an_unplaced_meeting_named_by_a_body_of_states_is_that_bodys_meeting_where_the_article_places_it():
    def said(position, status, place, sentence):
        return Found(position, "meeting", status, place, False, sentence, (), ())

    rows = ids("a", said(0, "planned", None, "EU finance ministers meet on Thursday."),
               said(40, "held", None, "The plan was tabled after the recent G7 meeting."),
               said(90, "held", "London", "At their meeting in London, G7 finance ministers backed the plan."))
    assert rows[1] == rows[2] != rows[0]


def _reports(article_id, story_id, *mentions, published=datetime.date(2025, 10, 21)):
    article = Article(article_id, article_id, "headline", published, "text", "en",
                      "headline\nlede\nbody", story_id=story_id)
    return [row for row in event_rows(article, list(mentions), lambda kind: ORDER, CONFIDENCE)
            if isinstance(row, EventMention)]


def _said(position, event, status, place, leaders=(), times=()):
    return Found(position, event, status, place, False, f"sentence {position}", tuple(leaders), tuple(leaders),
                 tuple(times))


def _reconciled_in_beam(reports: dict) -> dict:
    import apache_beam as beam
    from apache_beam.testing.test_pipeline import TestPipeline
    from apache_beam.testing.util import assert_that, equal_to

    from transforms.events.reconcile import ReconcileEventIds, resolve_ids

    expected = resolve_ids(reports)
    rows = [row for article in reports.values() for row in article]
    with TestPipeline() as pipeline:
        events = pipeline | beam.Create(rows)
        statuses = pipeline | "NoStatuses" >> beam.Create([StatusMention("x", None, "summit", "held", None, "s", False,
                                                                          0.9, None)])
        found_statuses, found_events = (statuses, events) | ReconcileEventIds()
        assert_that(found_events | beam.Map(lambda row: (row.article_id, row.sentence, row.event_id)),
                    equal_to([(row.article_id, row.sentence, row.event_id)
                              for article in expected.values() for row in article]))
        assert_that(found_statuses | beam.Map(lambda row: row.event_id), equal_to([None]), label="StatusesKept")
    return expected


def test_a_summits_reports_naming_its_leaders_or_none_are_one_event_across_the_run_in_beam_as_in_the_evals():
    # one outlet names Trump ("his August summit with Trump in Alaska"), another no one ("at the Alaska summit")
    reports = {"a": _reports("a", "story-a", _said(0, "summit", "held", "Alaska", ["trump"], ["month:august"])),
               "b": _reports("b", "story-b", _said(0, "summit", "held", "Alaska"),
                             _said(40, "summit", "held", None))}
    assert len({row.event_id for rows in reports.values() for row in rows}) == 2
    reconciled = _reconciled_in_beam(reports)
    assert len({row.event_id for rows in reconciled.values() for row in rows}) == 1


def test_summits_at_other_places_of_a_country_or_in_other_months_or_between_other_leaders_stay_apart():
    reports = {"a": _reports("a", "story-a", _said(0, "summit", "held", "Alaska", ["putin", "trump"],
                                                   ["month:august"])),
               "b": _reports("b", "story-b", _said(0, "summit", "held", "Alaska", (), ["month:march"])),
               "c": _reports("c", "story-c", _said(0, "meeting", "held", "New York", ["rubio"])),
               "d": _reports("d", "story-d", _said(0, "summit", "planned", "Alaska", ["xi", "trump"],
                                                   ["month:november"]))}
    reconciled = _reconciled_in_beam(reports)
    assert len({row.event_id for rows in reconciled.values() for row in rows}) == 4


def test_an_articles_summit_and_meeting_at_two_places_of_one_country_are_two_events_and_a_city_in_its_state_one():
    # "At the Alaska summit, Trump ..." and "In a meeting with Rubio in New York in September, Lavrov ..."
    rows = ids("a", _said(0, "summit", "held", "Alaska"), _said(50, "meeting", "held", "New York", ["rubio"],
                                                                ["month:september"]),
               _said(90, "summit", "held", "Alaska"))
    assert rows[0] == rows[2] != rows[1]
    # "the summit in Anchorage" and "the Alaska summit": a city in its state is one place
    rows = ids("b", _said(0, "summit", "held", "Anchorage"), _said(50, "meeting", "held", "New York", ["rubio"]),
               _said(90, "summit", "held", "Alaska"))
    assert rows[0] == rows[2] != rows[1]
    reports = {"c": _reports("c", "story-c", _said(0, "summit", "held", "Anchorage", ["putin", "trump"])),
               "d": _reports("d", "story-d", _said(0, "summit", "held", "Alaska"))}
    assert len({row.event_id for rows in _reconciled_in_beam(reports).values() for row in rows}) == 1


def test_a_meeting_no_report_places_is_one_event_between_the_same_people_reported_within_a_month():
    # "Zinni met Arafat" in two outlets' stories two days apart; the same two in March; Zinni with Sharon
    def report(article_id, people, day):
        return _reports(article_id, f"story-{article_id}", _said(0, "meeting", "held", None, people),
                        published=day)

    reports = {"a": report("a", ["arafat", "zinni"], datetime.date(2001, 12, 10)),
               "b": report("b", ["arafat", "zinni"], datetime.date(2001, 12, 12)),
               "c": report("c", ["arafat", "zinni"], datetime.date(2002, 3, 20)),
               "d": report("d", ["sharon", "zinni"], datetime.date(2001, 12, 10))}
    assert len({row.event_id for rows in reports.values() for row in rows}) == 4
    reconciled = {key: {row.event_id for row in rows} for key, rows in _reconciled_in_beam(reports).items()}
    assert reconciled["a"] == reconciled["b"]
    assert len({next(iter(ids)) for ids in reconciled.values()}) == 3


def test_a_visit_is_one_across_stories_only_where_both_reports_say_whose_it_is():
    # "Schroeder began a three-day visit to Beijing" in two stories; "Mr Straw, visiting Beijing" (the NER named no one)
    reports = {"a": _reports("a", "story-a", _said(0, "visit", "held", "Beijing", ["schroeder"])),
               "b": _reports("b", "story-b", _said(0, "visit", "held", "Beijing", ["schroeder"])),
               "c": _reports("c", "story-c", _said(0, "visit", "held", "Beijing"))}
    reconciled = {key: rows[0].event_id for key, rows in _reconciled_in_beam(reports).items()}
    assert reconciled["a"] == reconciled["b"] != reconciled["c"]


def test_a_plan_with_no_day_is_not_the_meeting_its_article_dates_last_week_but_a_meeting_on_a_weekday_may_be():
    # "Unions will hold talks with Mr Prescott", "Mr Prescott held a meeting with union figures last week",
    # "no deal was offered in that meeting"
    rows = ids("a", _said(0, "talks", "planned", None, ["prescott"]),
               _said(50, "meeting", "held", None, ["prescott"], ["week:last"]),
               _said(90, "meeting", "held", None))
    assert rows[0] != rows[1] == rows[2]
    # "ahead of the meeting", "Tuesday's meeting is being hosted by Mr Blair": Tuesday is either side of the day
    rows = ids("b", _said(0, "meeting", "planned", None),
               _said(50, "meeting", "held", None, (), ["day:tuesday"]))
    assert rows[0] == rows[1]


def test_an_event_told_in_a_when_clause_takes_the_time_the_clause_hangs_from():
    from transforms.nlp.analyse import AnalyseFn
    from transforms.nlp.model import DEFAULT_MODEL

    analyse = AnalyseFn(DEFAULT_MODEL)
    analyse.setup()
    article = Article("a", "a", None, None, "", "en",
                      "Davos fans still hark back to 1994, when talks between Arafat and Peres came close to a deal.\n"
                      "In 1996, when Arafat and Peres held talks again, no deal came close.")
    rows = [out.value for out in analyse.process([article], {}) if isinstance(out.value, EventMention)]
    assert [(row.sentence[:12], row.times) for row in rows] == [("Davos fans s", "year:1994"),
                                                               ("In 1996, whe", "year:1996")]
    assert rows[0].event_id != rows[1].event_id


def analysed(text: str, article_id: str = "a", day: datetime.date = datetime.date(1980, 1, 21)) -> list[EventMention]:
    from transforms.nlp.analyse import AnalyseFn
    from transforms.nlp.model import DEFAULT_MODEL

    analyse = AnalyseFn(DEFAULT_MODEL)
    analyse.setup()
    article = Article(article_id, article_id, None, day, "", "en", text)
    return [row for row in (out.value for out in analyse.process([article], {})) if isinstance(row, EventMention)]


def test_a_summit_named_after_its_city_and_a_visit_to_a_country_are_placed_there():
    # the NER reads "the Tokyo Economic Summit" whole, and a visit is where it goes
    rows = analysed("At the Tokyo Economic Summit in June, the heads of government agreed to curb oil demand.\n"
                    "Last year the prime minister paid a visit to France.")
    assert [(row.event, row.place) for row in rows] == [("summit", "Tokyo"), ("visit", "France")]


def test_these_talks_are_the_talks_named_just_before_not_the_articles_first_talks():
    rows = analysed("Talks between the union and the company were postponed on Friday.\n"
                    "Officials held talks in Geneva on the arms treaty on Monday.\n"
                    "If these talks succeed, a treaty will be signed.")
    union, geneva, these = (row.event_id for row in rows)
    assert these == geneva != union


def test_talks_on_two_named_subjects_are_two_events_and_one_subject_in_two_articles_is_one():
    address = analysed("We intend to complete negotiations on the Trans-Pacific Partnership this year.\n"
                       "And tonight we will launch talks on a trade partnership with the European Union.")
    other = analysed("Ministers said negotiations on the Trans-Pacific Partnership would resume soon.")
    pacific, atlantic = (row.event_id for row in address)
    assert pacific != atlantic and [row.event_id for row in other] == [pacific]


def test_talks_about_one_thing_are_one_event_in_a_story_and_across_stories_reported_within_a_month():
    # no place, leader or named subject: a common noun says what they are about
    address = analysed("The strategic arms limitation talks have been long and difficult.\n"
                       "The trading nations are engaged in negotiations to reduce barriers to trade.", "address")
    message = analysed("We pledged to conclude the strategic arms limitation talks this year.", "message",
                       datetime.date(1980, 1, 23))
    next_year = analysed("The strategic arms limitation talks have been long and difficult.", "next-year",
                         datetime.date(1981, 1, 19))
    arms, trade = (row.event_id for row in address)
    assert arms != trade
    reconciled = resolve_ids({"address": address, "message": message, "next-year": next_year})
    arms, trade = (row.event_id for row in reconciled["address"])
    assert [row.event_id for row in reconciled["message"]] == [arms]
    assert [row.event_id for row in reconciled["next-year"]] != [arms]


def test_talks_of_one_field_on_other_things_are_two_events_and_a_plural_topic_is_its_singular():
    force = analysed("In the Mutual and Balanced Force Reduction talks, we put forward new proposals.", "force")
    arms = analysed("For our part, we are vigorously pursuing arms reduction negotiations.", "arms")
    plural = analysed("Ten years ago, the two powers decided to open the strategic arms limitations talks.", "plural")
    single = analysed("The strategic arms limitation talks have been long and difficult.", "single")
    assert [row.topic for rows in (force, arms, plural, single) for row in rows] == [
        "force reduction", "arms reduction", "arms limitation", "arms limitation"]
    reconciled = resolve_ids({"force": force, "arms": arms, "plural": plural, "single": single})
    assert reconciled["force"][0].event_id != reconciled["arms"][0].event_id
    assert reconciled["plural"][0].event_id == reconciled["single"][0].event_id


def test_unnamed_talks_in_an_address_that_recounts_many_events_are_none_of_them():
    rows = analysed("At the Tokyo Summit in June, the heads of government agreed to curb oil demand.\n"
                    "At the 1980 Economic Summit in Venice, I intend to propose further joint action.\n"
                    "We are now engaged in further negotiations to provide full autonomy for the people of the West "
                    "Bank.\nNegotiations are proceeding among concerned parties under the leadership of the Secretary "
                    "General.")
    assert len({row.event_id for row in rows}) == 4


def test_another_visit_is_not_the_visit_named_before_it():
    rows = analysed("In 1951 he brought the art to France with a visit to Paris.\n"
                    "That trip was followed by several further visits.")
    first, further = (row.event_id for row in rows)
    assert first != further


def test_unnamed_talks_after_an_article_names_two_talks_are_the_ones_named_just_before():
    # trade talks (the lede), then the arms talks, then "since then, during six years of negotiation"
    def about(position, status, topic):
        return Found(position, "talks", status, None, False, f"sentence {position}", (), (), topic=topic)

    rows = ids("a", about(0, "held", "trade"), about(50, "held", "arms limitation"), about(90, "held", ""))
    assert rows[2] == rows[1] != rows[0]


def test_a_summit_named_by_a_longer_name_is_not_placed_at_a_word_of_it():
    # "North American" is a region, not the United States; "Economic" after "Tokyo" still leaves Tokyo its place
    north = analysed("In April, we will host this year's North American Summit of Canada, Mexico and the US.")
    tokyo = analysed("At the Tokyo Economic Summit in June, the heads of government agreed to curb oil demand.")
    assert [(row.event, row.place) for row in north + tokyo] == [("summit", None), ("summit", "Tokyo")]


def test_a_report_that_could_be_two_events_at_its_place_is_the_one_whose_reports_share_its_names():
    # an encyclopedia's two paragraphs on the convention called to Philadelphia, and an address's NATO summit there;
    # the first paragraph names no one who meets and no time, so by who and when it could be either
    def told(article_id, sentence, leaders=()):
        return _reports(article_id, f"story-{article_id}", Found(0, "meeting", "planned", "Philadelphia", False,
                                                                 sentence, tuple(leaders), tuple(leaders)))

    reports = {"a": told("a", "Hamilton convened the Annapolis Convention to call a convention to meet in "
                              "Philadelphia."),
               "b": told("b", "At the Annapolis Convention, delegates called for all states to meet in Philadelphia "
                              "to revise the Articles of Confederation.", ["the federal convention"]),
               "c": told("c", "This April the NATO summit will meet in Philadelphia, said General Powell.", ["powell"])}
    reconciled = {key: rows[0].event_id for key, rows in _reconciled_in_beam(reports).items()}
    assert reconciled["a"] == reconciled["b"] != reconciled["c"]
    # one name in common ("Canada") is not enough to choose
    reports["a"] = told("a", "We will convene a summit of leaders from Canada to meet in Philadelphia.")
    reports["c"] = told("c", "Leaders of Canada and Mexico will meet Powell in Philadelphia.", ["powell"])
    reconciled = {key: rows[0].event_id for key, rows in _reconciled_in_beam(reports).items()}
    assert len(set(reconciled.values())) == 3


def test_a_summit_named_by_its_leaders_joined_by_a_dash_is_the_summit_naming_them_apart():
    # "Trump to meet Putin in Budapest", "Hungary prepares for Trump-Putin summit in Budapest", "a planned meeting
    # between the US and Russian leaders in Hungary has been shelved": one summit
    def told(article_id, place, participants, status="planned"):
        return _reports(article_id, f"story-{article_id}", Found(0, "summit", status, place, False, "sentence",
                                                                 (), tuple(participants)))

    reports = {"a": told("a", "Budapest", ["putin"]), "b": told("b", "Budapest", ["Trump-Putin"]),
               "c": told("c", "Hungary", ["Hungary", "Russian", "US"], "postponed")}
    assert len({rows[0].event_id for rows in _reconciled_in_beam(reports).values()}) == 1


def test_a_report_that_places_no_summit_is_the_placed_one_between_its_people_reported_within_a_month():
    # "Trump calls off summit with Putin" names no place: it is the Budapest summit reported that week, not the
    # Alaska summit two months before; a report the day after Alaska is Alaska; Putin and Xi are another meeting
    def told(article_id, day, *mentions):
        return _reports(article_id, f"story-{article_id}", *(Found(n * 50, "summit", status, place, False, "sentence",
                                                                   (), tuple(who)) for n, (status, place, who)
                                                             in enumerate(mentions)), published=day)

    reports = {"budapest": told("budapest", datetime.date(2025, 10, 16), ("planned", "Budapest", ["putin", "trump"])),
               "alaska": told("alaska", datetime.date(2025, 8, 15), ("held", "Alaska", ["putin", "trump"])),
               "off": told("off", datetime.date(2025, 10, 22), ("cancelled", None, ["putin"]),
                           ("cancelled", None, ["Russian", "Trump"])),
               "after": told("after", datetime.date(2025, 8, 16), ("held", None, ["putin", "trump"])),
               "xi": told("xi", datetime.date(2025, 10, 22), ("held", None, ["putin", "xi"]))}
    reconciled = {key: {row.event_id for row in rows} for key, rows in _reconciled_in_beam(reports).items()}
    assert reconciled["off"] == reconciled["budapest"] != reconciled["alaska"] == reconciled["after"]
    assert len({next(iter(ids)) for ids in reconciled.values()}) == 3


def test_a_bodys_summit_named_by_another_of_its_names_is_one_event_and_another_bodys_summit_at_its_place_is_not():
    # "the two-day European Council summit in Brussels begins on 16 December"; Blair, Schroeder and Berlusconi at
    # the EU summit in Brussels; NATO's summit in Brussels
    def told(article_id, *participants):
        return _reports(article_id, f"story-{article_id}", *(Found(n * 50, "summit", "held", "Brussels", False,
                                                                   "sentence", (), tuple(who))
                                                             for n, who in enumerate(participants)))

    reports = {"council": told("council", ["European Council"]),
               "eu": told("eu", ["berlusconi", "blair", "schroeder"], ["EU"]), "nato": told("nato", ["NATO"])}
    reconciled = {key: rows[0].event_id for key, rows in _reconciled_in_beam(reports).items()}
    assert reconciled["council"] == reconciled["eu"] != reconciled["nato"]


def test_a_summit_held_takes_no_place_from_one_planned_later():
    """A meeting of leaders held at Downing Street is not the EU summit planned in Brussels later in the week."""
    from transforms.events.mentions import fill_places

    held = found(0, "summit", "held", None, ["berlusconi", "blair", "schroeder"])
    planned = found(50, "summit", "planned", "Brussels")
    cancelled = found(90, "summit", "cancelled", None)
    places = [f.place for f in fill_places([held, planned, cancelled], frozenset({"summit"}))]
    assert places == [None, "Brussels", "Brussels"]
