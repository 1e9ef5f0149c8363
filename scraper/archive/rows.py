"""Archived pages as rows: what one ``ArchivedPage`` contributes to each table.

Pure functions, no database: ``page_rows`` gives the rows, keyed by table in foreign-key
order, that ``ArchiveStore`` upserts (and ``bench/storage.py`` measures). Keys come from
``scraper/model/keys.py``; every row carries the ``first_seen``/``last_seen``/``crawl_id``
of the crawl that saw it, and content rows the provenance of the response they came from.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from scraper import __version__
from scraper.archive.schema import TABLES_BY_NAME
from scraper.model.items import ArchivedPage
from scraper.model.keys import author_key, comment_key, content_hash, post_key, term_key
from scraper.model.records import Author, Comment, Credit, Image, PageExtraction, Post, Term
from scraper.model.urls import blog_id_for, canonicalize, post_url_of_comment_page

Row = dict[str, Any]

# The tables of a page, in foreign-key order (the order they are written in).
PAGE_TABLES = ("blogs", "authors", "posts", "post_versions", "terms", "post_terms", "media",
               "post_media", "credits", "comments", "comment_versions")


def page_rows(page: ArchivedPage, crawl_id: str, seen_at: str) -> dict[str, list[Row]]:
    """All rows one archived page contributes, keyed by table, in foreign-key order."""
    extraction = page.extraction
    blog_id = blog_id_for(page.blog_url)
    seen = {"first_seen": seen_at, "last_seen": seen_at, "crawl_id": crawl_id,
            "deleted_at": None, "deleted_crawl_id": None}
    rows: dict[str, list[Row]] = {name: [] for name in PAGE_TABLES}
    post = extraction.post
    if not page.rest_comments:  # an API listing of comments says nothing of the blog
        rows["blogs"].append(_blog_row(blog_id, page, seen))
    if post is None:
        return rows
    post_id = post_key(blog_id, post, page.post_url)
    author_id = None
    if post.author is not None and not page.rest_comments:
        author_id = author_key(blog_id, post.author)
        rows["authors"].append(_author_row(author_id, blog_id, post.author, seen))
    if page.is_post_itself:
        # Comment pages repeat the post; only the post's own URL is its record.
        post_row = _post_row(post_id, blog_id, author_id, page, post, extraction, seen)
        rows["posts"].append(post_row)
        rows["post_versions"].append(_post_version_row(post_row, post, extraction, seen))
        for term in post.terms:
            term_id = term_key(blog_id, term)
            rows["terms"].append(_term_row(term_id, blog_id, term, seen))
            rows["post_terms"].append({"post_id": post_id, "term_id": term_id})
        for image in _post_images(post):
            rows["media"].append(_media_row(blog_id, image, seen))
            rows["post_media"].append(
                {"post_id": post_id, "media_id": image.url, "role": image.role}
            )
        for credit in extraction.credits:
            rows["credits"].append(_credit_row(post_id, credit, seen))
        # An image a credit names that the post's images miss (a caption's sub-size):
        # a media row too, so credits.media_id always points at one (and it is downloaded).
        listed = {row["id"] for row in rows["media"]}
        for url in dict.fromkeys(c.image_url for c in extraction.credits if c.image_url):
            if url not in listed:
                rows["media"].append(_media_row(blog_id, Image(url=url), seen))
                rows["post_media"].append({"post_id": post_id, "media_id": url, "role": "body"})
    else:
        rows["posts"].append({"id": post_id, "blog_id": blog_id, **seen})
    rows["comments"] = _comment_rows(blog_id, post_id, page, extraction.comments, seen)
    rows["comment_versions"] = [_comment_version_row(row, seen) for row in rows["comments"]]
    # Provenance (scraper/crawl/warc.py): the response these rows were extracted from.
    provenance = _page_provenance(page)
    for row in (*rows["comments"], *rows["credits"],
                *(rows["posts"] if page.is_post_itself else ())):
        row.update(provenance)
    # Deduplicate: a page may repeat a term or an image.
    return {name: list({row_key(name, r): r for r in table_rows}.values())
            for name, table_rows in rows.items()}


def _page_provenance(page: ArchivedPage) -> Row:
    return {"warc_file": page.warc_file, "warc_record_id": page.warc_record_id,
            "payload_digest": page.payload_digest, "extractor_version": __version__}


def _post_url(post: Post, page: ArchivedPage) -> str:
    """The post's own URL: WordPress's canonical link on a comment page (and, with
    ``default_comments_page=newest``, on the post itself) names the comment page."""
    return post_url_of_comment_page(canonicalize(post.canonical_url or page.post_url))


def _blog_row(blog_id: str, page: ArchivedPage, seen: Row) -> Row:
    info = page.extraction.blog
    return {
        "id": blog_id,
        "url": page.blog_url,
        "name": info.name,
        "is_wordpress_com": int(info.is_wordpress_com),
        "generator": info.generator,
        "language": info.language,
        **seen,
    }


def _author_row(author_id: str, blog_id: str, author: Author, seen: Row) -> Row:
    return {"id": author_id, "blog_id": blog_id, "name": author.name, "url": author.url,
            "slug": author.slug, **seen}


def _post_row(
    post_id: str,
    blog_id: str,
    author_id: str | None,
    page: ArchivedPage,
    post: Post,
    extraction: PageExtraction,
    seen: Row,
) -> Row:
    return {
        "id": post_id,
        "blog_id": blog_id,
        "wp_id": post.wp_id,
        "url": _post_url(post, page),
        "fetched_url": page.fetched_url,
        "title": post.title,
        "published": post.published,
        "modified": post.modified,
        "published_text": post.published_text,
        "published_local": post.published_local,
        "year": _year(post.published_local or post.published),
        "author_id": author_id,
        "body_html": post.body_html,
        "body_text": post.body_text,
        "excerpt": post.excerpt,
        "word_count": post.word_count,
        "featured_image_url": post.featured_image.url if post.featured_image else None,
        "language": post.language,
        "comment_count_shown": extraction.comments_info.count_shown,
        "comments_not_in_html": extraction.comments_info.not_in_html,
        "content_hash": content_hash(post, extraction.credits),
        "fetched_at": page.fetched_at,
        "http_status": page.http_status,
        **seen,
    }


def _post_version_row(post_row: Row, post: Post, extraction: PageExtraction, seen: Row) -> Row:
    return {
        "post_id": post_row["id"],
        "content_hash": post_row["content_hash"],
        "title": post.title,
        "body_html": post.body_html,
        "body_text": post.body_text,
        "terms": json.dumps(sorted([t.taxonomy, t.name] for t in post.terms)),
        "credits": json.dumps([[c.text, c.name, c.url] for c in extraction.credits]),
        "modified": post.modified,
        "first_seen": seen["first_seen"],
        "last_seen": seen["last_seen"],
        "crawl_id": seen["crawl_id"],
    }


def _comment_version_row(comment_row: Row, seen: Row) -> Row:
    digest = hashlib.sha256(comment_row["html"].encode()).hexdigest()
    return {
        "comment_id": comment_row["id"],
        "content_hash": digest,
        "text": comment_row["text"],
        "html": comment_row["html"],
        "first_seen": seen["first_seen"],
        "last_seen": seen["last_seen"],
        "crawl_id": seen["crawl_id"],
    }


def _term_row(term_id: str, blog_id: str, term: Term, seen: Row) -> Row:
    return {"id": term_id, "blog_id": blog_id, "taxonomy": term.taxonomy, "name": term.name,
            "slug": term.slug, "url": term.url, **seen}


def _post_images(post: Post) -> list[Image]:
    images = [post.featured_image] if post.featured_image else []
    return images + [i for i in post.images if not post.featured_image
                     or i.url != post.featured_image.url]


def _media_row(blog_id: str, image: Image, seen: Row) -> Row:
    return {"id": image.url, "blog_id": blog_id, "url": image.url, "alt": image.alt,
            "width": image.width, "height": image.height, **seen}


def _credit_row(post_id: str, credit: Credit, seen: Row) -> Row:
    return {
        "id": f"{post_id}#credit-{credit.position}",
        "post_id": post_id,
        "position": credit.position,
        "text": credit.text,
        "name": credit.name,
        "url": credit.url,
        "role": credit.role,
        "place": credit.place,
        "image_url": credit.image_url,
        "media_id": credit.image_url,
        **seen,
    }


def _comment_rows(
    blog_id: str, post_id: str, page: ArchivedPage, comments: Sequence[Comment], seen: Row
) -> list[Row]:
    keys = [comment_key(blog_id, post_id, c) for c in comments]
    rows = []
    for comment, key in zip(comments, keys, strict=True):
        if comment.parent_wp_id is not None:
            parent_id: str | None = f"{blog_id}/#comment-{comment.parent_wp_id}"
        elif comment.parent_position is not None and comment.parent_position < len(keys):
            parent_id = keys[comment.parent_position]
        else:
            parent_id = None
        rows.append(
            {
                "id": key,
                "blog_id": blog_id,
                "post_id": post_id,
                "wp_id": comment.wp_id,
                "parent_id": parent_id,
                "depth": comment.depth,
                "type": comment.type,
                "author_name": comment.author_name,
                "author_url": comment.author_url,
                "published": comment.published,
                "date_text": comment.date_text,
                "text": comment.text,
                "html": comment.html,
                "url": comment.url,
                "comment_page": None if page.rest_comments
                else page.extraction.comments_info.page or page.comment_page or 1,
                "position": comment.position,
                **seen,
            }
        )
    return rows


def row_key(table: str, row: Row) -> tuple[Any, ...]:
    """The row's primary key values (the rows of a page, or a batch, are merged on it)."""
    return tuple(map(row.__getitem__, _KEY_COLUMNS[table]))


_KEY_COLUMNS = {name: spec.key_columns for name, spec in TABLES_BY_NAME.items()}


def _year(iso: str | None) -> int | None:
    return int(iso[:4]) if iso and iso[:4].isdigit() else None
