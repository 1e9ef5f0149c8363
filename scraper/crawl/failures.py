"""Why a request failed, in one line a person can act on (``fetch_errors.reason``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Request
from scrapy.settings import BaseSettings
from twisted.internet import defer
from twisted.internet import error as net_error
from twisted.python.failure import Failure

from scraper.crawl.scope import ScopeRefused


@dataclass(frozen=True, slots=True)
class Described:
    """A failed page: readable reason, HTTP status, download attempts."""

    reason: str
    http_status: int | None
    attempts: int


@dataclass(frozen=True, slots=True)
class _Context:
    error: BaseException
    request: Request
    settings: BaseSettings
    attempts: int  # retries + 1

    @property
    def after(self) -> str:
        return f" after {self.attempts} attempts" if self.attempts > 1 else ""

    @property
    def maxsize(self) -> int:
        return (self.request.meta.get("download_maxsize")
                or self.settings.getint("DOWNLOAD_MAXSIZE"))


def _timeout(c: _Context) -> Described:
    timeout = (c.request.meta.get("download_timeout")
               or c.settings.getfloat("DOWNLOAD_TIMEOUT"))
    return Described(f"timeout: no complete answer within {timeout:g} s{c.after}", None,
                     c.attempts)


def _refused(c: _Context) -> Described:
    return Described(f"connection refused{c.after}", None, c.attempts)


def _dns(c: _Context) -> Described:
    url = c.request.url
    host = url.split("/")[2] if "//" in url else url
    return Described(f"DNS lookup failed: {host} not found{c.after}", None, c.attempts)


def _truncated(c: _Context) -> Described:
    return Described("truncated response: the connection closed before the announced "
                     f"Content-Length arrived{c.after}", None, c.attempts)


def _size_cap(c: _Context) -> Described:
    return Described(f"size cap: response larger than DOWNLOAD_MAXSIZE ({c.maxsize} bytes)",
                     None, 1)


def _ignored(c: _Context) -> Described:
    message = str(c.error)
    if "max redirections" in message:
        limit = c.settings.getint("REDIRECT_MAX_TIMES")
        return Described(f"too many redirects (more than {limit}){c.after}", None, c.attempts)
    if "max size" in message or "decompressed" in message:
        return Described(f"size cap: decompressed body larger than DOWNLOAD_MAXSIZE "
                         f"({c.maxsize} bytes; gzip bomb?)", None, 1)
    if "robots.txt" in message:
        return Described("forbidden by robots.txt", None, 0)
    return Described(f"ignored: {message}", None, c.attempts)


def _connection_lost(c: _Context) -> Described:
    return Described(f"connection reset or closed by the server{c.after}", None, c.attempts)


# Exception types → their description, first match wins (order matters: IgnoreRequest
# and the Twisted errors before OSError, which several of them subclass).
FAILURES: tuple[tuple[tuple[type[BaseException], ...], Callable[[_Context], Described]], ...] = (
    ((DownloadTimeoutError, defer.TimeoutError, net_error.TimeoutError), _timeout),
    ((DownloadConnectionRefusedError, net_error.ConnectionRefusedError), _refused),
    ((CannotResolveHostError, net_error.DNSLookupError), _dns),
    ((ResponseDataLossError,), _truncated),
    ((DownloadCancelledError, defer.CancelledError), _size_cap),
    ((IgnoreRequest,), _ignored),
    ((net_error.ConnectionLost, net_error.ConnectionDone, OSError), _connection_lost),
)
# Twisted web client errors, matched by name (their module differs by Scrapy version).
CONNECTION_ERROR_NAMES = ("ResponseFailed", "DownloadFailed", "ResponseNeverReceived")


def describe_failure(failure: Failure, request: Request, settings: BaseSettings) -> Described:
    """What went wrong with a request that failed for good."""
    error = failure.value
    assert error is not None  # a Failure always holds its exception
    retries = request.meta.get("retry_times", 0)
    if isinstance(error, ScopeRefused):
        return Described(error.reason, None, retries + (0 if error.before_download else 1))
    context = _Context(error, request, settings, retries + 1)
    response = getattr(error, "response", None)
    if response is not None:
        return Described(f"HTTP {response.status}{_phrase(response.status)}{context.after}",
                         response.status, context.attempts)
    for types, describe in FAILURES:
        if isinstance(error, types):
            return describe(context)
    if any(name in type(error).__name__ for name in CONNECTION_ERROR_NAMES):
        return _connection_lost(context)
    message = failure.getErrorMessage() or repr(error)
    return Described(f"{type(error).__name__}: {message}{context.after}", None,
                     context.attempts)


def _phrase(status: int) -> str:
    try:
        return f" {HTTPStatus(status).phrase}"
    except ValueError:
        return ""
