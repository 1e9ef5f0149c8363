"""A post as a review: the work it reviews and the critic's rating, most trusted source first.

1. schema.org ``Review``/``Rating``/``AggregateRating`` in JSON-LD (single objects, arrays,
   ``@graph``; a Review wrapping its ``itemReviewed`` or a work wrapping its ``review``),
   then in microdata and RDFa (``schema_items.py``);
2. hReview microformats (``hreview.py``);
3. text on a labelled line or at the end of the post (``rating_text.py``).

The critic's rating is a Review's ``reviewRating``; readers' ratings (``AggregateRating``,
``hreview-aggregate``, a work's list of several reviews, ``UserReview``) are kept apart as
the aggregate and never taken for it.  Several critic reviews that disagree, with none by
the post's author, give no rating.  The work comes from the critic's review (its type,
title, year and image), else from the post title's review patterns (``work_titles.py``);
its image, when the structured data has none, is the poster or cover a credit line names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from bs4 import BeautifulSoup, Tag

from scraper.extract.hreview import hreview_items
from scraper.extract.locate import excluded_regions, is_inside, locate_post
from scraper.extract.rating_text import text_rating
from scraper.extract.schema_items import MICRODATA, RDFA, ItemSyntax, markup_items
from scraper.extract.structured import json_ld_objects
from scraper.extract.work_titles import work_from_title
from scraper.html import collapse_whitespace, element_text, normalise_key, select
from scraper.model.records import (
    Credit,
    Post,
    Rating,
    Review,
    ReviewedWork,
    ReviewSource,
    WorkType,
)

# schema.org types (case-folded) of the works reviews are about, by kind of work.
WORK_TYPES: dict[str, WorkType] = {
    "movie": "film", "film": "film", "book": "book", "musicalbum": "album",
    "musicrecording": "album", "musicplaylist": "album", "tvseries": "tv", "tvseason": "tv",
    "tvepisode": "tv", "episode": "tv", "videogame": "game", "game": "game",
    "product": "product", "individualproduct": "product", "productmodel": "product",
    "softwareapplication": "product", "mobileapplication": "product",
}
_CRITIC_REVIEW_TYPES = frozenset({"review", "criticreview"})
_AGGREGATE_TYPES = frozenset({"aggregaterating"})
_YEAR_KEYS = ("dateCreated", "datePublished", "releaseDate", "copyrightYear", "startDate")
_YEAR = re.compile(r"(?:18|19|20)\d\d")
# Text inside these is somebody else's (a quote), or not the post's prose.
QUOTES = ("blockquote", "q", "cite", ".wp-block-pullquote", ".wp-block-quote")
_MAX_DEPTH = 8


@dataclass(frozen=True)
class _Candidate:
    review: dict[str, Any]
    work: dict[str, Any] | None  # itemReviewed, or the work that wraps the review
    reader: bool  # one of several reviews of a work: the readers'


@dataclass(frozen=True)
class _Structured:
    rating: Rating | None
    work: ReviewedWork | None
    aggregate: Rating | None


def extract_review(
    soup: BeautifulSoup, post: Post | None, credits: tuple[Credit, ...] = ()
) -> Review | None:
    """The review a post page is, or None when it is not one."""
    if post is None:
        return None
    author = post.author.name if post.author else None
    found = _from_structured(soup, author)
    rating = found.rating
    if rating is None:
        rating = text_rating(_prose_lines(soup, post))
    titled = work_from_title(post.title, (term.name for term in post.terms))
    work = found.work
    if work is None and titled is not None:
        work = ReviewedWork(title=titled.title, type=titled.type, year=titled.year,
                            image_url=None, source="title")
    elif work is not None and titled is not None:
        # The structured work, its missing kind or year taken from the post title.
        work = replace(work, type=work.type or titled.type, year=work.year or titled.year)
    if work is not None and work.image_url is None:
        work = replace(work, image_url=_credited_poster(credits))
    if rating is None and work is None:
        return None
    return Review(work=work, rating=rating, aggregate=found.aggregate)


# --- structured data ---------------------------------------------------------


def _from_structured(soup: BeautifulSoup, author: str | None) -> _Structured:
    aggregate: Rating | None = None
    work: ReviewedWork | None = None
    for source, items in _structured_items(soup):
        candidates, aggregates = _reviews_in(items)
        critic = _critic_review(candidates, author)
        if aggregate is None:
            aggregate = next(filter(None, (_aggregate(a, source) for a in aggregates)), None)
        if critic is None:
            continue
        rating = _rating(critic.review.get("reviewRating"), source)
        work = work or _work(critic.work, source)
        if rating is not None:
            return _Structured(rating, work, aggregate)
    return _Structured(None, work, aggregate)


def _structured_items(soup: BeautifulSoup) -> Iterator[tuple[ReviewSource, list[Any]]]:
    """The page's schema.org items by syntax, most trusted first; markup items outside
    the post (comments, sidebars) left out."""
    yield "json-ld", list(json_ld_objects(soup))
    location = locate_post(soup)
    scope = location.container or location.content
    if scope is None:
        return
    regions = excluded_regions(soup)

    def in_post(tag: Tag) -> bool:
        return not is_inside(tag, regions)

    syntaxes: tuple[tuple[ReviewSource, ItemSyntax], ...] = (("microdata", MICRODATA),
                                                             ("rdfa", RDFA))
    for source, syntax in syntaxes:
        yield source, markup_items(scope, syntax, in_post)
    yield "hreview", hreview_items(scope, in_post)


def _reviews_in(items: list[Any]) -> tuple[list[_Candidate], list[dict[str, Any]]]:
    candidates: list[_Candidate] = []
    aggregates: list[dict[str, Any]] = []

    def walk(node: Any, parent: dict[str, Any] | None, siblings: int, depth: int) -> None:
        if depth > _MAX_DEPTH:
            return
        if isinstance(node, list):
            for child in node:
                walk(child, parent, len(node), depth + 1)
            return
        if not isinstance(node, dict):
            return
        types = _types(node)
        if types & _CRITIC_REVIEW_TYPES:
            reviewed = node.get("itemReviewed")
            work = reviewed if isinstance(reviewed, dict) else parent
            candidates.append(_Candidate(node, work, reader=siblings > 1))
        elif types & _AGGREGATE_TYPES:
            aggregates.append({"itemReviewed": parent, **node})
        for key, value in node.items():
            if key == "aggregateRating" and isinstance(value, dict):
                aggregates.append({"itemReviewed": node, **value})
            elif key in ("review", "reviews", "itemReviewed", "@graph", "mainEntity",
                         "about", "hasPart", "subjectOf"):
                walk(value, node, 1, depth + 1)

    for item in items:
        walk(item, None, 1, 0)
    return candidates, aggregates


def _critic_review(candidates: list[_Candidate], author: str | None) -> _Candidate | None:
    """The critic's review: the post author's; else the one review (or several that
    agree) not among a work's many readers' reviews nor signed by someone else."""
    post_author = normalise_key(author) if author else None
    own = [c for c in candidates if post_author and _author_name(c.review) == post_author]
    if own:
        return own[0]
    critics = [c for c in candidates if not c.reader
               and not (post_author and _author_name(c.review) not in (None, post_author))]
    ratings = {json.dumps(_rating_fields(c.review), sort_keys=True) for c in critics}
    return critics[0] if critics and len(ratings) == 1 else None


def _author_name(review: dict[str, Any]) -> str | None:
    author = review.get("author")
    if isinstance(author, list):
        author = author[0] if author else None
    if isinstance(author, dict):
        author = author.get("name")
    return normalise_key(author) if isinstance(author, str) else None


def _types(node: dict[str, Any]) -> set[str]:
    raw = node.get("@type")
    names = raw if isinstance(raw, list) else [raw]
    return {str(n).rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].casefold()
            for n in names if n}


def _rating_fields(review: dict[str, Any]) -> dict[str, Any]:
    rating = review.get("reviewRating")
    return {k: rating.get(k) for k in ("ratingValue", "bestRating", "worstRating")} \
        if isinstance(rating, dict) else {}


def _rating(node: Any, source: ReviewSource, count: Any = None) -> Rating | None:
    """A schema.org Rating (or AggregateRating) on its scale; None when it is not a
    number within it. The scale defaults to schema.org's 1–5, or 10/100 for larger values."""
    if not isinstance(node, dict):
        return None
    value = _number(node.get("ratingValue"))
    if value is None:
        return None
    best = _number(node.get("bestRating"))
    worst = _number(node.get("worstRating"))
    if best is None:
        best = next((scale for scale in (5.0, 10.0, 100.0) if value <= scale), None)
    if worst is None:
        worst = 1.0 if best == 5.0 and value >= 1 else 0.0
    if best is None or not worst <= value <= best or best <= worst:
        return None
    text = json.dumps({k: node[k] for k in ("ratingValue", "bestRating", "worstRating")
                       if k in node}, ensure_ascii=False)
    return Rating(value=value, best=best, worst=worst, text=text, source=source,
                  count=_count(count))


def _aggregate(node: dict[str, Any], source: ReviewSource) -> Rating | None:
    return _rating(node, source, node.get("ratingCount") or node.get("reviewCount"))


def _number(raw: Any) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return float(raw)
    if isinstance(raw, str):
        try:
            return float(raw.strip().replace(",", "."))
        except ValueError:
            return None
    return None


def _count(raw: Any) -> int | None:
    number = _number(raw)
    return int(number) if number is not None and number >= 0 else None


def _work(node: dict[str, Any] | None, source: ReviewSource) -> ReviewedWork | None:
    if not isinstance(node, dict):
        return None
    name = node.get("name")
    if isinstance(name, list):
        name = name[0] if name else None
    title = collapse_whitespace(name) if isinstance(name, str) else ""
    if not title:
        return None
    kind = next((WORK_TYPES[t] for t in _types(node) if t in WORK_TYPES), None)
    return ReviewedWork(title=title, type=kind, year=_year(node), image_url=_image(node),
                        source=source)


def _year(node: dict[str, Any]) -> int | None:
    for key in _YEAR_KEYS:
        value = node.get(key)
        match = _YEAR.search(str(value)) if isinstance(value, str | int) else None
        if match:
            return int(match.group(0))
    return None


def _image(node: dict[str, Any]) -> str | None:
    image = node.get("image")
    if isinstance(image, list):
        image = image[0] if image else None
    if isinstance(image, dict):
        image = image.get("url") or image.get("contentUrl")
    return image.strip() or None if isinstance(image, str) else None


def _credited_poster(credits: tuple[Credit, ...]) -> str | None:
    return next((c.image_url for c in credits if c.role in ("poster", "cover") and c.image_url),
                None)


# --- text --------------------------------------------------------------------


def _prose_lines(soup: BeautifulSoup, post: Post) -> list[str]:
    """The post's text lines (furniture already gone from ``body_text``) with what it
    quotes taken out: a quoted critic's rating is not the post's."""
    content = locate_post(soup).content
    quotes = select(content, QUOTES) if content is not None else []
    quoted = {line for quote in quotes for line in element_text(quote).splitlines() if line}
    # Longest first: a blockquote's line holds its <cite>'s.
    longest_first = sorted(quoted, key=len, reverse=True)
    lines = []
    for line in post.body_text.splitlines():
        for quote in longest_first:
            if quote in line:
                line = line.replace(quote, " ")
        lines.append(line)
    return lines
