"""Kinds of status errors that web pages and feed items showed (evals/labels/status_dev_web.toml), each guarded with
the real English model: a long page that mentions sport in passing, advice, talks under way, the prospect of talks,
a time that dates another event, and the negotiating table."""

from tests.transforms.test_status_kinds import article, statuses

FILLER = ("The company grew quickly in those years, and its engineers shipped new products every few months. " * 60)


def test_a_long_page_that_mentions_sport_in_passing_keeps_its_meetings_but_a_sports_report_does_not():
    # four sport words in some 900 words: a profile of a firm, not a sports report
    profile = article("profile", None, FILLER + "His coach at school had played football, and he watched the "
                      "matches for the title. He pitched the idea to Page in a meeting.")
    report = article("report", None, "The coach said the football matches for the title were hard. "
                     "Before her meeting with Martinez, the striker rested.")
    statuses([profile, report], [("profile", "meeting", "held")])


def test_advice_that_two_people_meet_reports_no_meeting():
    advice = article("advice", None, "He suggested that Page meet with the chief executives of Apple and Intel.")
    done = article("done", None, "Larry Page met the chief executives of Apple and Intel.")
    statuses([advice, done], [("done", "meeting", "held")])


def test_talks_under_way_or_in_progress_are_held_and_a_starting_point_for_talks_is_planned():
    headline = article("headline", "Crunch talks on new Greek bailout under way", "Ministers met on Friday.")
    progress = article("progress", None, "Talks between the two unions are in progress in Geneva.")
    prospect = article("prospect", None, "The request provided a starting point for more talks, a spokeswoman said.")
    statuses([headline, progress, prospect],
             [("headline", "talks", "held"), ("headline", "meeting", "held"), ("progress", "talks", "held"),
              ("prospect", "talks", "planned")])


def test_the_day_of_an_event_ahead_does_not_date_the_talks_held_before_it():
    before = article("before", None, "The German and Greek finance ministers are holding talks with IMF chiefs "
                     "ahead of a meeting of eurozone finance ministers on Friday.")
    statuses([before], [("before", "talks", "held"), ("before", "meeting", "planned")])


def test_the_negotiating_table_is_talks_in_the_tense_of_the_journey_to_it():
    brought = article("brought", None, "The sanctions have brought China to the negotiating table.")
    refused = article("refused", None, "The rebels refused to come to the negotiating table.")
    furniture = article("furniture", None, "He put the book on the table.")
    statuses([brought, refused, furniture], [("brought", "talks", "held")])


def test_thousands_of_visits_or_visitors_are_traffic_not_an_event_but_a_dated_visit_is():
    traffic = article("traffic", None, "In all, the thread received over 50,000 visits before the police shut it "
                                       "down.")
    shoppers = article("shoppers", None, "The centre said about 200,000 shoppers were expected to have visited by "
                                         "the close of play.")
    state = article("state", None, "The Chinese president made a state visit to France in 2005.")
    statuses([traffic, shoppers, state], [("state", "visit", "held")])


def test_talks_read_as_the_verb_talk_about_something_are_no_negotiations():
    podcast = article("podcast", "The gang talks about the best and worst moments playing WoW", "")
    news = article("news", None, "Iran held talks about its nuclear programme with the EU on Monday.")
    statuses([podcast, news], [("news", "talks", "held")])


def test_opposing_talks_does_not_say_they_happened():
    opposed = article("opposed", None, "In 1991, when Prime Minister Yitzhak Shamir opposed the Madrid peace talks, "
                                       "President Bush held back loan guarantees.")
    held = article("held", None, "Israel and Syria held peace talks in Madrid in 1991.")
    statuses([opposed, held], [("held", "talks", "held")])


def test_a_journeys_participle_for_an_event_takes_the_tense_of_its_clause():
    arrived = article("arrived", None, "Arriving for the Eurogroup meeting, Mr Varoufakis said he hoped for a deal.")
    ahead = article("ahead", None, "The minister will fly to Brussels for the Eurogroup meeting.")
    statuses([arrived, ahead], [("arrived", "meeting", "held"), ("ahead", "meeting", "planned")])


def test_a_habit_told_by_a_status_word_or_by_would_is_no_report_but_a_meeting_held_is():
    would = article("would", None, "When Eric Schmidt held big meetings with his direct reports, Page would show up "
                                   "with a laptop.")
    regular = article("regular", None, "Regular meetings are held in the town hall.")
    held = article("held", None, "The meeting was held in the town hall on Monday.")
    statuses([would, regular, held], [("held", "meeting", "held")])


def test_a_copula_that_says_what_such_events_are_reports_none_but_a_visit_of_someone_is_held():
    kind = article("kind", None, "They are intensive multi-day summits that include keynote speeches and workshops.")
    first = article("first", None, "This is his first visit to China since 2015.")
    statuses([kind, first], [("first", "visit", "held")])


def test_the_events_own_verb_in_the_present_of_a_body_is_a_plot_or_a_habit_unless_dated_or_a_headline():
    plot = article("plot", None, "While locked in a cell he meets an abducted girl who says she is from America.")
    today = article("today", None, "The committee meets today to hear witnesses.")
    headline = article("headline", "Blair visits troops in Basra", "")
    statuses([plot, today, headline], [("today", "meeting", "planned"), ("headline", "visit", "held")])


def test_talks_aimed_at_a_deal_are_under_way():
    aimed = article("aimed", None, "The talks are aimed at striking a deal on the request made by Greece.")
    statuses([aimed], [("aimed", "talks", "held")])


def test_landing_or_departing_for_an_event_is_a_journey_to_it():
    lands = article("lands", None, "The Indian prime minister lands in Kabul on Friday for talks with the Afghan "
                                   "president.")
    landing = article("landing", None, "Mr Blair is landing in Washington tonight for talks with President Bush.")
    departed = article("departed", None, "The foreign secretary departed for the Nato summit in Vilnius on Monday.")
    statuses([lands, landing, departed], [("lands", "talks", "planned"), ("landing", "talks", "planned"),
                                          ("departed", "summit", "held")])


def test_a_participle_beside_its_clause_is_told_in_that_clauses_tense():
    past = article("past", None, "Speaking at a meeting with union officials on Monday, the chancellor said the budget "
                                 "would be fair.")
    ahead = article("ahead", None, "Speaking at the meeting with union officials on Friday, the chancellor will call "
                                   "for restraint.")
    statuses([past, ahead], [("past", "meeting", "held"), ("ahead", "meeting", "planned")])
