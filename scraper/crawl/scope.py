"""Scope and SSRF guard: the crawler only talks to the blog, never to internal addresses.

Two downloader middlewares (registered in ``settings.py``):

``ScopeMiddleware`` (runs first, before robots.txt is fetched) checks every
request — start URLs, followed links, every redirect hop, robots.txt — and
refuses it *before any connection is made* when

* its host is not one of the blog's hosts (the start URLs' hosts, ``www.``
  or not, and the host a start URL redirects to), or
* its host is, or resolves to, a private, loopback, link-local, multicast,
  reserved or cloud-metadata address — unless that exact ``host:port`` is a
  start URL the user gave (archiving a blog on 127.0.0.1 or the LAN is
  allowed; nothing else private is).

A host name is resolved only once the host rule admits it (a hostile page cannot make
the crawler look up any name), once, and the approved address is pinned: the
connection goes to it (``scraper.crawl.pinned_dns``), not to a second lookup's answer.

``RedirectGuardMiddleware`` (runs before Scrapy's RedirectMiddleware) refuses
redirects to a login page (``wp-login.php``: a private post or a members-only
blog, which we must not follow) and redirect loops — 3xx or ``<meta
http-equiv="refresh">`` — which Scrapy's duplicate filter would otherwise drop
without a trace.

A refusal is logged and raised as ``ScopeRefused`` (an ``IgnoreRequest``), so
the spider's errback records it in ``fetch_errors`` with its reason.
"""

from __future__ import annotations

import asyncio
import fnmatch
import ipaddress
import logging
import socket
from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.response import get_meta_refresh

from scraper.crawl.pinned_dns import pin
from scraper.model.urls import canonicalize

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud instance-metadata endpoints (AWS/GCP/Azure/OpenStack, AWS ECS and IPv6, Alibaba,
# Oracle); most are link-local anyway, named here so the refusal says what they are.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200",
              "192.0.0.192")
)
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}


class ScopeRefused(IgnoreRequest):
    """A request (or redirect) refused by the scope rules; ``reason`` says why."""

    def __init__(self, reason: str, *, before_download: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.before_download = before_download


# --- pure rules -------------------------------------------------------------


def address_problem(address: str | IPAddress) -> str | None:
    """Why an IP address must not be contacted, or None for a public address."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_unspecified or ip.is_reserved:
        return "a reserved address"
    if ip.is_private or not ip.is_global:
        return "a private address"
    return None


def origin_of(url: str) -> str:
    """``host:port`` of a URL (host lower-case, IPv6 without brackets, default ports filled)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower(), 0)
    return f"{host}:{port}"


def host_key(host: str) -> str:
    return host.lower().removeprefix("www.")


def literal_ip(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def resolved_address_problem(
    url: str, addresses: Iterable[str | IPAddress], trusted_origins: Iterable[str]
) -> str | None:
    """Why ``url`` must not be fetched given the addresses its host resolves to."""
    if origin_of(url) in set(trusted_origins):
        return None
    host = urlsplit(url).hostname or ""
    for address in addresses:
        problem = address_problem(address)
        if problem:
            shown = host if str(address) == host else f"{host} ({address})"
            return f"refused by scope rules: {shown} is {problem}"
    return None


def is_login_wall(url: str) -> bool:
    """A WordPress login page: where private posts and members-only blogs redirect."""
    parts = urlsplit(url)
    path = parts.path.lower()
    return (
        path.endswith("/wp-login.php")
        or "/wp-admin" in path
        or ((parts.hostname or "").endswith("wordpress.com") and path.startswith("/log-in"))
    )


# --- middlewares ------------------------------------------------------------


class ScopeMiddleware:
    """Refuses off-site requests and requests to internal addresses, before downloading."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.allowed_hosts: set[str] = set()
        self.trusted_origins: set[str] = set()
        self._resolved: dict[str, tuple[str, ...]] = {}
        self._configured = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScopeMiddleware:
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider: Any) -> None:
        self._configure(spider)

    def _configure(self, spider: Any) -> None:
        if self._configured or spider is None:
            return
        self._configured = True
        for url in getattr(spider, "start_url_list", []) or []:
            self.allow_start_url(url)

    def allow_start_url(self, url: str) -> None:
        """The user asked for this URL: its host is the blog's, and if it is on an
        internal address, that exact host:port (and only that) may be contacted."""
        host = urlsplit(url).hostname or ""
        self.allowed_hosts.add(host_key(host))
        self.trusted_origins.add(origin_of(url))

    async def process_request(self, request: Request) -> None:
        self._configure(self.crawler.spider)
        # A literal address first: "169.254.169.254 is a cloud metadata address" says more
        # than "not the blog's host". A name is looked up only once its host is in scope:
        # a hostile page must not make the crawler resolve any name it likes.
        host = urlsplit(request.url).hostname or ""
        local = bool(literal_ip(host)) or host.lower() == "localhost"  # no DNS query
        problem = ((await self._address_problem(request.url) if local else None)
                   or self._host_problem(request) or await self._address_problem(request.url))
        if problem is None:
            return None
        redirect_urls = request.meta.get("redirect_urls") or []
        if redirect_urls and "redirected from" not in problem:
            problem += f" (redirected from {redirect_urls[0]})"
        before_download = not request.meta.get("redirect_urls")
        self.crawler.stats.inc_value("archive/refused_scope")
        logger.warning("Refused %s: %s", request.url, problem)
        raise ScopeRefused(problem, before_download=before_download)

    def _host_problem(self, request: Request) -> str | None:
        parts = urlsplit(request.url)
        if parts.scheme not in _DEFAULT_PORTS:
            return f"refused by scope rules: {parts.scheme or 'no'} scheme"
        host = host_key(parts.hostname or "")
        if host in self.allowed_hosts:
            return None
        if (request.meta.get("archive_kind") == "media" or parts.path == "/robots.txt") and any(
            fnmatch.fnmatch(host, pattern.lower())
            for pattern in self.crawler.settings.getlist("MEDIA_HOSTS")
        ):
            return None  # an image CDN (i0.wp.com …), for images (and their robots.txt) only
        redirect_urls = request.meta.get("redirect_urls") or []
        if request.meta.get("wparchive_start") and redirect_urls and not (
            literal_ip(host) or host == "localhost"
        ):
            # A start URL moving to its canonical host (blog.example → www.blog.example,
            # *.wordpress.com → a custom domain): that host is the blog's.
            self.allowed_hosts.add(host)
            return None
        return f"refused by scope rules: {parts.hostname} is not the blog's host"

    async def _address_problem(self, url: str) -> str | None:
        host = urlsplit(url).hostname or ""
        ip = literal_ip(host)
        addresses: tuple[str, ...] = (str(ip),) if ip else await self._resolve(host)
        return resolved_address_problem(url, addresses, self.trusted_origins)

    async def _resolve(self, host: str) -> tuple[str, ...]:
        if host not in self._resolved:
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(
                    host, None, type=socket.SOCK_STREAM
                )
            except (OSError, UnicodeError):
                # Unresolvable: the download fails with a DNS error, recorded as such.
                infos = []
            self._resolved[host] = tuple(sorted({str(info[4][0]).split("%")[0]
                                                 for info in infos}))
            # The connection goes to a checked address, not to a second lookup's answer.
            pin(host, self._resolved[host])
        return self._resolved[host]


class RedirectGuardMiddleware:
    """Refuses redirects to a login page and redirect loops (before RedirectMiddleware)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectGuardMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("dont_redirect"):
            return response
        target = self._redirect_target(request, response)
        if target is None:
            return response
        chain = [*request.meta.get("redirect_urls", []), request.url]
        problem = None
        if is_login_wall(target):
            problem = f"login wall: redirected to {target}"
        elif target in {canonicalize(u) for u in chain}:
            problem = "redirect loop: " + " -> ".join([*chain, target])
        if problem is None:
            return response
        self.crawler.stats.inc_value("archive/refused_redirect")
        logger.warning("Not following %s: %s", chain[0], problem)
        raise ScopeRefused(problem, before_download=False)

    def _redirect_target(self, request: Request, response: Response) -> str | None:
        """Where the response sends the client: a 3xx ``Location``, or an HTML
        ``<meta http-equiv="refresh">`` that Scrapy's MetaRefreshMiddleware would follow
        (a meta-refresh loop would otherwise end silently in the duplicate filter)."""
        if response.status in _REDIRECT_CODES:
            location = response.headers.get(b"Location")
            if not location:
                return None
            return canonicalize(urljoin(request.url, location.decode("latin-1")))
        settings = self.crawler.settings
        if not isinstance(response, HtmlResponse) or not settings.getbool(
                "METAREFRESH_ENABLED", True) or request.meta.get("dont_meta_refresh"):
            return None
        ignore_tags = settings.getlist("METAREFRESH_IGNORE_TAGS", ["noscript"])
        delay, url = get_meta_refresh(response, ignore_tags=ignore_tags)
        if url is None or delay is None or delay >= settings.getfloat(
                "METAREFRESH_MAXDELAY", 100):
            return None
        return canonicalize(url)
