"""Typed records that extraction returns.

Every extractor in this package is a pure function: HTML (and the URL it came
from) in, these frozen dataclasses out.  Nothing here knows about Scrapy,
HTTP or SQLite, so the same records can be produced from a live response, a
saved file or a WARC record.

Datetimes are ISO 8601 strings.  When the page states an offset (``<time
datetime="…+02:00">``, ``article:published_time``) they are converted to UTC
and end in ``Z``; when the page shows only a local date the value has no
offset (the blog's timezone is unknown) and the displayed text is kept
beside it so nothing is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

CommentType = Literal["comment", "pingback", "trackback"]
CreditPlace = Literal["paragraph", "caption", "footer", "alt"]
# Where a review's rating or work was read, most trusted first.
ReviewSource = Literal["json-ld", "microdata", "rdfa", "hreview", "text", "title"]
WorkType = Literal["film", "book", "album", "tv", "game", "product"]


@dataclass(frozen=True, slots=True)
class Term:
    """A category or tag as displayed with the post."""

    taxonomy: Literal["category", "tag"]
    name: str
    url: str | None = None
    slug: str | None = None


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    url: str | None = None
    slug: str | None = None


@dataclass(frozen=True, slots=True)
class Credit:
    """A line that credits a poster or an image ("poster designed by X")."""

    text: str  # the line as displayed, whitespace-normalised
    name: str | None  # the credited person or source, None when nobody is named
    url: str | None = None  # link on the credited name, if any
    role: str | None = None  # poster, artwork, photo, image, cover, courtesy …
    place: CreditPlace = "paragraph"
    image_url: str | None = None  # the image this line credits, when one is near
    position: int = 0  # order of the line in the document (0-based)


@dataclass(frozen=True, slots=True)
class Image:
    url: str
    alt: str | None = None
    width: int | None = None
    height: int | None = None
    role: Literal["featured", "body"] = "body"


@dataclass(frozen=True, slots=True)
class Post:
    url: str  # the URL the page was fetched from
    canonical_url: str | None
    wp_id: int | None  # WordPress post id when the page shows it
    title: str | None
    published: str | None  # ISO 8601 (UTC "Z" when the offset is known)
    modified: str | None
    published_text: str | None  # the date as displayed, when it was parsed from text
    author: Author | None
    terms: tuple[Term, ...]
    body_html: str  # the post content, furniture removed
    body_text: str
    excerpt: str | None
    word_count: int
    featured_image: Image | None
    images: tuple[Image, ...] = ()
    language: str | None = None
    # The publication time on the blog's own clock (with its offset when the page states
    # one): the day a reader of the blog saw, which can differ from the UTC day.
    published_local: str | None = None


@dataclass(frozen=True, slots=True)
class Comment:
    wp_id: int | None  # WordPress comment id (li#comment-N / div#comment-N)
    parent_wp_id: int | None  # WordPress id of the comment replied to
    depth: int  # 1 for top-level comments
    position: int  # document order on the page (0-based)
    parent_position: int | None  # position of the parent on the same page
    author_name: str | None
    author_url: str | None
    published: str | None  # ISO 8601, see module docstring
    date_text: str | None  # the date as displayed, trailing colon dropped
    text: str
    html: str
    type: CommentType = "comment"
    url: str | None = None  # the comment's permalink (…#comment-N)
    # The time on the blog's clock, with its offset when the page states one (WordPress
    # keeps both: a WXR export needs comment_date as well as comment_date_gmt).
    published_local: str | None = None


@dataclass(frozen=True, slots=True)
class BlogInfo:
    """What a page says about the blog it belongs to."""

    is_wordpress: bool
    reason: str  # why we think so (or not): e.g. "wp-content URLs, generator meta"
    name: str | None = None
    home_url: str | None = None
    is_wordpress_com: bool = False
    generator: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class CommentsInfo:
    count_shown: int | None  # the number the page states ("One response", "5 Comments")
    not_in_html: str | None = None  # "disqus", "jetpack-iframe", "facebook" … when loaded by script
    page: int | None = None  # this page's comment page number (comment-page-N / cpage=N)
    page_urls: tuple[str, ...] = ()  # links to the post's other comment pages


@dataclass(frozen=True, slots=True)
class Rating:
    """A rating on its own scale, and the same rating from 0 (worst) to 1 (best)."""

    value: float
    best: float
    worst: float
    text: str  # what it was read from: "4/5", "★★★½", '{"ratingValue": "8.5", …}'
    source: ReviewSource
    count: int | None = None  # for readers' aggregate ratings: how many rated

    @property
    def normalised(self) -> float:
        return round((self.value - self.worst) / (self.best - self.worst), 4)


@dataclass(frozen=True, slots=True)
class ReviewedWork:
    """The film, book, album … a post reviews."""

    title: str
    type: WorkType | None
    year: int | None
    image_url: str | None  # its poster or cover
    source: ReviewSource  # where the title was read


@dataclass(frozen=True, slots=True)
class Review:
    """A post as a review: the work it reviews, the critic's rating, and the readers'
    aggregate rating kept apart from it."""

    work: ReviewedWork | None
    rating: Rating | None  # the critic's own
    aggregate: Rating | None = None  # the readers' (AggregateRating, hreview-aggregate)


@dataclass(frozen=True, slots=True)
class PageExtraction:
    """Everything extracted from one HTML page."""

    url: str
    blog: BlogInfo
    is_post_page: bool
    post: Post | None
    credits: tuple[Credit, ...] = ()
    comments: tuple[Comment, ...] = ()
    comments_info: CommentsInfo = field(default_factory=lambda: CommentsInfo(None))
    review: Review | None = None
    warnings: tuple[str, ...] = ()
