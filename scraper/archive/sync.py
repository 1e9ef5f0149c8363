"""Archive updates that are not fetched pages (``scraper.model.items.SyncAction``)."""

from __future__ import annotations

from typing import Protocol

from scraper.archive.state import comments_total_key
from scraper.model.items import (
    CommentsTotal,
    PostComplete,
    SyncAction,
    TombstoneComments,
    TombstonePosts,
    TouchPosts,
)
from scraper.model.urls import blog_id_for

Row = dict[str, object]


class SyncTarget(Protocol):
    """The store's writes a sync action maps to (``ArchiveStore``)."""

    def post_complete(self, crawl_id: str, row: Row) -> None: ...
    def save_url_state(self, crawl_id: str, row: Row) -> None: ...
    def touch_posts(self, crawl_id: str, blog_id: str, post_ids: tuple[str, ...]) -> None: ...
    def tombstone_posts(self, crawl_id: str, post_ids: tuple[str, ...]) -> int: ...
    def tombstone_comments(self, crawl_id: str, comment_ids: tuple[str, ...]) -> int: ...


def apply_sync(store: SyncTarget, crawl_id: str, action: SyncAction) -> None:
    """Write one sync action into the archive."""
    match action:
        case PostComplete():
            store.post_complete(crawl_id, completion_row(action))
        case CommentsTotal(blog_url=blog_url, total=total):
            store.save_url_state(crawl_id, {
                "url": comments_total_key(blog_url), "blog_id": blog_id_for(blog_url),
                "api_modified": None if total is None else str(total)})
        case TouchPosts(blog_url=blog_url, post_ids=post_ids):
            store.touch_posts(crawl_id, blog_id_for(blog_url), post_ids)
        case TombstonePosts(post_ids=post_ids):
            store.tombstone_posts(crawl_id, post_ids)
        case TombstoneComments(comment_ids=comment_ids):
            store.tombstone_comments(crawl_id, comment_ids)


def completion_row(action: PostComplete) -> Row:
    """The ``url_state`` row of a completed post."""
    return {"url": action.url, "blog_id": blog_id_for(action.blog_url),
            "post_id": action.post_id, "etag": action.etag,
            "last_modified": action.last_modified, "api_modified": action.api_modified}
