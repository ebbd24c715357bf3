import datetime

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


def test_a_stated_year_resolves_other_dates_in_the_same_text():
    text = "Leaders met on October 16, 2025. On October 17 they spoke again."
    assert publication_date(text, REFERENCE)[0] == datetime.date(2025, 10, 17)


def test_dates_after_the_reference_date_are_not_publication_dates():
    text = "The summit is planned for 12 December 2026."
    assert publication_date(text, REFERENCE) == (None, "unknown: year not stated")
