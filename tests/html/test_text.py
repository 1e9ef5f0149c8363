"""Text normalisation: collapse_whitespace."""

from __future__ import annotations

import re
import sys

from scraper.html.text import collapse_whitespace


def test_split_and_regex_whitespace_agree_on_every_code_point() -> None:
    """collapse_whitespace splits where the regex \\s would match: the same characters."""
    whitespace = re.compile(r"\s")
    differing = [hex(code) for code in range(sys.maxunicode + 1)
                 if bool(whitespace.match(chr(code))) != chr(code).isspace()]
    assert differing == []


def test_runs_of_any_whitespace_become_one_space_and_ends_are_trimmed() -> None:
    text = "\u00a0 poster\t\n designed\u2009by \u3000hai-fuh-ku\r\n"
    assert collapse_whitespace(text) == "poster designed by hai-fuh-ku"
    assert collapse_whitespace(text) == re.sub(r"\s+", " ", text).strip()
    assert collapse_whitespace("") == ""
    assert collapse_whitespace(" \n\t ") == ""
