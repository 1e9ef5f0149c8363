"""Parse the dates blogs show into ISO 8601.

Machine-readable values (``<time datetime>``, ``article:published_time``,
JSON-LD) are parsed strictly; localized display text ("15. März 2021",
"March 15, 2021 at 3:04 pm") goes through dateparser, which knows the month
names of every language WordPress is translated into.  The commonest forms
are read directly (``date_forms``), with dateparser's answer, at a fraction
of its cost; answers anchored to a post's date are remembered, since a
thread repeats its relative dates ("1 Monat her").
"""

from __future__ import annotations

import functools
import re
from datetime import datetime
from typing import Literal

import dateparser
from dateparser.search import search_dates

from scraper.extract.date_forms import known_form_iso
from scraper.model.keys import utc_iso

_DATEPARSER_SETTINGS = {
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "PREFER_DATES_FROM": "past",
}


# "March 5, 2006 @ 9:12 pm" (WordPress 1.5's Classic theme): the "@" no parser reads.
_AT_SIGN = re.compile(r"\s+@\s+")
# "19th": the ordinal suffix PHP's date format "S" always writes in English.
_ENGLISH_ORDINAL = re.compile(r"(?<=\b)(\d{1,2})(?:st|nd|rd|th)\b")
# "17.07, 2011 @ 13:04": PHP's "d.m, Y" (a theme's comment date), which dateparser reads
# as 7 July.  A dotted numeric date is day first wherever it is written.
_DOTTED_DAY_MONTH_COMMA_YEAR = re.compile(
    r"(?<!\d)(?P<day>\d{1,2})\.(?P<month>\d{1,2}),\s*(?P<year>\d{4})"
    r"(?:,?\s+(?P<hour>\d{1,2}):(?P<minute>\d{2}))?"
)


def iso_from_machine(value: str | None) -> str | None:
    """ISO 8601 value from a datetime attribute; UTC 'Z' when it carries an offset."""
    if not value or not any(ch.isdigit() for ch in value):
        # A template placeholder printed as is (Epoch: datetime="comment_date") names no
        # moment; asking dateparser costs it ~30 ms to say so.
        return None
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return iso_from_text(value)
    return to_iso(parsed)


def iso_from_text(
    text: str | None,
    languages: list[str] | None = None,
    relative_base: datetime | None = None,
    prefer_dates_from: Literal["past", "future"] = "past",
) -> str | None:
    """ISO 8601 value from a displayed date, or None when it is not a date.

    ``relative_base`` anchors dates shown without a year ("Jun 20th at 2:41 am")
    and relative ones ("1 Monat her"): pass the post's date, never "now", so
    that re-extracting an old capture gives the same answer.
    ``prefer_dates_from="future"`` suits comments, which are written after the post.
    """
    if not text:
        return None
    cleaned = _AT_SIGN.sub(" ", text.strip().rstrip(":").strip())
    if not cleaned or len(cleaned) > 80:
        return None
    known = known_form_iso(cleaned, languages) or _dotted_day_month_comma_year(cleaned)
    if known is not None:
        return known
    key = tuple(languages) if languages is not None else None
    if relative_base:
        # Anchored to the post, the answer never changes: keep it.
        parsed = _parsed_anchored(cleaned, key, relative_base, prefer_dates_from)
    else:
        parsed = _parsed(cleaned, key, None, prefer_dates_from)
    if parsed is None and _ENGLISH_ORDINAL.search(cleaned):
        # WordPress translates the month but not the English suffix of "jS" ("Juni 19th,
        # 2018"), which no language's parser reads: the date without the suffix.
        return iso_from_text(
            _ENGLISH_ORDINAL.sub(r"\1", cleaned), languages, relative_base, prefer_dates_from
        )
    return parsed


def _dotted_day_month_comma_year(text: str) -> str | None:
    match = _DOTTED_DAY_MONTH_COMMA_YEAR.fullmatch(text)
    if match is None:
        return None
    fields = {k: int(v) for k, v in match.groupdict(default="0").items()}
    try:
        value = datetime(fields["year"], fields["month"], fields["day"],
                         fields["hour"], fields["minute"])
    except ValueError:
        return None
    return value.isoformat(timespec="seconds")


def _parsed(
    text: str,
    languages: tuple[str, ...] | None,
    relative_base: datetime | None,
    prefer_dates_from: Literal["past", "future"],
) -> str | None:
    try:
        parsed = dateparser.parse(
            text,
            languages=list(languages) if languages is not None else None,
            settings=_DATEPARSER_SETTINGS
            | {"PREFER_DATES_FROM": prefer_dates_from}
            | ({"RELATIVE_BASE": relative_base} if relative_base else {}),
        )
    except (ValueError, OverflowError, RecursionError):
        return None
    return to_iso(parsed) if parsed else None


_parsed_anchored = functools.lru_cache(maxsize=4096)(_parsed)


def iso_from_text_within(
    text: str | None,
    languages: list[str] | None = None,
    relative_base: datetime | None = None,
) -> str | None:
    """The first date found inside a displayed text that does not parse whole.

    Dates mixing two languages ("Desember 30, 2015 at 4:36 am") or colloquial
    relative forms ("1 Monat her") defeat ``dateparser.parse``; its search
    mode still finds the date part.
    """
    if not text or len(text) > 200:
        return None
    key = tuple(languages) if languages is not None else None
    if relative_base:
        return _found_anchored(text, key, relative_base)
    return _found(text, key, None)


def _found(
    text: str, languages: tuple[str, ...] | None, relative_base: datetime | None
) -> str | None:
    try:
        found = search_dates(
            text,
            languages=list(languages) if languages is not None else None,
            settings=_DATEPARSER_SETTINGS
            | ({"RELATIVE_BASE": relative_base} if relative_base else {}),
        )
    except (ValueError, OverflowError, RecursionError, TypeError):
        return None
    return to_iso(found[0][1]) if found else None


_found_anchored = functools.lru_cache(maxsize=1024)(_found)


# date_start's answers by the shape of the text (digits as 0): a thread writes every date
# in one form, and dateparser's search costs tens of milliseconds when it must guess the
# language.  The same form gives the same start whatever its digits.
_STARTS_BY_SHAPE: dict[tuple[str, tuple[str, ...] | None], int | None] = {}
_STARTS_KEPT = 4096
_DIGITS = re.compile(r"[0-9]")


def date_start(text: str, languages: list[str] | None = None) -> int | None:
    """Index where a written date starts in ``text`` ("said, on |August 3, 2019 at").

    Leading words are dropped while what is left still reads as the same day,
    so "on August 3, 2019" gives "August 3, 2019".
    """
    if not text or len(text) > 200:
        return None
    shape = (_DIGITS.sub("0", text), tuple(languages) if languages else None)
    if shape in _STARTS_BY_SHAPE:
        return _STARTS_BY_SHAPE[shape]
    start = _date_start(text, languages)
    if len(_STARTS_BY_SHAPE) < _STARTS_KEPT:
        _STARTS_BY_SHAPE[shape] = start
    return start


def _date_start(text: str, languages: list[str] | None) -> int | None:
    dotted = _DOTTED_DAY_MONTH_COMMA_YEAR.search(text)
    if dotted is not None:
        # dateparser's search cuts its day off, or takes a name before it for a month
        # ("by Jan Dark — 18.07, 2011").
        return dotted.start()
    try:
        found = search_dates(text, languages=languages, settings=_DATEPARSER_SETTINGS)
    except (ValueError, OverflowError, RecursionError, TypeError):
        return None
    if not found:
        return None
    matched, day = found[0][0], found[0][1].date()
    start = text.find(matched)
    if start < 0:
        return None
    while True:
        words = text[start:].split(maxsplit=1)
        if len(words) < 2:
            return start
        rest = words[1]
        try:
            parsed = dateparser.parse(rest, languages=languages, settings=_DATEPARSER_SETTINGS)
        except (ValueError, OverflowError, RecursionError):
            parsed = None
        if parsed is None or parsed.date() != day or not _shows_year(rest, day.year):
            return start
        start = text.index(rest, start)


def _shows_year(text: str, year: int) -> bool:
    return str(year) in text


def to_iso(value: datetime) -> str:
    """UTC with a 'Z' when the offset is known, naive local time otherwise."""
    if value.tzinfo is not None and value.utcoffset() is not None:
        return utc_iso(value)
    return value.isoformat(timespec="seconds")
