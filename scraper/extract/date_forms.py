"""The few date forms WordPress themes print most, read without dateparser.

dateparser costs a millisecond or more per call (tens when it has to guess
the language), and a comment thread asks it once per comment.  The forms
here are read with one regular expression each and give exactly what
dateparser gives for them; anything else (other words, time zones, numeric
dates whose day/month order depends on the locale, two-digit years) returns
None so that the caller asks dateparser.  ``tests/extract/test_date_forms.py``
checks the agreement form by form, for every language list allowed here.
"""

from __future__ import annotations

import re
from datetime import datetime

# Language codes for which the agreement with dateparser is tested, first
# in a list or alone: dateparser tries a list in order, and a language that
# reads the same text differently (or fails on it) must not be in the list.
VERIFIED_LANGUAGES = frozenset(
    {"en", "de", "fr", "es", "it", "nl", "pt", "id", "pl", "sv", "da", "nb", "fi", "cs", "ru"}
)

_ENGLISH_MONTHS = {
    **{
        name: number
        for number, name in enumerate(
            ("january", "february", "march", "april", "may", "june", "july", "august",
             "september", "october", "november", "december"),
            start=1,
        )
    },
    **{
        name: number
        for number, name in enumerate(
            ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
            start=1,
        )
    },
    "sept": 9,
}
_GERMAN_MONTHS = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "märz": 3, "mär": 3, "april": 4,
    "apr": 4, "mai": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11,
    "nov": 11, "dezember": 12, "dez": 12,
}

# ASCII only ([0-9], [A-Za-z], no re.I): dateparser may read other scripts differently.
_YEAR = r"(?P<year>(?:19|20)[0-9]{2})"
_DAY = r"(?P<day>[0-9]{1,2})"
_CLOCK = r"(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2}))?"
# "10:15 pm", "10:15pm", "10:15 p.m.", "22:15".
_ENGLISH_TIME = rf"{_CLOCK}(?: ?(?P<half>[AaPp][Mm]|[AaPp]\.[Mm]\.))?"
_ENGLISH_TIME_LEAD = r"(?:,? (?:at |@ )?)"
_ORDINAL = r"(?:st|nd|rd|th)?"
_ENGLISH_WORD = r"(?P<month>[A-Za-z]{3,9})(?P<dot>\.)?"
_GERMAN_WORD = r"(?P<month>[A-Za-zÄä]{3,9})\.?"

_ISO = re.compile(rf"{_YEAR}-(?P<month>[0-9]{{2}})-(?P<day>[0-9]{{2}})(?:(?:T| | @ ){_CLOCK})?")
_ENGLISH_MONTH_FIRST = re.compile(
    rf"{_ENGLISH_WORD} {_DAY}{_ORDINAL},? {_YEAR}(?:{_ENGLISH_TIME_LEAD}{_ENGLISH_TIME})?"
)
_ENGLISH_DAY_FIRST = re.compile(
    rf"{_DAY}{_ORDINAL} {_ENGLISH_WORD},? {_YEAR}(?:{_ENGLISH_TIME_LEAD}{_ENGLISH_TIME})?"
)
# "29. Mai 2019", "29. Mai 2019 um 10:23", "29. Mai 2019 um 10:23 Uhr" (the German
# translation of core's "%1$s at %2$s" many themes print with "Uhr").
_GERMAN_MONTH_NAME = re.compile(rf"{_DAY}\. {_GERMAN_WORD} {_YEAR}(?: um {_CLOCK}(?: Uhr)?)?")
# "März 7, 2018", "Juli 30, 2013 um 2:33 pm": core's English "F j, Y" and "g:i a"
# formats with the month name translated, as many German blogs print comment dates.
_GERMAN_MONTH_FIRST = re.compile(
    rf"{_GERMAN_WORD} {_DAY}, {_YEAR}(?: um {_ENGLISH_TIME}(?: Uhr)?)?"
)
# Without "um", only dateparser knows whether "06.02.1999" is read day first.
_GERMAN_NUMERIC = re.compile(rf"{_DAY}\.(?P<month>[0-9]{{2}})\.{_YEAR} um {_CLOCK}(?: Uhr)?")


def known_form_iso(text: str, languages: list[str] | None) -> str | None:
    """ISO value of a date in one of the known forms, as dateparser reads it.

    None when the text is in no known form for these languages: ask dateparser.
    ``languages`` is the list the caller gives dateparser (None: any language).
    """
    if languages is not None and not VERIFIED_LANGUAGES.issuperset(languages):
        return None
    match = _ISO.fullmatch(text)
    if match:
        return _iso(match, int(match.group("month")))
    if languages is None or "en" in languages:
        for form in (_ENGLISH_MONTH_FIRST, _ENGLISH_DAY_FIRST):
            match = form.fullmatch(text)
            if match and _english_month(match) is not None:
                return _iso(match, _english_month(match))
    if languages and languages[0] == "de":
        match = _GERMAN_MONTH_NAME.fullmatch(text)
        if match:
            return _iso(match, _GERMAN_MONTHS.get(match.group("month").lower()))
        match = _GERMAN_NUMERIC.fullmatch(text)
        if match:
            return _iso(match, int(match.group("month")))
        match = _GERMAN_MONTH_FIRST.fullmatch(text)
        if match:
            return _iso(match, _GERMAN_MONTHS.get(match.group("month").lower()))
    return None


def _english_month(match: re.Match[str]) -> int | None:
    name = match.group("month").lower()
    # A dot belongs to an abbreviation ("Mar. 3"), not to a full name.
    if match.group("dot") and len(name) > 4:
        return None
    return _ENGLISH_MONTHS.get(name)


def _iso(match: re.Match[str], month: int | None) -> str | None:
    if month is None:
        return None
    hour = _hour(match)
    if hour is None:
        return None
    groups = match.groupdict()
    minute = int(groups["minute"] or 0)
    second = int(groups["second"] or 0)
    if minute > 59 or second > 59:
        return None
    try:
        value = datetime(int(groups["year"]), month, int(groups["day"]), hour, minute, second)
    except ValueError:
        return None  # 30 February: dateparser decides what that is
    return value.isoformat(timespec="seconds")


def _hour(match: re.Match[str]) -> int | None:
    groups = match.groupdict()
    if groups["hour"] is None:
        return 0
    hour = int(groups["hour"])
    half = (groups.get("half") or "").replace(".", "").lower()
    if not half:
        return hour if hour <= 23 else None
    if not 1 <= hour <= 12:
        return None
    return hour % 12 + (12 if half == "pm" else 0)
