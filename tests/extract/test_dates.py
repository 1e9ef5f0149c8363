from __future__ import annotations

from scraper.extract.dates import date_start, iso_from_machine, iso_from_text


def test_a_datetime_attribute_without_digits_names_no_moment():
    # Epoch prints its template placeholder: <time datetime="comment_date">.
    assert iso_from_machine("comment_date") is None
    assert iso_from_machine("2017-03-10T00:20:00+00:00") == "2017-03-10T00:20:00Z"


def test_dates_written_in_one_form_start_at_the_same_place():
    """The start a thread's first date gives is the start of every date of its form."""
    assert date_start("said, on August 3, 2019 at", ["en"]) == 9
    assert date_start("said, on August 9, 2021 at", ["en"]) == 9
    assert date_start("Posted March 10, 2017", ["en"]) == 7


def test_dotted_day_month_comma_year_is_read_day_first():
    # PHP's "d.m, Y": dateparser alone reads "17.07, 2011" as 7 July.
    assert iso_from_text("17.07, 2011 @ 13:04") == "2011-07-17T13:04:00"
    assert iso_from_text("05.07, 2011") == "2011-07-05T00:00:00"


def test_a_dotted_date_starts_at_its_day_not_at_a_name_before_it():
    text = "Comment by Jan Dark — 18.07, 2011 @ 16:41"
    start = date_start(text, ["de", "en"])
    assert start is not None and text[start:] == "18.07, 2011 @ 16:41"
