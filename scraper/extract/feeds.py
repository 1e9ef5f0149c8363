"""RSS/Atom feed pages (``/feed/?paged=N``) → the posts they list.

Pure: the feed's bytes in, records out (feedparser does the parsing; no network —
feedparser is only ever handed bytes). Never imports scrapy.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser

from scraper.html import parse_html, select


@dataclass(frozen=True, slots=True)
class FeedItem:
    link: str
    title: str | None = None
    published: str | None = None  # ISO 8601 UTC ("…Z") when the feed gives a date
    comment_count: int | None = None  # <slash:comments>, WordPress's count of the post's comments


@dataclass(frozen=True, slots=True)
class FeedPage:
    is_feed: bool  # False for an HTML page (a theme's 404) or anything feedparser can't read
    items: tuple[FeedItem, ...] = ()
    title: str | None = None


def parse_feed(body: bytes) -> FeedPage:
    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    version = getattr(parsed, "version", "") or ""
    if not version:
        return FeedPage(is_feed=False)
    items = []
    for entry in parsed.entries:
        link = entry.get("link") or _alternate(entry)
        if not link:
            continue
        items.append(
            FeedItem(
                link=link.strip(),
                title=entry.get("title"),
                published=_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
                comment_count=_int(entry.get("slash_comments")),
            )
        )
    return FeedPage(is_feed=True, items=tuple(items), title=parsed.feed.get("title"))


def main_feed_url(html: bytes | str, home_url: str) -> str:
    """The blog's posts feed: the first RSS/Atom ``<link rel=alternate>`` that is not a
    comments feed, else ``<home>feed/``."""
    for link in select(parse_html(html), 'link[rel~="alternate"][href]'):
        kind = str(link.get("type") or "").lower()
        href = str(link.get("href") or "")
        if kind not in ("application/rss+xml", "application/atom+xml"):
            continue
        if "comments" in href.lower() or "comments" in str(link.get("title") or "").lower():
            continue
        if _same_host(href, home_url):
            return href
    return (home_url if home_url.endswith("/") else home_url + "/") + "feed/"


def feed_page_url(feed_url: str, page: int) -> str:
    """The feed's page N (``?paged=N``); page 1 is the feed URL itself."""
    if page <= 1:
        return feed_url
    parts = urlsplit(feed_url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "paged"]
    query.append(("paged", str(page)))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def _alternate(entry: dict) -> str | None:
    for link in entry.get("links") or ():
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"])
    return None


def _iso(struct: object) -> str | None:
    """feedparser's parsed date (a time.struct_time in UTC) as ISO, None when absent."""
    if not isinstance(struct, tuple) or len(struct) < 6:
        return None
    year, month, day, hour, minute, second = struct[:6]
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}Z"


def _int(value: object) -> int | None:
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() else None


def _same_host(url: str, home_url: str) -> bool:
    def host(u: str) -> str:
        return (urlsplit(u).hostname or "").lower().removeprefix("www.")

    return bool(host(url)) and host(url) == host(home_url)
