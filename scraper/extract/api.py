"""WordPress REST API (``/wp-json/wp/v2/…``) and WordPress.com public API v1.1 JSON → records.

Pure: decoded JSON (or raw bytes) and response headers in, frozen dataclasses out. Never
imports scrapy. Used two ways:

* discovery: which post URLs a blog has (``ApiListing.items[*].link``) and how many it
  says it has (``X-WP-Total``), at 100 posts per request;
* API-only archives (``-a pages=no``): ``page_extraction_from_api`` turns a post, its
  comments and the blog's users and terms into the same ``PageExtraction`` the HTML
  extractor produces, so the store writes the same kinds of rows;
* comments a post's page could not show (``comments_extraction_from_api``).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from scraper.extract.credits import extract_credits
from scraper.extract.post import extract_post
from scraper.html import collapse_whitespace, fragment_text, parse_html
from scraper.model.keys import utc_iso
from scraper.model.records import (
    Author,
    BlogInfo,
    Comment,
    CommentsInfo,
    CommentType,
    PageExtraction,
    Post,
    Term,
)

# Fields asked for when the API only lists posts (the post pages are the record).
LISTING_POST_FIELDS = ("id", "link", "date_gmt", "modified_gmt")
# Fields for an API-only archive (no post pages fetched).
FULL_POST_FIELDS = (
    "id", "link", "slug", "date_gmt", "modified_gmt", "title", "content", "excerpt", "author",
    "categories", "tags", "comment_status", "sticky",
)
COMMENT_FIELDS = ("id", "post", "parent", "author_name", "author_url", "date_gmt", "content",
                  "link", "type")
USER_FIELDS = ("id", "name", "slug", "url", "link")
TERM_FIELDS = ("id", "name", "slug", "link", "taxonomy")
WPCOM_POST_FIELDS = ("ID", "URL", "date", "modified", "discussion")

# REST error codes that mean "this site has no (public) REST API": fall back, not an error.
_DISABLED_CODE = re.compile(
    r"^rest_(?:\w*disabled\w*|no_route|not_logged_in|login_required|cannot_access|forbidden"
    r"|authentication_required|unauthorized)$"
)
_PROTECTED_TITLE = re.compile(r"^(?:Protected|Private):\s+")


@dataclass(frozen=True, slots=True)
class ApiPost:
    wp_id: int
    link: str
    slug: str | None = None
    title: str | None = None  # plain text (entities decoded, tags dropped)
    published: str | None = None  # ISO 8601 UTC ("…Z")
    modified: str | None = None
    author_id: int | None = None
    category_ids: tuple[int, ...] = ()
    tag_ids: tuple[int, ...] = ()
    content_html: str = ""
    excerpt_html: str = ""
    protected: bool = False
    comment_count: int | None = None  # WordPress.com states it per post; core does not


@dataclass(frozen=True, slots=True)
class ApiComment:
    wp_id: int
    post_id: int
    parent_id: int | None
    author_name: str | None
    author_url: str | None
    published: str | None  # ISO 8601 UTC
    content_html: str
    link: str | None
    type: str = "comment"


@dataclass(frozen=True, slots=True)
class ApiUser:
    wp_id: int
    name: str
    slug: str | None
    url: str | None  # the author archive (``link``), as themes link it


@dataclass(frozen=True, slots=True)
class ApiTerm:
    wp_id: int
    taxonomy: str  # category | tag
    name: str
    slug: str | None
    url: str | None


@dataclass(frozen=True, slots=True)
class ApiListing:
    """One page of a REST collection, with the totals WordPress states in its headers."""

    items: tuple[Any, ...]
    total: int | None  # X-WP-Total
    total_pages: int | None  # X-WP-TotalPages


@dataclass(frozen=True, slots=True)
class WpcomListing:
    """One page of ``/rest/v1.1/sites/SITE/posts``."""

    items: tuple[ApiPost, ...]
    found: int | None
    next_page_handle: str | None


# --- endpoints --------------------------------------------------------------


def rest_root_from_link_header(value: str | bytes | None) -> str | None:
    """The REST root a page advertises: ``Link: <…/wp-json/>; rel="https://api.w.org/"``."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    for part in text.split(","):
        match = re.match(r'\s*<([^>]+)>\s*;(.*)$', part)
        if match and "https://api.w.org/" in match.group(2):
            return match.group(1).strip()
    return None


def rest_root_candidates(home_url: str, advertised: str | None = None) -> tuple[str, ...]:
    """REST roots to try, best first: the advertised one, ``/wp-json/``, ``/?rest_route=/``."""
    home = home_url if home_url.endswith("/") else home_url + "/"
    found = [advertised] if advertised else []
    for root in (home + "wp-json/", home + "?rest_route=/"):
        if root not in found:
            found.append(root)
    return tuple(found)


def rest_url(root: str, route: str, params: Mapping[str, Any] | None = None) -> str:
    """``root`` + ``route`` (``wp/v2/posts``) + query, for both root styles."""
    query = urlencode([(k, v) for k, v in (params or {}).items() if v is not None])
    if "rest_route=" in root:
        base, _, _ = root.partition("rest_route=")
        url = f"{base}rest_route=/{route.lstrip('/')}"
        return f"{url}&{query}" if query else url
    url = root.rstrip("/") + "/" + route.lstrip("/")
    return f"{url}?{query}" if query else url


def wpcom_site(home_url: str) -> str:
    """The site identifier the WordPress.com API expects: the blog's host (and path)."""
    parts = urlsplit(home_url)
    path = parts.path.strip("/")
    return parts.netloc.lower() + (f"::{path.replace('/', '::')}" if path else "")


def wpcom_posts_url(api_base: str, site: str, page_handle: str | None = None,
                    fields: Sequence[str] = WPCOM_POST_FIELDS) -> str:
    params: dict[str, str] = {"number": "100", "fields": ",".join(fields), "order_by": "date"}
    if page_handle:
        params["page_handle"] = page_handle
    return f"{api_base.rstrip('/')}/sites/{site}/posts/?{urlencode(params)}"


def is_wordpress_com_host(home_url: str) -> bool:
    host = (urlsplit(home_url).hostname or "").lower()
    return host.endswith(".wordpress.com") and host != "public-api.wordpress.com"


# --- decoding ---------------------------------------------------------------


def load_json(body: bytes | str) -> Any:
    """The JSON value of a body (BOM and leading junk PHP notices tolerated), or None."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = text.lstrip("\ufeff")
    for start in range(len(text)):
        if text[start] in "[{":
            try:
                return json.loads(text[start:])
            except ValueError:
                return None
        if start > 2000:
            break
    return None


def rest_unavailable(status: int, body: bytes | str, content_type: str | None = None
                     ) -> str | None:
    """Why this response means "no usable REST API here", or None when it is a listing."""
    if status in (401, 403, 404, 410):
        data = load_json(body)
        code = data.get("code") if isinstance(data, dict) else None
        return f"HTTP {status}" + (f" ({code})" if code else "")
    if status >= 400:
        return f"HTTP {status}"
    data = load_json(body)
    if isinstance(data, dict) and isinstance(data.get("code"), str):
        code = data["code"]
        return f"{code}" if _DISABLED_CODE.match(code) else f"API error {code}"
    if not isinstance(data, list):
        kind = (content_type or "").split(";")[0] or "unknown"
        return f"not a JSON list (content type {kind})"
    return None


def header_int(value: str | bytes | None) -> int | None:
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    return int(text) if text.isdigit() else None


def listing(items: Iterable[Any], total: str | bytes | None, total_pages: str | bytes | None
            ) -> ApiListing:
    return ApiListing(tuple(items), header_int(total), header_int(total_pages))


def parse_posts(data: Any) -> tuple[ApiPost, ...]:
    """``/wp/v2/posts`` items (any ``_fields`` subset that has ``id`` and ``link``)."""
    posts = []
    for item in data if isinstance(data, list) else ():
        if not isinstance(item, dict) or not isinstance(item.get("id"), int) or not _str(
            item.get("link")
        ):
            continue
        content = _object(item.get("content"))
        posts.append(
            ApiPost(
                wp_id=item["id"],
                link=item["link"],
                slug=_str(item.get("slug")),
                title=_rendered_text(item.get("title")),
                published=_gmt(item.get("date_gmt")),
                modified=_gmt(item.get("modified_gmt")),
                author_id=item.get("author") if isinstance(item.get("author"), int) else None,
                category_ids=_ints(item.get("categories")),
                tag_ids=_ints(item.get("tags")),
                content_html=_str(content.get("rendered")) or "",
                excerpt_html=_rendered(item.get("excerpt")) or "",
                protected=bool(content.get("protected")),
            )
        )
    return tuple(posts)


def parse_comments(data: Any) -> tuple[ApiComment, ...]:
    comments = []
    for item in data if isinstance(data, list) else ():
        if not isinstance(item, dict) or not isinstance(item.get("id"), int):
            continue
        comments.append(
            ApiComment(
                wp_id=item["id"],
                post_id=int(item.get("post") or 0),
                parent_id=int(item["parent"]) if item.get("parent") else None,
                author_name=_str(item.get("author_name")),
                author_url=_str(item.get("author_url")),
                published=_gmt(item.get("date_gmt")),
                content_html=_rendered(item.get("content")) or "",
                link=_str(item.get("link")),
                type=_str(item.get("type")) or "comment",
            )
        )
    return tuple(comments)


def parse_users(data: Any) -> tuple[ApiUser, ...]:
    return tuple(
        ApiUser(item["id"], _str(item.get("name")) or "", _str(item.get("slug")),
                _str(item.get("link")))
        for item in (data if isinstance(data, list) else ())
        if isinstance(item, dict) and isinstance(item.get("id"), int)
    )


def parse_terms(data: Any, taxonomy: str) -> tuple[ApiTerm, ...]:
    """``/wp/v2/categories`` or ``/wp/v2/tags``; taxonomy is ``category`` or ``tag``."""
    return tuple(
        ApiTerm(item["id"], taxonomy, html.unescape(_str(item.get("name")) or ""),
                _str(item.get("slug")), _str(item.get("link")))
        for item in (data if isinstance(data, list) else ())
        if isinstance(item, dict) and isinstance(item.get("id"), int)
    )


def parse_wpcom_posts(data: Any) -> WpcomListing:
    """WordPress.com ``/rest/v1.1/sites/SITE/posts`` (``found``, ``posts``, ``meta.next_page``)."""
    if not isinstance(data, dict):
        return WpcomListing((), None, None)
    posts = []
    for item in data.get("posts") or ():
        if not isinstance(item, dict) or not isinstance(item.get("ID"), int) or not _str(
            item.get("URL")
        ):
            continue
        discussion = _object(item.get("discussion"))
        author = _object(item.get("author"))
        count = discussion.get("comment_count")
        posts.append(
            ApiPost(
                wp_id=item["ID"],
                link=item["URL"],
                slug=_str(item.get("slug")),
                title=_text(_str(item.get("title"))),
                published=_iso_utc(item.get("date")),
                modified=_iso_utc(item.get("modified")),
                author_id=author.get("ID") if isinstance(author.get("ID"), int) else None,
                content_html=_str(item.get("content")) or "",
                excerpt_html=_str(item.get("excerpt")) or "",
                comment_count=count if isinstance(count, int) else None,
            )
        )
    meta = _object(data.get("meta"))
    found = data.get("found")
    return WpcomListing(tuple(posts), found if isinstance(found, int) else None,
                        _str(meta.get("next_page")))


# --- API-only archive: the same records the HTML extractor gives -------------


def page_extraction_from_api(
    post: ApiPost,
    blog: BlogInfo,
    users: Mapping[int, ApiUser],
    terms: Mapping[int, ApiTerm],
    comments: Sequence[ApiComment],
) -> PageExtraction:
    """A post page's ``PageExtraction`` built from the API alone (``-a pages=no``).

    The body is run through the HTML extractor's cleaning and credit finding on a
    minimal page, so ``body_html``, ``word_count``, images and credits follow the same
    rules as when the page itself is fetched.
    """
    title = _PROTECTED_TITLE.sub("", post.title or "") if post.protected else post.title
    document = (
        f'<html><body class="single single-post postid-{post.wp_id}">'
        f'<article id="post-{post.wp_id}" class="post-{post.wp_id} post type-post hentry">'
        f'<h1 class="entry-title">{html.escape(title or "")}</h1>'
        f'<div class="entry-content">{post.content_html}</div></article></body></html>'
    )
    soup = parse_html(document)
    parsed = extract_post(soup, post.link)
    author = users.get(post.author_id) if post.author_id is not None else None
    record = Post(
        url=post.link,
        canonical_url=post.link,
        wp_id=post.wp_id,
        title=title,
        published=post.published,
        modified=post.modified,
        published_text=None,
        author=Author(author.name, author.url, author.slug) if author else None,
        terms=tuple(
            Term("category" if term.taxonomy == "category" else "tag", term.name, term.url,
                 term.slug)
            for term in (terms.get(i) for i in (*post.category_ids, *post.tag_ids))
            if term is not None
        ),
        body_html=parsed.body_html if parsed else post.content_html,
        body_text=parsed.body_text if parsed else _text(post.content_html) or "",
        excerpt=_text(post.excerpt_html),
        word_count=parsed.word_count if parsed else 0,
        featured_image=None,
        images=parsed.images if parsed else (),
        language=blog.language,
    )
    return PageExtraction(
        url=post.link,
        blog=blog,
        is_post_page=True,
        post=record,
        credits=extract_credits(soup, post.link, record),
        comments=comment_records(comments),
        comments_info=CommentsInfo(count_shown=None, page=None),
    )


def post_comments_url(root: str, post_wp_id: int, page: int = 1) -> str:
    """One post's comments from the REST API, oldest first, 100 a page."""
    return rest_url(root, "wp/v2/comments", {
        "post": post_wp_id, "per_page": 100, "page": page, "order": "asc",
        "_fields": ",".join(COMMENT_FIELDS)})


def comments_extraction_from_api(body: bytes | str, post_url: str, post_wp_id: int
                                 ) -> PageExtraction:
    """A REST API listing of one post's comments (``post_comments_url``) as a
    ``PageExtraction`` holding only those comments; the post is named by its id alone.

    Asked when a post's pages show fewer comments than they state (a comment's unclosed
    ``<style>`` can hide the rest of the thread from any HTML parser)."""
    comments = [c for c in parse_comments(load_json(body)) if c.post_id == post_wp_id]
    post = Post(url=post_url, canonical_url=None, wp_id=post_wp_id, title=None,
                published=None, modified=None, published_text=None, author=None, terms=(),
                body_html="", body_text="", excerpt=None, word_count=0, featured_image=None)
    return PageExtraction(
        url=post_url,
        blog=BlogInfo(is_wordpress=True, reason="REST API comment listing"),
        is_post_page=True,
        post=post,
        credits=(),
        comments=comment_records(comments),
        comments_info=CommentsInfo(count_shown=None),
    )


def comment_records(comments: Sequence[ApiComment]) -> tuple[Comment, ...]:
    """One post's API comments as threaded ``Comment`` records, oldest first."""
    ordered = sorted(comments, key=lambda c: (c.published or "", c.wp_id))
    by_id = {c.wp_id: c for c in ordered}

    def depth(comment: ApiComment) -> int:
        level, seen = 1, {comment.wp_id}
        parent = by_id.get(comment.parent_id) if comment.parent_id else None
        while parent is not None and parent.wp_id not in seen:
            level += 1
            seen.add(parent.wp_id)
            parent = by_id.get(parent.parent_id) if parent.parent_id else None
        return level

    position = {c.wp_id: i for i, c in enumerate(ordered)}
    return tuple(
        Comment(
            wp_id=c.wp_id,
            parent_wp_id=c.parent_id,
            depth=depth(c),
            position=position[c.wp_id],
            parent_position=position.get(c.parent_id) if c.parent_id else None,
            author_name=c.author_name,
            author_url=c.author_url,
            published=c.published,
            date_text=None,
            text=_text(c.content_html) or "",
            html=c.content_html.strip(),
            type=_comment_type(c.type),
            url=c.link,
        )
        for c in ordered
    )


# --- helpers ----------------------------------------------------------------


_PING_TYPES: dict[str, CommentType] = {"pingback": "pingback", "trackback": "trackback"}


def _comment_type(value: str) -> CommentType:
    """The REST API's comment type; anything but a ping is a comment (WordPress's own rule)."""
    return _PING_TYPES.get(value, "comment")


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _object(value: Any) -> dict[str, Any]:
    """A JSON object, or an empty one for anything else (a missing or mistyped field)."""
    return value if isinstance(value, dict) else {}


def _ints(value: Any) -> tuple[int, ...]:
    return tuple(v for v in value if isinstance(v, int)) if isinstance(value, list) else ()


def _rendered(value: Any) -> str | None:
    if isinstance(value, dict):
        return _str(value.get("rendered"))
    return _str(value)


def _rendered_text(value: Any) -> str | None:
    return _text(_rendered(value))


def _text(fragment: str | None) -> str | None:
    if not fragment:
        return None
    text = fragment_text(fragment, " ") if "<" in fragment else fragment
    return collapse_whitespace(html.unescape(text)) or None


def _gmt(value: Any) -> str | None:
    """REST ``date_gmt`` (``2019-01-12T09:30:00``, no offset, UTC) → ``…Z``."""
    text = _str(value)
    if not text:
        return None
    return text if text.endswith("Z") else text + "Z"


def _iso_utc(value: Any) -> str | None:
    """WordPress.com dates carry an offset (``2019-01-12T10:30:00+01:00``) → UTC ``…Z``."""
    from datetime import datetime

    text = _str(value)
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.isoformat(timespec="seconds")
    return utc_iso(moment)
