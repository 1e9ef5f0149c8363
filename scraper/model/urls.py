"""URL rules for WordPress blogs: identity, canonical form, scope and traps.

Pure functions (no Scrapy), shared by the spider, the store and the tests.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that never change which post or comment page is shown,
# only tracking or UI state; dropped before the duplicate filter.
_NOISE_PARAMS = frozenset(
    {"utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "fbclid",
     "gclid", "amp", "nb", "shared", "msg"}
)

# Links a naive mirror follows and an archive never needs: each would cost a
# request per post (or be infinite) and yields nothing that isn't elsewhere.
_TRAP_QUERY_KEYS = frozenset(
    {"replytocom", "share", "like_comment", "like", "jetpack-comment", "quote-comment",
     "mode", "s", "m", "print", "attachment_id", "preview", "doing_wp_cron", "unapproved",
     "moderation-hash", "action", "redirect_to", "orderby", "order", "ical", "outlook-ical",
     "wc-ajax", "add-to-cart", "rest_route", "feed", "format", "replytocom_id"}
)
_TRAP_PATH = re.compile(
    r"""(
        /wp-admin(/|$) | /wp-login\.php | /wp-signup\.php | /xmlrpc\.php | /wp-cron\.php
      | /wp-json(/|$) | /wp-content/ | /wp-includes/
      | /feed(/|$) | /rss2?(/|$) | /atom(/|$) | /comments/feed
      | /trackback(/|$) | /embed(/|$) | /amp(/|$)
      | /attachment/
    )""",
    re.VERBOSE | re.IGNORECASE,
)
_COMMENT_PAGE_PATH = re.compile(r"/comment-page-(\d+)/?$")
_ARCHIVE_PAGE_PATH = re.compile(r"/page/(\d+)/?$")


def canonicalize(url: str) -> str:
    """One spelling per resource: lower-case host, no fragment, no tracking params,
    a trailing slash on directory-like paths kept as the blog emits it."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in _NOISE_PARAMS]
    netloc = parts.netloc.lower()
    if (parts.scheme == "http" and netloc.endswith(":80")) or (
        parts.scheme == "https" and netloc.endswith(":443")
    ):
        netloc = netloc.rsplit(":", 1)[0]
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", urlencode(sorted(query)),
                       ""))


def blog_id_for(home_url: str) -> str:
    """A blog's key: its home URL without scheme, ``www.``-insensitive, no trailing slash."""
    parts = urlsplit(canonicalize(home_url))
    host = parts.netloc.removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}"


def post_path_key(url: str) -> str:
    """The path-and-query part of a post URL, used as a key when the page hides its id."""
    parts = urlsplit(canonicalize(url))
    path = _COMMENT_PAGE_PATH.sub("/", parts.path)
    return path + (f"?{parts.query}" if parts.query else "")


def home_of(url: str) -> str:
    """The origin of a URL, as a blog home URL."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


def is_trap(url: str) -> bool:
    """True for links that only a naive mirror follows (see _TRAP_* above)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return True
    if _TRAP_PATH.search(parts.path):
        return True
    keys = {k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
    return bool(keys & _TRAP_QUERY_KEYS)


def in_scope(url: str, blog_home: str) -> bool:
    """Whether a URL belongs to the blog: same host, under the blog's path."""
    target, home = urlsplit(url), urlsplit(blog_home)
    if target.netloc.lower().removeprefix("www.") != home.netloc.lower().removeprefix("www."):
        return False
    return target.path.startswith(home.path.rstrip("/") + "/") or target.path == home.path


def comment_page_number(url: str) -> int | None:
    """N of ``/comment-page-N/`` or ``?cpage=N``; None when the URL is the post's own."""
    parts = urlsplit(url)
    match = _COMMENT_PAGE_PATH.search(parts.path)
    if match:
        return int(match.group(1))
    for key, value in parse_qsl(parts.query):
        if key == "cpage" and value.isdigit():
            return int(value)
    return None


def post_url_of_comment_page(url: str) -> str:
    """The post URL a comment page belongs to."""
    parts = urlsplit(url)
    path = _COMMENT_PAGE_PATH.sub("/", parts.path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "cpage"]
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))


def archive_page_number(url: str) -> int | None:
    """N of ``/page/N/`` or ``?paged=N`` on a listing page."""
    parts = urlsplit(url)
    match = _ARCHIVE_PAGE_PATH.search(parts.path)
    if match:
        return int(match.group(1))
    for key, value in parse_qsl(parts.query):
        if key == "paged" and value.isdigit():
            return int(value)
    return None


def validate_start_url(url: str) -> str | None:
    """Why a start URL cannot be crawled, or None when it can."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return "not an http(s) URL (try https://…)"
    if not parts.hostname:
        return "the URL has no host"
    return None


def urls_in_file(path: str | Path) -> list[str]:
    """The URLs of a ``--urls-file``: one a line; blank lines and ``#`` comments skipped."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]
