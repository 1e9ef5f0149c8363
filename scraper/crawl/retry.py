"""Retries that honour ``Retry-After`` and slow the whole host down on 429/503.

Scrapy's RetryMiddleware retries at once and ignores ``Retry-After``; a
rate-limited blog then sees the same burst again.  This middleware replaces
it: the retry waits what the server asked (capped), with exponential backoff
when it did not say, and the host's download slot keeps a longer delay so
the other requests to it slow down too.
"""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.utils.response import response_status_message

logger = logging.getLogger(__name__)

_SLOW_DOWN_CODES = frozenset({429, 503})


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date form)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.backoff_base = crawler.settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.max_wait = crawler.settings.getfloat("RETRY_AFTER_MAX", 120.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            if response.status < 400:
                self._relax_host(request)
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        wait = self._wait_for(request, response)
        if response.status in _SLOW_DOWN_CODES:
            self._slow_down_host(request, wait)
        if wait > 0:
            logger.info("HTTP %s for %s: retrying in %.1f s", response.status, request.url, wait)
            self.crawler.stats.inc_value("retry/waited_seconds", int(wait))
            await asyncio.sleep(wait)
        return retry

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception, spider: Any = None
    ) -> Request | None:
        """Timeouts, resets, refused connections: retried too, after the same backoff."""
        if request.meta.get("dont_retry") or not isinstance(exception, self.exceptions_to_retry):
            return None
        retry = self._retry(request, exception)
        if retry is None:
            return None
        wait = self._backoff(request)
        if wait > 0:
            logger.info("%s for %s: retrying in %.1f s", type(exception).__name__, request.url,
                        wait)
            await asyncio.sleep(wait)
        return retry

    def _wait_for(self, request: Request, response: Response) -> float:
        asked = retry_after_seconds(response.headers.get(b"Retry-After"))
        if asked is not None:
            return min(asked, self.max_wait)
        return self._backoff(request)

    def _backoff(self, request: Request) -> float:
        attempt = request.meta.get("retry_times", 0)
        # Full jitter keeps parallel retries from arriving together.
        return min(self.max_wait, random.uniform(0, self.backoff_base * 2**attempt))

    def _slot(self, request: Request) -> Any:
        """The download slot (per-host queue and delay) this request goes through."""
        engine = self.crawler.engine
        if engine is None:
            return None
        downloader = engine.downloader
        key = request.meta.get("download_slot") or downloader.get_slot_key(request)
        return downloader.slots.get(key)

    def _slow_down_host(self, request: Request, wait: float) -> None:
        slot = self._slot(request)
        if slot is not None:
            slot.delay = min(self.max_wait, max(slot.delay * 2, wait, 1.0))
            self.crawler.stats.inc_value("retry/host_slowdowns")

    def _relax_host(self, request: Request) -> None:
        """A good answer halves a slowed-down host's delay, back to DOWNLOAD_DELAY."""
        slot = self._slot(request)
        base = self.crawler.settings.getfloat("DOWNLOAD_DELAY")
        if slot is not None and slot.delay > base:
            slot.delay = max(base, slot.delay / 2)
