from __future__ import annotations

from scraper.extract.dates import date_start, iso_from_machine


def test_a_datetime_attribute_without_digits_names_no_moment():
    # Epoch prints its template placeholder: <time datetime="comment_date">.
    assert iso_from_machine("comment_date") is None
    assert iso_from_machine("2017-03-10T00:20:00+00:00") == "2017-03-10T00:20:00Z"


def test_dates_written_in_one_form_start_at_the_same_place():
    """The start a thread's first date gives is the start of every date of its form."""
    assert date_start("said, on August 3, 2019 at", ["en"]) == 9
    assert date_start("said, on August 9, 2021 at", ["en"]) == 9
    assert date_start("Posted March 10, 2017", ["en"]) == 7
