"""Retry-After parsing (the crawl-level behaviour is tested against a fault server)."""

from __future__ import annotations

from datetime import UTC, datetime

from scraper.crawl.retry import retry_after_seconds

NOW = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)


def test_retry_after_in_seconds() -> None:
    assert retry_after_seconds(b"7", NOW) == 7.0


def test_retry_after_as_http_date_is_relative_to_now() -> None:
    assert retry_after_seconds("Wed, 25 Nov 2026 12:00:30 GMT", NOW) == 30.0


def test_retry_after_in_the_past_means_no_wait() -> None:
    assert retry_after_seconds("Wed, 25 Nov 2026 11:00:00 GMT", NOW) == 0.0


def test_unparseable_or_missing_retry_after_gives_none() -> None:
    assert retry_after_seconds(b"soon", NOW) is None
    assert retry_after_seconds(None, NOW) is None
