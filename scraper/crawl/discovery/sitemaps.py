"""Sitemap XML and robots.txt, read with Scrapy's own sitemap utilities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

__all__ = ["ParsedSitemap", "parse_sitemap", "robots_sitemaps", "sitemaps_known_to_robots_mw"]


@dataclass(frozen=True, slots=True)
class ParsedSitemap:
    kind: str  # "sitemapindex" | "urlset" | "" (not a sitemap)
    locs: tuple[str, ...] = ()
    # Why the sitemap was read only in part (Scrapy's parser recovers what it can from a
    # truncated file), or None when it is well-formed.
    problem: str | None = None


def parse_sitemap(body: bytes) -> ParsedSitemap:
    """``<sitemapindex>`` children or ``<urlset>`` entries; ``kind=""`` for anything else
    (a theme's HTML 404 page, an empty body)."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip(body)
        except OSError:
            return ParsedSitemap("")
    if not body.strip() or b"<" not in body[:2000]:
        return ParsedSitemap("")
    try:
        sitemap = Sitemap(body)
    except Exception:  # lxml raises several types on garbage; none of them matter here
        return ParsedSitemap("")
    if sitemap.type not in ("sitemapindex", "urlset"):
        return ParsedSitemap("")
    problem = _not_well_formed(body)
    if problem is not None:
        sitemap = _whole_entries(body) or sitemap
    locs = tuple(entry["loc"] for entry in sitemap if entry.get("loc"))
    return ParsedSitemap(sitemap.type, locs, problem)


def _whole_entries(body: bytes) -> Sitemap | None:
    """A broken sitemap read up to its last closed entry: a truncated file's last ``<loc>``
    is a cut URL (``/2021/08/02/lo``), not a post."""
    end = max(body.rfind(b"</url>"), body.rfind(b"</sitemap>"))
    if end < 0:
        return None
    try:
        return Sitemap(body[: body.index(b">", end) + 1])
    except Exception:  # lxml raises several types on garbage; none of them matter here
        return None


def _not_well_formed(body: bytes) -> str | None:
    """Why a sitemap Scrapy's recovering parser read is not whole: XML that is not
    well-formed (truncated), or a DTD (entity declarations: an entity bomb). Entities are
    never expanded here."""
    parser = etree.XMLParser(recover=False, resolve_entities=False, no_network=True,
                             load_dtd=False)
    try:
        tree = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as error:
        return f"not well-formed XML ({error.msg})"
    if tree.getroottree().docinfo.internalDTD is not None:
        return "declares a DTD (entity declarations are refused)"
    return None


def robots_sitemaps(robots_txt: bytes | str, base_url: str) -> tuple[str, ...]:
    """The ``Sitemap:`` lines of a robots.txt, absolute, in order."""
    body = robots_txt.encode("utf-8") if isinstance(robots_txt, str) else robots_txt
    found: list[str] = []
    for url in sitemap_urls_from_robots(body, base_url=base_url):
        if url not in found:
            found.append(url)
    return tuple(found)


def sitemaps_known_to_robots_mw(crawler: Any, url: str) -> tuple[str, ...] | None:
    """The ``Sitemap:`` lines of the robots.txt Scrapy's RobotsTxtMiddleware already
    fetched for ``url``'s host (ROBOTSTXT_OBEY), so it is not downloaded twice; None when
    the middleware is off or has no parsed robots.txt for that host."""
    from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware

    engine = getattr(crawler, "engine", None)
    manager = getattr(getattr(engine, "downloader", None), "middleware", None)
    netloc = urlsplit(url).netloc
    for middleware in getattr(manager, "middlewares", ()):
        if isinstance(middleware, RobotsTxtMiddleware):
            parser = getattr(middleware, "_parsers", {}).get(netloc)
            protego = getattr(parser, "rp", None)
            sitemaps = getattr(protego, "sitemaps", None)
            if sitemaps is None:
                return None
            return tuple(dict.fromkeys(str(s) for s in sitemaps))
    return None
