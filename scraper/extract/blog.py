"""Is this page WordPress, and which blog is it?"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from scraper.extract import selectors as sel
from scraper.html import (
    collapse_whitespace,
    first_named,
    page_cache,
    select_one,
    tags_named,
    tags_with_attribute,
)
from scraper.model.records import BlogInfo
from scraper.model.urls import home_of, in_scope

_REST_API_REL = "https://api.w.org/"
_WPCOM_STATIC = ("s0.wp.com/_static", "s1.wp.com/_static", "s2.wp.com/_static")


def extract_blog_info(soup: BeautifulSoup, url: str) -> BlogInfo:
    generator = _generator(soup)
    is_wordpress, reason = wordpress_evidence(soup, url)
    return BlogInfo(
        is_wordpress=is_wordpress,
        reason=reason,
        name=_blog_name(soup),
        home_url=_home_url(soup, url),
        is_wordpress_com=is_wordpress and _is_wordpress_com(soup, url),
        generator=generator,
        language=page_language(soup),
    )


def wordpress_evidence(soup: BeautifulSoup, url: str) -> tuple[bool, str]:
    """(is WordPress, why).  The generator meta decides when present; then markup.

    Asked by the blog and the post extractors alike: answered once per page and URL."""
    cache = page_cache(soup)
    key = f"wordpress_evidence {url}"
    answer = cache.get(key)
    if not isinstance(answer, tuple):
        answer = cache[key] = _wordpress_evidence(soup, url)
    return answer


def _wordpress_evidence(soup: BeautifulSoup, url: str) -> tuple[bool, str]:
    generator = (_generator(soup) or "").lower()
    if generator.startswith("wordpress"):
        return True, f"generator meta ({_generator(soup)})"
    if generator:
        for platform, _markers in sel.OTHER_PLATFORMS:
            if platform.lower() in generator:
                return False, f"generator meta says {platform}"
    other = _other_platform(soup, url)
    if other:
        return False, other
    reasons = _wordpress_markers(soup, url)
    if reasons:
        return True, ", ".join(reasons)
    return False, "no WordPress markers"


def page_language(soup: BeautifulSoup) -> str | None:
    """The page's language tag as written (``en-US``): ``<html lang>``, else og:locale."""
    html = first_named(soup, "html")
    lang = html.get("lang") if isinstance(html, Tag) else None
    if isinstance(lang, str) and lang.strip():
        return lang.strip()
    locale = _meta(soup, "og:locale")
    return locale.replace("_", "-") if locale else None


def language_code(language: str | None) -> str | None:
    """The primary language of a tag (``en-US``, ``de_DE`` → ``en``, ``de``): what
    dateparser's ``languages`` take."""
    if not language:
        return None
    return language.split("-")[0].split("_")[0].lower() or None


def _generator(soup: BeautifulSoup) -> str | None:
    for meta in tags_named(soup, "meta"):
        if meta.get("name") != "generator":
            continue
        content = collapse_whitespace(str(meta.get("content") or ""))
        if content:
            return content
    return None


def _meta(soup: BeautifulSoup, key: str) -> str | None:
    metas = tags_named(soup, "meta")
    meta = next((m for m in metas if m.get("property") == key), None) or next(
        (m for m in metas if m.get("name") == key), None
    )
    if isinstance(meta, Tag):
        content = collapse_whitespace(str(meta.get("content") or ""))
        return content or None
    return None


def _link_with_rel(soup: BeautifulSoup, value: str) -> Tag | None:
    """The first <link> whose rel contains the text (as a substring, like before)."""
    for link in tags_named(soup, "link"):
        rel = link.get("rel")
        if rel and value in (" ".join(rel) if isinstance(rel, list) else str(rel)):
            return link
    return None


def _asset_urls(soup: BeautifulSoup) -> list[str]:
    """URLs the page loads itself (scripts, styles, images), not links it points to."""
    urls: list[str] = []
    for tag in tags_named(soup, "script", "link", "img", "source"):
        for attr in ("src", "href", "data-src"):
            value = tag.get(attr)
            if isinstance(value, str):
                urls.append(value)
    return urls


def _host(url: str) -> str:
    """The URL's host, lower-cased; "" for a URL Python cannot split (a page's own
    canonical link may be malformed, e.g. an unbalanced "[" or "]")."""
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return ""


def _other_platform(soup: BeautifulSoup, url: str) -> str | None:
    """Another blogging platform's own markers: Blogger, Medium …"""
    hosts = {_host(u) for u in (url, _canonical(soup) or "") if u}
    site_name = (_meta(soup, "og:site_name") or "").lower()
    for platform, markers in sel.OTHER_PLATFORMS:
        key = platform.lower()
        if site_name == key or any(h == f"{key}.com" or h.endswith(f".{key}.com") for h in hosts):
            return f"{platform} page"
        if any(marker in h for h in hosts for marker in markers if "." in marker):
            return f"{platform} host"
    return None


def _wordpress_markers(soup: BeautifulSoup, url: str) -> list[str]:
    reasons: list[str] = []
    if _link_with_rel(soup, _REST_API_REL):
        reasons.append("REST API link")
    assets = _asset_urls(soup)
    if any(path in u for u in assets for path in sel.WORDPRESS_ASSET_PATHS):
        reasons.append("wp-content/wp-includes URLs")
    classes = _all_classes(soup)
    if any(c.startswith(sel.WORDPRESS_CLASS_PREFIXES) for c in classes):
        reasons.append("WordPress classes")
    if _is_wordpress_com(soup, url):
        reasons.append("WordPress.com markers")
    elif any(m in u for u in assets for m in sel.JETPACK_MARKERS):
        reasons.append("Jetpack assets")
    return reasons


def _all_classes(soup: BeautifulSoup) -> set[str]:
    classes: set[str] = set()
    for tag in tags_with_attribute(soup, "class"):
        value = tag.get("class")
        if isinstance(value, list):
            classes.update(value)
    return classes


def _is_wordpress_com(soup: BeautifulSoup, url: str) -> bool:
    generator = (_generator(soup) or "").lower()
    if generator == "wordpress.com":
        return True
    hosts = {_host(u) for u in (url, _canonical(soup) or "") if u}
    if any(h.endswith(".wordpress.com") for h in hosts):
        return True
    body = first_named(soup, "body")
    body_classes = body.get("class") if isinstance(body, Tag) else None
    if isinstance(body_classes, list) and any(c in sel.WPCOM_MARKERS for c in body_classes):
        return True
    # WordPress.com serves its theme assets from s0.wp.com; Jetpack sites only images.
    return any(
        u.split("//")[-1].startswith(_WPCOM_STATIC)
        for u in _asset_urls(soup)
    )


def _canonical(soup: BeautifulSoup) -> str | None:
    link = _link_with_rel(soup, "canonical")
    href = link.get("href") if isinstance(link, Tag) else None
    if isinstance(href, str) and href.strip():
        return href.strip()
    return _meta(soup, "og:url")


def _blog_name(soup: BeautifulSoup) -> str | None:
    name = _meta(soup, "og:site_name") or _meta(soup, "application-name")
    if name:
        return name
    for selector in sel.SITE_TITLE:
        found = select_one(soup, selector)
        if found:
            text = collapse_whitespace(found.get_text(" "))
            if text:
                return text
    return None


def _home_url(soup: BeautifulSoup, url: str) -> str | None:
    """The blog's home, from the page's REST API link, home link, site title or canonical
    URL — the first on the page's own host: a link to another host must not move the whole
    crawl there."""
    try:
        for candidate in _home_candidates(soup, url):
            if in_scope(candidate, home_of(url)):
                return candidate
    except ValueError:  # a malformed link on the page ("https://]]>…"): Python cannot split it
        return None
    return None


def _home_candidates(soup: BeautifulSoup, url: str) -> Iterator[str]:
    api = _link_with_rel(soup, _REST_API_REL)
    href = api.get("href") if isinstance(api, Tag) else None
    if isinstance(href, str) and "wp-json" in href:
        yield urljoin(url, href.split("wp-json", 1)[0])
    home = _link_with_rel(soup, "home")
    href = home.get("href") if isinstance(home, Tag) else None
    if isinstance(href, str) and href.strip():
        yield urljoin(url, href.strip())
    for selector in sel.SITE_TITLE:
        link = select_one(soup, selector)
        href = link.get("href") if isinstance(link, Tag) and link.name == "a" else None
        if isinstance(href, str) and href.strip():
            yield urljoin(url, href.strip())
            break
    parts = urlsplit(_canonical(soup) or url)
    if parts.scheme and parts.netloc:
        yield f"{parts.scheme}://{parts.netloc}/"
