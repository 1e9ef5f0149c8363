"""Structured data a page carries beside its markup: meta tags and JSON-LD."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from bs4 import BeautifulSoup, Tag

from scraper.html import collapse_whitespace, tags_named

# Some themes wrap JSON-LD in CDATA markers (for XHTML), which JSON rejects.
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")
_ARTICLE_TYPES = frozenset(
    {"Article", "BlogPosting", "NewsArticle", "Report", "TechArticle", "SocialMediaPosting"}
)


def meta_content(soup: BeautifulSoup, key: str) -> str | None:
    """Content of <meta property=key> or <meta name=key>, whitespace-normalised."""
    metas = tags_named(soup, "meta")
    for attr in ("property", "name", "itemprop"):
        for meta in metas:
            if meta.get(attr) != key:
                continue
            # Some SEO plugins print value= where the Open Graph protocol says content=.
            content = collapse_whitespace(str(meta.get("content") or meta.get("value") or ""))
            if content:
                return content
    return None


def link_href(soup: BeautifulSoup, rel: str) -> str | None:
    for link in tags_named(soup, "link"):
        if link.get("href") is None:
            continue
        rels: list[str] | str = link.get("rel") or []
        if rel in rels:
            href = str(link.get("href") or "").strip()
            if href:
                return href
    return None


def json_ld_article(soup: BeautifulSoup) -> dict[str, Any]:
    """The first JSON-LD object describing an article, or an empty dict."""
    for obj in json_ld_objects(soup):
        types = obj.get("@type")
        type_names = set(types) if isinstance(types, list) else {types}
        if type_names & _ARTICLE_TYPES:
            return obj
    return {}


def json_ld_author_name(soup: BeautifulSoup, article: dict[str, Any]) -> str | None:
    author = article.get("author")
    if isinstance(author, list):
        author = author[0] if author else None
    if isinstance(author, dict) and "name" not in author and "@id" in author:
        # Yoast and others put the Person elsewhere in the graph and link it by @id.
        wanted = author["@id"]
        author = next(
            (o for o in json_ld_objects(soup) if o.get("@id") == wanted and "name" in o),
            author,
        )
    if isinstance(author, dict):
        author = author.get("name")
    if isinstance(author, str):
        return collapse_whitespace(author) or None
    return None


def json_ld_string(article: dict[str, Any], key: str) -> str | None:
    value = article.get(key)
    return value.strip() or None if isinstance(value, str) else None


def json_ld_objects(soup: BeautifulSoup) -> Iterator[dict[str, Any]]:
    """Every top-level JSON-LD object of the page: single ones, array members, @graph nodes."""
    for script in tags_named(soup, "script"):
        if script.get("type") != "application/ld+json":
            continue
        if not isinstance(script, Tag):
            continue
        text = _CDATA.sub("", script.get_text()).strip()
        try:
            data = json.loads(text, strict=False)
        except (ValueError, RecursionError):
            # Sites ship broken JSON-LD; the markup is still there to read.
            continue
        yield from _walk(data)


def _walk(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _walk(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _walk(graph, depth + 1)
