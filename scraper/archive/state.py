"""What the archive holds for a blog, read once when a re-crawl starts (incremental sync).

``url_state`` holds, per post URL, the REST API's ``modified_gmt`` of the version stored,
when the post was *complete* (its page and every comment page stored) and the HTTP
validators its server sent; one more row per blog keeps the REST comments total.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from scraper.model.urls import blog_id_for

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class KnownUrl:
    """The ``url_state`` row of a post URL."""

    post_id: str
    etag: str | None
    last_modified: str | None
    api_modified: str | None
    complete_at: str | None


@dataclass
class ArchiveState:
    """What the archive holds for one blog."""

    urls: dict[str, KnownUrl] = field(default_factory=dict)  # canonical URL → url_state
    posts_by_wp_id: dict[int, tuple[str, str]] = field(default_factory=dict)  # → (id, url)
    comments_total: int | None = None  # REST X-WP-Total of comments when last checked
    # live type=comment comments: wp_id → (comment id, post id)
    comments: dict[int, tuple[str, str]] = field(default_factory=dict)

    @property
    def incremental(self) -> bool:
        return any(known.complete_at for known in self.urls.values())


def load_state(archive: str | Path | None, blog_url: str) -> ArchiveState | None:
    """The blog's state in the archive, or None (no archive yet, an older one, or no post
    ever completed: a full crawl)."""
    if not archive or not Path(archive).exists():
        return None
    blog_id = blog_id_for(blog_url)
    try:
        conn = sqlite3.connect(f"file:{Path(archive).resolve()}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error:
        return None
    try:
        state = ArchiveState()
        for row in conn.execute(
            "select u.url, u.post_id, u.etag, u.last_modified, u.api_modified, u.complete_at,"
            " p.wp_id, p.url from url_state u join posts p on p.id = u.post_id"
            " where u.blog_id = ? and p.deleted_at is null", [blog_id]):
            url, post_id, etag, last_modified, api_modified, complete_at, wp_id, post_url = row
            state.urls[url] = KnownUrl(post_id, etag, last_modified, api_modified, complete_at)
            if wp_id is not None and api_modified is not None:
                state.posts_by_wp_id[int(wp_id)] = (post_id, post_url or url)
        state.comments = {int(wp_id): (cid, post_id) for cid, wp_id, post_id in conn.execute(
            "select id, wp_id, post_id from comments where blog_id = ? and deleted_at is null"
            " and wp_id is not null and coalesce(type, 'comment') = 'comment'", [blog_id])}
        row = conn.execute("select api_modified from url_state where url = ?",
                           [comments_total_key(blog_url)]).fetchone()
        if row and row[0] and str(row[0]).isdigit():
            state.comments_total = int(row[0])
        return state if state.incremental else None
    except sqlite3.Error as error:  # an archive from before url_state, or not ours
        logger.info("no incremental state in %s (%s): full crawl", archive, error)
        return None
    finally:
        conn.close()


def comments_total_key(blog_url: str) -> str:
    """``url_state`` key of the REST comments total (X-WP-Total counts comments the API
    then hides, on private posts: only its change from one crawl to the next means much)."""
    return f"{blog_id_for(blog_url)}#rest-comments-total"
