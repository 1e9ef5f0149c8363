"""Incremental re-crawls: fetch only what changed since the archive last saw the blog.

The archive is the record of progress: ``url_state`` holds, per post URL, the REST API's
``modified_gmt`` of the version stored and when the post was *complete* (its page and every
comment page stored), plus the HTTP validators (``ETag``, ``Last-Modified``) its server sent.
A blog with such rows is re-crawled incrementally (``-a full=yes`` forces a full crawl):

* the REST listing (``/wp/v2/posts?_fields=id,link,date_gmt,modified_gmt``, 100 posts a
  request) is fetched whole: a post is fetched again only when it is new, its
  ``modified_gmt`` differs from the stored one, or it was never completed (a crawl killed
  mid-post); ids the listing no longer has are posts gone from the blog (tombstoned);
* the newest comments (``/wp/v2/comments?orderby=id&order=desc&_fields=id,post``): comments
  the archive does not have yet send their posts to be fetched again; when the comment
  count (``X-WP-Total``) does not add up, the whole id list (100 a request) is fetched, and
  comments gone from it are tombstoned (their posts are fetched again as well);
* a re-fetched post whose page and comment pages were all stored tombstones its comments
  that this crawl did not see (``ArchiveStore.post_complete``);
* unchanged posts are only marked seen (``last_seen``/``crawl_id``), not re-extracted;
* a post page re-fetched with ``If-None-Match``/``If-Modified-Since`` that answers 304 is
  unchanged: marked seen, not re-extracted.

Other routes (sitemap, feed, HTML) re-crawl in full; a full crawl that ends without a fetch
error tombstones the rows of the blog it did not see (``ArchiveStore.tombstone_unseen``).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scraper.crawl.arguments import yes_no
from scraper.extract import api
from scraper.model.items import ArchivedPage
from scraper.model.keys import post_key
from scraper.model.urls import blog_id_for, canonicalize

if TYPE_CHECKING:
    from scrapy.http import Response

    from scraper.archive.writer import ArchiveStore
    from scraper.crawl.discovery.routes import BlogDiscovery

logger = logging.getLogger(__name__)


def parse_full_arg(value: str | None) -> bool:
    """``-a full=yes`` → True (ignore what the archive holds); default False."""
    return yes_no("full", value, default=False)


@dataclass(frozen=True, slots=True)
class SyncAction:
    """An archive update that is not a fetched page (the pipeline applies it)."""

    kind: str  # post_complete | touch | tombstone_posts | tombstone_comments
    blog_url: str
    ids: tuple[str, ...] = ()
    row: dict[str, Any] | None = None


def post_completion(
    blog_url: str,
    url: str,
    post_id: str,
    etag: str | None = None,
    last_modified: str | None = None,
    api_modified: str | None = None,
) -> SyncAction:
    """The post at ``url`` and all its comment pages are stored (its ``url_state`` row,
    with the validators its page came with and the REST API's modified date)."""
    return SyncAction("post_complete", blog_url, row={
        "url": url, "blog_id": blog_id_for(blog_url), "post_id": post_id, "etag": etag,
        "last_modified": last_modified, "api_modified": api_modified})


def pages_then_completions(pages: Iterable[ArchivedPage]) -> Iterator[ArchivedPage | SyncAction]:
    """Archived pages in the order a crawl yields them, each post's completion after its
    last page (pages of one post together, as the spider fetches them)."""
    previous: ArchivedPage | None = None
    for page in pages:
        if previous is not None and page.post_url != previous.post_url:
            yield completion_of(previous)
        yield page
        previous = page
    if previous is not None:
        yield completion_of(previous)


def completion_of(page: ArchivedPage) -> SyncAction:
    """The completion of the post of an archived page (no validators)."""
    assert page.extraction.post is not None
    blog_id = blog_id_for(page.blog_url)
    return post_completion(page.blog_url, page.post_url,
                           post_key(blog_id, page.extraction.post, page.post_url))


def apply_sync(store: ArchiveStore, crawl_id: str, action: SyncAction) -> None:
    if action.kind == "post_complete":
        assert action.row is not None
        store.post_complete(crawl_id, action.row)
    elif action.kind == "url_state":
        assert action.row is not None
        store.save_url_state(crawl_id, action.row)
    elif action.kind == "touch":
        store.touch_posts(crawl_id, blog_id_for(action.blog_url), action.ids)
    elif action.kind == "tombstone_posts":
        store.tombstone_posts(crawl_id, action.ids)
    elif action.kind == "tombstone_comments":
        store.tombstone_comments(crawl_id, action.ids)
    else:
        raise ValueError(f"unknown sync action {action.kind!r}")


@dataclass
class ArchiveState:
    """What the archive holds for one blog (read once when the crawl starts)."""

    urls: dict[str, dict[str, Any]] = field(default_factory=dict)  # canonical URL → url_state
    posts_by_wp_id: dict[int, tuple[str, str]] = field(default_factory=dict)  # → (id, url)
    comments_total: int | None = None  # REST X-WP-Total of comments when last checked
    # live type=comment comments: wp_id → (comment id, post id)
    comments: dict[int, tuple[str, str]] = field(default_factory=dict)

    @property
    def incremental(self) -> bool:
        return any(row["complete_at"] for row in self.urls.values())


def load_state(archive: str | Path | None, blog_url: str) -> ArchiveState | None:
    """The blog's state in the archive, or None (no archive yet, or an older one)."""
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
            state.urls[url] = {"post_id": post_id, "etag": etag, "last_modified": last_modified,
                               "api_modified": api_modified, "complete_at": complete_at}
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


def comments_total_action(blog_url: str, total: int | None) -> SyncAction:
    return SyncAction("url_state", blog_url, row={
        "url": comments_total_key(blog_url), "blog_id": blog_id_for(blog_url),
        "api_modified": None if total is None else str(total)})


class IncrementalSync:
    """The incremental part of the REST route for one blog."""

    def __init__(self, discovery: BlogDiscovery, state: ArchiveState) -> None:
        self.discovery = discovery
        self.state = state
        self.listed_ids: set[int] = set()
        self.listing_ok = True
        self.listing_done = False
        self.skipped: dict[str, str] = {}  # url → post id, unchanged
        self.refetched: set[str] = set()
        self.remote_comments: dict[int, int] = {}  # comment wp_id → post wp_id
        self.total: int | None = None
        self.comments_outstanding = 0
        self.comments_ok = True
        self.comments_done = False
        self.finished = False
        self.links: dict[int, str] = {}  # post wp_id → listed link

    # --- posts ------------------------------------------------------------------

    def on_listed(self, posts: Sequence[api.ApiPost]) -> Iterator[Any]:
        d = self.discovery
        for post in posts:
            url = canonicalize(post.link)
            self.listed_ids.add(post.wp_id)
            self.links[post.wp_id] = url
            d.listed_modified[url] = post.modified
            known = self.state.urls.get(url)
            d.note_listed(url)
            if (known and known["complete_at"] and post.modified
                    and known["api_modified"] == post.modified):
                self.skipped[url] = known["post_id"]
                d.note_archived(url)
                d._count("archive/incremental/unchanged_posts")
                continue
            self.refetched.add(url)
            d._count("archive/incremental/changed_posts")
            yield from d.spider.request_post(url, d.blog_home)

    def on_listing_done(self, ok: bool) -> Iterator[Any]:
        self.listing_ok = self.listing_ok and ok
        self.listing_done = True
        yield from self._maybe_finish()

    # --- comments -------------------------------------------------------------------

    def comments_url(self, root: str, page: int) -> str:
        return api.rest_url(root, "wp/v2/comments", {
            "per_page": 100, "page": page, "_fields": "id,post", "orderby": "id",
            "order": "desc"})

    def on_comments(self, response: Response) -> Iterator[Any]:
        d = self.discovery
        page = response.meta["api_page"]
        problem = api.rest_unavailable(response.status, response.body,
                                       _content_type(response))
        if problem:
            yield from self.on_comments_failed(response.request, problem, response)
            return
        data = api.load_json(response.body)
        items = [(int(c["id"]), int(c.get("post") or 0)) for c in data or ()
                 if isinstance(c, dict) and isinstance(c.get("id"), int)]
        self.remote_comments.update(items)
        if page == 1:
            total = api.header_int(response.headers.get(b"X-WP-Total"))
            d.comments_api_total = total
            self.total = total
            new = [cid for cid, _ in items if cid not in self.state.comments]
            last = self.state.comments_total
            if total is not None and last is not None and len(new) < len(items) and \
                    total == last + len(new):
                yield from self._comments_decided(complete_list=False)
                return
            pages = api.header_int(response.headers.get(b"X-WP-TotalPages")) or 1
            self.comments_outstanding = pages - 1
            root = response.meta["api_root"]
            for n in range(2, pages + 1):
                yield d._request(self.comments_url(root, n), "inc_comments", "api",
                                 api_root=root, api_page=n)
        else:
            self.comments_outstanding -= 1
        if self.comments_outstanding == 0:
            yield from self._comments_decided(complete_list=True)

    def on_comments_failed(self, request: Any, reason: str, response: Any) -> Iterator[Any]:
        from scraper.model.items import FetchFailure

        self.comments_ok = False
        yield FetchFailure(request.url, f"REST comments list failed: {reason}",
                           getattr(response, "status", None))
        if request.meta["api_page"] == 1:
            yield from self._comments_decided(complete_list=False)
            return
        self.comments_outstanding -= 1
        if self.comments_outstanding == 0:
            yield from self._comments_decided(complete_list=False)

    def _comments_decided(self, complete_list: bool) -> Iterator[Any]:
        d = self.discovery
        posts: set[int] = set()
        for cid, post in self.remote_comments.items():
            if cid not in self.state.comments:
                posts.add(post)
                d._count("archive/incremental/new_comments")
        if complete_list and self.comments_ok:
            gone = [(key, post_id) for cid, (key, post_id) in self.state.comments.items()
                    if cid not in self.remote_comments]
            if gone:
                d._count("archive/incremental/gone_comments", len(gone))
                yield SyncAction("tombstone_comments", d.blog_home, tuple(k for k, _ in gone))
                gone_posts = {post_id for _, post_id in gone}
                # their posts, for the comment counts (a post gone too is not fetched: the
                # listing dropped it, it is tombstoned with its comments)
                posts |= {wp for wp, (post_id, _) in self.state.posts_by_wp_id.items()
                          if post_id in gone_posts and wp in self.links}
        for wp_id in sorted(posts):
            url = self.links.get(wp_id) or (self.state.posts_by_wp_id.get(wp_id, (None, None))[1])
            if not url:
                continue
            url = canonicalize(url)
            self.skipped.pop(url, None)
            if url not in self.refetched:
                self.refetched.add(url)
                d._count("archive/incremental/posts_with_new_comments")
                yield from d.spider.request_post(url, d.blog_home)
        if self.comments_ok:
            yield comments_total_action(d.blog_home, self.total)
        self.comments_done = True
        yield from self._maybe_finish()

    # --- end ----------------------------------------------------------------------------

    def _maybe_finish(self) -> Iterator[Any]:
        if self.finished or not (self.listing_done and self.comments_done):
            return
        self.finished = True
        d = self.discovery
        skipped = [pid for url, pid in self.skipped.items() if url not in self.refetched]
        if skipped:
            yield SyncAction("touch", d.blog_home, tuple(skipped))
        if self.listing_ok:
            gone = [post_id for wp_id, (post_id, _) in self.state.posts_by_wp_id.items()
                    if wp_id not in self.listed_ids]
            if gone:
                d._count("archive/incremental/gone_posts", len(gone))
                yield SyncAction("tombstone_posts", d.blog_home, tuple(gone))


def _content_type(response: Response) -> str | None:
    value = response.headers.get(b"Content-Type")
    return value.decode("latin-1") if value else None
