"""Scope and SSRF rules (scraper/crawl/scope.py), decided before any connection is made.

Only literal IPs and ``localhost`` (from /etc/hosts) are used: nothing here needs DNS or
the network, and a refused request is never sent.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from scrapy.http import Request

from scraper.crawl.pinned_dns import PINNED, PinnedResolver, pin
from scraper.crawl.scope import (
    ScopeMiddleware,
    ScopeRefused,
    address_problem,
    is_login_wall,
    origin_of,
)


class _Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


def _middleware(*start_urls: str) -> ScopeMiddleware:
    crawler = SimpleNamespace(stats=_Stats(),
                              spider=SimpleNamespace(start_url_list=list(start_urls)))
    return ScopeMiddleware(crawler)  # type: ignore[arg-type]


def _refusal(middleware: ScopeMiddleware, url: str, **meta: object) -> str | None:
    try:
        asyncio.run(middleware.process_request(Request(url, meta=meta)))
    except ScopeRefused as refused:
        return refused.reason
    return None


LOCAL_START = "http://127.0.0.1:8000/"


@pytest.mark.parametrize("url, why", [
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address"),
    ("http://[fd00:ec2::254]/", "fd00:ec2::254 is a cloud metadata address"),
    ("http://10.0.0.1/", "10.0.0.1 is a private address"),
    ("http://192.168.1.1:8000/", "192.168.1.1 is a private address"),
    ("http://100.64.0.1/", "100.64.0.1 is a private address"),
    ("http://[::1]:8000/", "::1 is a loopback address"),
    ("http://[::ffff:127.0.0.1]:8000/", "is a loopback address"),
    ("http://localhost:9000/", "localhost (127.0.0.1) is a loopback address"),
    ("http://localhost:8000/", "localhost (127.0.0.1) is a loopback address"),
    ("http://127.0.0.1:9000/", "127.0.0.1 is a loopback address"),
    ("http://127.0.0.2:8000/", "127.0.0.2 is a loopback address"),
    ("http://0.0.0.0:8000/", "0.0.0.0 is a reserved address"),
    ("http://[fe80::1]/", "fe80::1 is a link-local address"),
    ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
    ("http://240.0.0.1/", "240.0.0.1 is a reserved address"),
])
def test_internal_addresses_other_than_the_start_url_are_refused(url: str, why: str) -> None:
    reason = _refusal(_middleware(LOCAL_START), url)
    assert reason is not None and reason.startswith("refused by scope rules: ")
    assert why in reason


def test_the_start_urls_exact_host_and_port_are_allowed() -> None:
    middleware = _middleware(LOCAL_START)
    assert _refusal(middleware, "http://127.0.0.1:8000/2020/01/05/first-light/") is None
    assert _refusal(middleware, "http://127.0.0.1:8000/robots.txt") is None


def test_a_redirect_hop_names_the_page_it_came_from() -> None:
    reason = _refusal(_middleware(LOCAL_START), "http://169.254.169.254/",
                      redirect_urls=["http://127.0.0.1:8000/post/"])
    assert reason == ("refused by scope rules: 169.254.169.254 is a cloud metadata address "
                      "(redirected from http://127.0.0.1:8000/post/)")


def test_a_public_blog_may_not_reach_any_internal_address() -> None:
    middleware = _middleware("http://93.184.216.34/")
    assert _refusal(middleware, "http://93.184.216.34/2020/01/post/") is None
    assert "93.184.216.35 is not the blog's host" in (
        _refusal(middleware, "http://93.184.216.35/") or "")
    assert "loopback" in (_refusal(middleware, "http://localhost/",
                                   redirect_urls=["http://93.184.216.34/"],
                                   wparchive_start=True) or "")
    assert "private" in (_refusal(middleware, "http://10.1.2.3/") or "")
    assert "ftp scheme" in (_refusal(middleware, "ftp://93.184.216.34/") or "")


def test_refusals_are_counted() -> None:
    middleware = _middleware(LOCAL_START)
    _refusal(middleware, "http://10.0.0.1/")
    _refusal(middleware, "http://[::1]/")
    assert middleware.crawler.stats.values["archive/refused_scope"] == 2


def test_address_rules() -> None:
    assert address_problem("93.184.216.34") is None
    assert address_problem("2606:2800:220:1:248:1893:25c8:1946") is None
    assert address_problem("::ffff:10.0.0.1") == "a private address"
    assert address_problem("169.254.1.1") == "a link-local address"
    assert origin_of("http://[::1]/") == "::1:80"
    assert origin_of("https://Blog.Example/") == "blog.example:443"


def test_login_wall_urls() -> None:
    assert is_login_wall("https://blog.example/wp-login.php?redirect_to=x")
    assert is_login_wall("https://blog.example/blog/wp-admin/")
    assert is_login_wall("https://wordpress.com/log-in?redirect_to=x")
    assert not is_login_wall("https://blog.example/2020/01/login-tips/")


def test_a_name_is_looked_up_only_once_its_host_is_in_scope() -> None:
    """A hostile page linking ``http://any-name.example/`` must not make the crawler
    resolve it: the host rule refuses it before any lookup."""
    middleware = _middleware("http://blog.example/")
    looked_up: list[str] = []

    async def recording_resolve(host: str) -> tuple[str, ...]:
        looked_up.append(host)
        return ("93.184.216.34",)

    middleware._resolve = recording_resolve  # type: ignore[method-assign]
    refusal = _refusal(middleware, "http://canary.attacker.example/x")
    assert refusal is not None and "not the blog's host" in refusal
    assert looked_up == []
    assert _refusal(middleware, "http://blog.example/2021/01/02/post/") is None
    assert looked_up == ["blog.example"]


def test_the_connection_goes_to_the_address_the_scope_check_approved() -> None:
    """DNS rebinding: the resolver Scrapy connects with answers a checked host with the
    address the scope rules approved, without a second lookup a hostile DNS server could
    answer differently."""
    middleware = _middleware("http://localhost:8000/")
    assert _refusal(middleware, "http://localhost:8000/2021/01/02/post/") is None
    assert PINNED["localhost"] == "127.0.0.1"

    resolver = PinnedResolver(SimpleNamespace(), 0, 1.0)  # type: ignore[arg-type]
    answers: list[str] = []
    resolver.getHostByName("localhost").addCallback(answers.append)
    pin("rebind.invalid", ["::1", "127.0.0.1"])  # no DNS server knows this name
    resolver.getHostByName("REBIND.invalid").addCallback(answers.append)
    assert answers == ["127.0.0.1", "127.0.0.1"]
