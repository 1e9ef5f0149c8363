"""What the spider hands to the pipelines: a fetched page and what was extracted from it, a
page that failed, the archive updates that are not pages (sync actions), and the crawl report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from scraper.model.records import PageExtraction


@dataclass(frozen=True, slots=True)
class ArchivedPage:
    blog_url: str  # home URL of the blog the page belongs to
    post_url: str  # the post's own URL (differs from fetched_url on comment pages)
    fetched_url: str
    http_status: int
    fetched_at: str  # ISO UTC
    comment_page: int | None  # N for /comment-page-N/ or ?cpage=N; None for the post's URL
    extraction: PageExtraction
    # A REST API listing of the post's comments (``/wp/v2/comments?post=N``), asked because
    # its pages showed fewer comments than they state: only its comments are stored.
    rest_comments: bool = False

    @property
    def is_post_itself(self) -> bool:
        """The post's own page: the one its record, terms, credits and images come from
        (a comment page or an API comment listing repeats or lacks them)."""
        return self.comment_page is None and not self.rest_comments
    # Provenance (scraper/crawl/warc.py): the WARC record of the response the page came from.
    warc_file: str | None = None  # relative to the archive's folder
    warc_record_id: str | None = None
    payload_digest: str | None = None  # WARC-Payload-Digest (sha1, base32)


@dataclass(frozen=True, slots=True)
class FetchFailure:
    """A page the crawl could not archive; recorded, never stored as content."""

    url: str
    reason: str
    http_status: int | None = None
    attempts: int = 1


# --- archive updates that are not fetched pages (``scraper.archive.sync`` applies them) ---


@dataclass(frozen=True, slots=True)
class PostComplete:
    """The post at ``url`` and all its comment pages are stored: its ``url_state`` row, with
    the validators its page came with and the REST API's modified date."""

    blog_url: str
    url: str
    post_id: str
    etag: str | None = None
    last_modified: str | None = None
    api_modified: str | None = None


@dataclass(frozen=True, slots=True)
class CommentsTotal:
    """The REST comments total (``X-WP-Total``) seen for a blog, None when not given."""

    blog_url: str
    total: int | None


@dataclass(frozen=True, slots=True)
class TouchPosts:
    """Posts this crawl found unchanged: seen, not re-extracted."""

    blog_url: str
    post_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TombstonePosts:
    """Posts gone from the blog (the whole listing no longer has them)."""

    blog_url: str
    post_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TombstoneComments:
    """Comments gone from the blog (the whole REST comment list no longer has them)."""

    blog_url: str
    comment_ids: tuple[str, ...]


SyncAction = PostComplete | CommentsTotal | TouchPosts | TombstonePosts | TombstoneComments


# --- what a crawl found out about each blog, for the crawls row and the completeness check ---


@dataclass(frozen=True, slots=True)
class BlogReport:
    """What discovery listed for one blog and what independent sources say it has."""

    blog_url: str
    route: str | None  # the discovery route that listed the posts (None: none could)
    route_reason: str | None
    fetch_pages: bool  # False: the API-only archive (-a pages=no)
    posts_listed: int
    posts_expected: Mapping[str, int]  # source (api, wpcom, sitemap) → posts it states
    posts_not_archived: tuple[str, ...]  # listed post URLs no page was archived for
    comments_api_total: int | None  # REST X-WP-Total of comments
    comments_expected: Mapping[str, tuple[int, str]]  # post URL → (comments, source)
    # The whole blog was listed and every post fetched: if the crawl ends without a fetch
    # error, the blog's rows it did not see are gone from the blog.
    full_sync: bool = False
    incremental: bool = False  # only what changed since the last crawl was fetched
    # Listing sources that could not be read whole: (URL, source kind, why), e.g. a
    # truncated sitemap: what they list may be short.
    unreadable_sources: tuple[tuple[str, str, str], ...] = ()
    # Posts whose pages showed fewer comments than they state, whose comments were then
    # taken from the REST API: (post URL, comments stated, comments the pages showed).
    comments_from_api: tuple[tuple[str, int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class CrawlReport:
    """The crawl-level facts the archive records when a crawl ends (``finish_crawl``)."""

    blogs: tuple[BlogReport, ...] = ()
    requests_by_kind: Mapping[str, int] = field(default_factory=dict)
    # The crawl downloaded images (-a media=no, MEDIA_ENABLED=False: it did not), so the
    # completeness check counts the images of its posts that have no file.
    media: bool = False

    @property
    def mode(self) -> str:
        return "incremental" if any(blog.incremental for blog in self.blogs) else "full"

    @property
    def full_sync_blogs(self) -> tuple[str, ...]:
        return tuple(blog.blog_url for blog in self.blogs if blog.full_sync)

    @property
    def route(self) -> str | None:
        """The route of the blog, or ``blog=route`` pairs when a crawl covers several."""
        blogs = self._routed()
        if len(blogs) == 1:
            return blogs[0].route
        return ", ".join(f"{b.blog_url}={b.route}" for b in blogs) if blogs else None

    @property
    def route_reason(self) -> str | None:
        blogs = self._routed()
        if len(blogs) == 1:
            return blogs[0].route_reason
        return "; ".join(f"{b.blog_url}: {b.route_reason}" for b in blogs) if blogs else None

    def _routed(self) -> list[BlogReport]:
        return [blog for blog in self.blogs if blog.route or blog.route_reason]
