"""Spider yes/no arguments (-a full=yes, -a pages=no, -a warc=no, -a media=no)."""

from __future__ import annotations

import pytest

from scraper.crawl.arguments import yes_no


@pytest.mark.parametrize("value", ["yes", "Y", "true", "1", "on", ""])
def test_yes_spellings_are_true(value: str) -> None:
    assert yes_no("full", value, default=False) is True


@pytest.mark.parametrize("value", ["no", "N", "false", "0", "off"])
def test_no_spellings_are_false(value: str) -> None:
    assert yes_no("pages", value, default=True) is False


def test_an_absent_argument_takes_the_default() -> None:
    assert yes_no("warc", None, default=True) is True
    assert yes_no("full", None, default=False) is False


def test_anything_else_is_a_clear_error_naming_the_argument() -> None:
    with pytest.raises(ValueError, match="media='maybe': use media=yes or media=no"):
        yes_no("media", "maybe", default=True)
