import datetime

import pytest

from transforms import dates
from transforms.dates import publication_date

REFERENCE = datetime.date(2026, 11, 21)


def test_weekday_pins_the_year_of_a_date_written_without_one():
    text = "The Kremlin said on Tuesday (October 21st) that the exact date is still unknown."
    assert publication_date(text, REFERENCE) == (datetime.date(2025, 10, 21), "text")


def test_month_and_day_alone_stay_unknown():
    day, reason = publication_date("CNN reported on March 2, citing undisclosed sources.", REFERENCE)
    assert day is None and reason == "unknown: year not stated"


def test_weekday_that_matches_no_recent_year_stays_unknown():
    # 21 October was a Thursday in 2021 (a month too early for the window) and will be in 2027.
    assert publication_date("On Thursday (October 21) the talks resumed.", REFERENCE)[0] is None


def test_the_year_pinned_by_the_weekday_moves_with_the_reference_date():
    text = "On Wednesday (October 21) the talks resumed."
    assert publication_date(text, datetime.date(2021, 1, 1))[0] == datetime.date(2020, 10, 21)
    assert publication_date(text, REFERENCE)[0] == datetime.date(2026, 10, 21)


def test_full_dates_in_several_forms_are_read_and_the_latest_taken():
    text = "Talks began on 28 October 2025. A second round followed on Nov. 3, 2025. The memo is dated 2025-10-30."
    assert publication_date(text, REFERENCE) == (datetime.date(2025, 11, 3), "text")


def test_archived_article_is_dated_only_against_its_own_reference_date():
    # A BBC story of 2005: against today, "Saturday, 12 February" would be 2022; the text says 2005.
    text = "Voters go to the polls in May 2005.\nThe party launched its campaign on Saturday, 12 February."
    assert publication_date(text, REFERENCE) == (None, "unknown: year not stated")
    assert publication_date(text, datetime.date(2005, 12, 31))[0] == datetime.date(2005, 2, 12)


def test_historic_date_deep_in_the_body_is_not_a_publication_date():
    text = ("The actor, whose career spanned seven decades of film and theatre, has died at home.\n"
            "He was born on 3 March 1920 in London.")
    assert publication_date(text, REFERENCE) == (None, "unknown: no dateline or weekday-anchored date")


def test_dates_after_the_reference_date_are_not_publication_dates():
    text = "LONDON, 12 December 2026 - The summit is planned."
    assert publication_date(text, REFERENCE) == (None, "unknown: year not stated")


def test_digits_inside_a_longer_token_are_not_a_date():
    # The patterns test the word boundary after their first digits (transforms/dates.py): a code
    # such as "AB2025-10-30" or "A12 May 2025" in a dateline is no date; the same date standing alone is.
    for text in ("Ref AB2025-10-30: the summit is planned.", "Flight A12 May 2025 was delayed."):
        assert publication_date(text, REFERENCE) == (None, "unknown: no dateline or weekday-anchored date"), text
    assert publication_date("Ref 2025-10-30: the summit is planned.", REFERENCE)[0] == datetime.date(2025, 10, 30)
    assert publication_date("Flight 12 May 2025 was delayed.", REFERENCE)[0] == datetime.date(2025, 5, 12)


@pytest.mark.parametrize("dateline,day", [
    ("PARIS, 18 novembre 2026 - Emmanuel Macron a rencontré", datetime.date(2026, 11, 18)),
    ("BERLIN, 17. November 2026 (dpa) - Die Bundesregierung", datetime.date(2026, 11, 17)),
    ("MADRID, 18 de noviembre de 2026 (EFE) - El Gobierno", datetime.date(2026, 11, 18)),
    ("ROMA, 16 novembre 2026 - Il governo italiano", datetime.date(2026, 11, 16)),
    ("LISBOA, 15 de novembro de 2026 (Lusa) - O Governo", datetime.date(2026, 11, 15)),
    ("МОСКВА, 14 ноября 2026 года. Кремль сообщил", datetime.date(2026, 11, 14)),
])
def test_datelines_in_other_languages_give_the_date(dateline, day):
    assert dates.publication_date(dateline, datetime.date(2026, 11, 29)) == (day, "text")


def test_a_weekday_in_another_language_pins_the_year():
    text = "Die Regierung sagte am Samstag, 19. Juli, sie werde das Treffen absagen."
    assert dates.publication_date(text, datetime.date(2014, 8, 1))[0] == datetime.date(2014, 7, 19)


def test_other_languages_abbreviations_are_no_months_in_running_text():
    # "set" is Portuguese and Italian for September in feed dates, not in "2 set pieces"
    assert dates.publication_date("He scored from 2 set pieces on the day.", datetime.date(2026, 11, 29))[0] is None


def test_feed_dates_feedparser_cannot_read():
    assert dates.feed_date("Seg, 24 Set 2018 10:00:00 -0300") == datetime.date(2018, 9, 24)
    assert dates.feed_date("mar., 18 nov. 2026 10:00:00 +0100") == datetime.date(2026, 11, 18)
    assert dates.feed_date("sometime soon") is None
