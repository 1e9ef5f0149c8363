"""Deterministic keys of archived rows, the content hash of a post, and UTC timestamps.

Two crawls of the same blog must give the same keys (so a rerun updates rows in place and
many workers can feed one archive); ``scraper/archive/schema.py`` lists them all:

* post: ``<blog>/?p=<WordPress id>`` (WordPress's own shortlink), or ``<blog>/<path>`` of
  the canonical URL when the page hides the id;
* author: ``<blog>/author/<slug>``; term: ``<blog>/<taxonomy>/<slug>``;
* comment: ``<blog>/#comment-<WordPress id>`` (comment ids are unique per blog), or a
  content hash under the post when the page hides the id;
* work: ``<type>/<title>/<year>`` from the work itself, never from the blog, so that the
  same film reviewed on two blogs is one work.

Timestamps are ISO 8601 in UTC to the second with a ``Z`` (``2026-01-01T09:30:00Z``):
they sort as text, which the archive's ``first_seen``/``last_seen`` comparisons rely on.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime

from scraper.model.records import Author, Comment, Credit, Post, ReviewedWork, Term
from scraper.model.urls import post_path_key


def utc_iso(moment: datetime) -> str:
    """An aware datetime as ``YYYY-MM-DDTHH:MM:SSZ`` in UTC."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def utc_now() -> str:
    """Now, as ``utc_iso`` writes it."""
    return utc_iso(datetime.now(UTC))


def post_key(blog_id: str, post: Post, post_url: str) -> str:
    if post.wp_id is not None:
        return f"{blog_id}/?p={post.wp_id}"
    return f"{blog_id}{post_path_key(post.canonical_url or post_url)}"


def author_key(blog_id: str, author: Author) -> str:
    slug = author.slug or _slug_of_name(author.name)
    return f"{blog_id}/author/{slug}"


def term_key(blog_id: str, term: Term) -> str:
    slug = term.slug or _slug_of_name(term.name)
    return f"{blog_id}/{term.taxonomy}/{slug}"


def comment_key(blog_id: str, post_id: str, comment: Comment) -> str:
    if comment.wp_id is not None:
        return f"{blog_id}/#comment-{comment.wp_id}"
    digest = hashlib.sha256(
        "\x1f".join([comment.author_name or "", comment.date_text or "", comment.text]).encode()
    ).hexdigest()[:16]
    return f"{post_id}#c-{digest}"


def content_hash(post: Post, credits: Iterable[Credit]) -> str:
    """sha256 of what makes a version of a post: title, body, terms and credits."""
    payload = {
        "title": post.title,
        "body": post.body_html,
        "terms": sorted((t.taxonomy, t.name) for t in post.terms),
        "credits": [(c.text, c.name, c.url) for c in credits],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def work_key(work: ReviewedWork) -> str:
    """``film/her/2013``: kind (``work`` when unknown), title without case, accents or
    punctuation ("Amélie" and "Amelie" are one), year (empty when unknown)."""
    return f"{work.type or 'work'}/{title_slug(work.title)}/{work.year or ''}"


def title_slug(title: str) -> str:
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "-".join(re.findall(r"\w+", plain)) or "untitled"


def _slug_of_name(name: str) -> str:
    """A stand-in slug when the page names an author or term without linking its slug."""
    return "-".join(name.lower().split()) or "unknown"
