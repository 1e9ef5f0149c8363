"""A failed request's reason, status and attempts, as fetch_errors records them."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.settings import Settings
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as net_error
from twisted.python.failure import Failure

from scraper.crawl.failures import Described, describe_failure

SETTINGS = Settings({"DOWNLOAD_TIMEOUT": 30, "DOWNLOAD_MAXSIZE": 1000,
                     "REDIRECT_MAX_TIMES": 5})


def described(error: BaseException, url: str = "http://blog.example/a/", retries: int = 0
              ) -> Described:
    request = Request(url, meta={"retry_times": retries})
    return describe_failure(Failure(error), request, SETTINGS)


def test_an_http_error_names_the_status_and_the_attempts():
    response = Response("http://blog.example/a/", status=503)
    assert described(HttpError(response, "Ignoring"), retries=2) == Described(
        "HTTP 503 Service Unavailable after 3 attempts", 503, 3)


def test_an_unknown_status_has_no_phrase():
    response = Response("http://blog.example/a/", status=599)
    assert described(HttpError(response, "Ignoring")).reason == "HTTP 599"


def test_timeouts_refusals_and_dns_failures_read_as_such():
    assert described(net_error.TimeoutError()).reason == \
        "timeout: no complete answer within 30 s"
    assert described(net_error.ConnectionRefusedError(), retries=1).reason == \
        "connection refused after 2 attempts"
    assert described(net_error.DNSLookupError()).reason == \
        "DNS lookup failed: blog.example not found"


def test_ignored_requests_say_why():
    assert described(IgnoreRequest("Forbidden by robots.txt")) == Described(
        "forbidden by robots.txt", None, 0)
    assert described(IgnoreRequest("max redirections reached")).reason == \
        "too many redirects (more than 5)"
    assert described(IgnoreRequest("something else")).reason == "ignored: something else"


def test_a_reset_connection_is_reported_before_the_generic_message():
    assert described(net_error.ConnectionLost()).reason == \
        "connection reset or closed by the server"
    assert described(ValueError("odd")).reason == "ValueError: odd"
