"""The date forms read without dateparser give exactly dateparser's answer."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import dateparser
import pytest

from scraper.extract import dates
from scraper.extract.date_forms import _ENGLISH_MONTHS, _GERMAN_MONTHS, known_form_iso
from scraper.extract.dates import _DATEPARSER_SETTINGS, iso_from_text, to_iso

SHOWN_DATES = Path(__file__).resolve().parent.parent / "fixtures" / "dates" / "shown_dates.tsv"
BASE = datetime(2013, 5, 5, 10, 30)


def shown_dates() -> list[tuple[str, list[str] | None]]:
    rows = []
    for line in SHOWN_DATES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, languages = line.split("\t")
        rows.append((text, None if languages == "-" else languages.split(",")))
    return rows


def dateparser_iso(
    text: str, languages: list[str] | None, base: datetime | None, prefer: str
) -> str | None:
    """What iso_from_text answered before it read any form itself."""
    settings = _DATEPARSER_SETTINGS | {"PREFER_DATES_FROM": prefer}
    if base:
        settings |= {"RELATIVE_BASE": base}
    try:
        parsed = dateparser.parse(text, languages=languages, settings=settings)
    except (ValueError, OverflowError, RecursionError):
        return None
    return to_iso(parsed) if parsed else None


@pytest.mark.parametrize(("text", "languages"), shown_dates())
def test_iso_from_text_answers_as_dateparser_on_shown_dates(
    text: str, languages: list[str] | None
) -> None:
    for base, prefer in ((None, "past"), (BASE, "future")):
        expected = dateparser_iso(text, languages, base, prefer)
        assert iso_from_text(text, languages, base, prefer) == expected  # type: ignore[arg-type]


def grid() -> list[tuple[str, list[str] | None]]:
    """Every month name of the known forms, in each form and language list allowed."""
    cases: list[tuple[str, list[str] | None]] = []
    english_lists: list[list[str] | None] = [None, ["en"], ["de", "en"], ["fr", "en"], ["id", "en"]]
    for number, name in enumerate(_ENGLISH_MONTHS):
        day = 1 + number % 28
        shown = name.title() + ("." if len(name) <= 4 and number % 2 else "")  # "Mar. 3"
        for languages in english_lists:
            cases.append((f"{shown} {day}, 2016 at {1 + number % 12}:0{number % 10} pm", languages))
            cases.append((f"{day}th {name.upper() if number % 2 else name} 1999", languages))
    for number, name in enumerate(_GERMAN_MONTHS):
        for languages in (["de"], ["de", "en"]):
            cases.append((f"{1 + number % 28}. {name.title()} 2019 um {number % 24}:45", languages))
            cases.append((f"{1 + number % 28}. {name.title()} 2018 um {number % 24}:28 Uhr",
                          languages))
            cases.append((f"{1 + number % 28}.0{1 + number % 9}.2016 um {number % 24}:05 Uhr",
                          languages))
            cases.append((f"{name.title()} {1 + number % 28}, 2018", languages))
            cases.append((f"{name.title()} {1 + number % 28}, 2013 um {1 + number % 12}:33 "
                          f"{'pm' if number % 2 else 'am'}", languages))
            cases.append((f"{name.title()} {1 + number % 28}, 2013 um {number % 24}:07", languages))
            cases.append((f"{1 + number % 28}. {name.title()}. 2020", languages))
    for clock in ("12:00 am", "12:30 pm", "0:30", "23:59:59", "7:05 P.M.", "7:05AM"):
        cases.append((f"July 9, 2011 {clock}", None))
        cases.append((f"9 July 2011, {clock}", ["en"]))
    for value in ("2014-03-04", "2014-12-01 10:15", "2014-01-12T08:00", "2019-01-01 @ 00:39"):
        cases.extend((value, languages) for languages in (None, ["de"], ["fr", "en"], ["nl"]))
    return cases


@pytest.mark.parametrize(("text", "languages"), grid())
def test_known_forms_answer_as_dateparser(text: str, languages: list[str] | None) -> None:
    known = known_form_iso(text, languages)
    assert known is not None, "the grid holds only known forms"
    assert known == dateparser_iso(text, languages, None, "past")
    assert known == dateparser_iso(text, languages, BASE, "future")


@pytest.mark.parametrize(
    ("text", "languages"),
    [
        ("06.01.2020", ["de", "en"]),  # day or month first: dateparser's locale decides
        ("03/04/2014", None),
        ("March 3, 14", ["en"]),  # two-digit year
        ("March 3, 2014", ["de"]),  # no English in the list: dateparser gives None
        ("March 3, 2014 at 10:15 am UTC", None),
        ("March 3, 2014 at 13:15 pm", None),
        ("29. Mai 2019", None),  # German forms only when the page says German
        ("June 15, 2019", ["xx", "en"]),  # a language dateparser does not know
        ("February 30, 2014", None),
        ("Jun 20th at 12:50 pm", None),  # no year: the post's date decides
    ],
)
def test_other_forms_are_left_to_dateparser(text: str, languages: list[str] | None) -> None:
    assert known_form_iso(text, languages) is None


def test_common_forms_need_no_dateparser(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("dateparser was asked")

    monkeypatch.setattr(dates.dateparser, "parse", refuse)
    assert iso_from_text("March 3, 2014 at 10:15 pm") == "2014-03-03T22:15:00"
    assert iso_from_text("3 March 2014", ["de", "en"]) == "2014-03-03T00:00:00"
    assert iso_from_text("2019-01-01 @ 00:39", ["de", "en"]) == "2019-01-01T00:39:00"
    assert iso_from_text("29. Mai 2019 um 10:23:", ["de", "en"]) == "2019-05-29T10:23:00"


def test_dates_anchored_to_the_post_are_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    base = datetime(2019, 12, 31, 17, 26, 13)
    expected = dateparser_iso("vor 3 Tagen", ["de", "en"], base, "future")
    calls: list[str] = []
    parse = dates.dateparser.parse

    def counted(text: str, *args: object, **kwargs: object) -> object:
        calls.append(text)
        return parse(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(dates.dateparser, "parse", counted)
    answers = {iso_from_text("vor 3 Tagen", ["de", "en"], base, "future") for _ in range(3)}
    assert expected is not None and answers == {expected}
    assert calls.count("vor 3 Tagen") <= 1  # 0 when an earlier test asked the same
