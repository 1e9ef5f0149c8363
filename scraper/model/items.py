"""What the spider hands to the pipelines: one fetched page and what was extracted from it."""

from __future__ import annotations

from dataclasses import dataclass

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
