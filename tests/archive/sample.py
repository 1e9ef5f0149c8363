"""A sample post page (a film review with a poster credit), and its comments, to store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from scraper.model.items import ArchivedPage
from scraper.model.records import (
    Author,
    BlogInfo,
    Comment,
    CommentsInfo,
    Credit,
    Image,
    PageExtraction,
    Post,
    Rating,
    Review,
    ReviewedWork,
    Term,
)

BLOG = "http://blog.example/"
POST_URL = "http://blog.example/2014/01/10/her-2013/"


def comment(wp_id: int | None, parent: int | None, position: int, text: str) -> Comment:
    return Comment(
        wp_id=wp_id, parent_wp_id=parent, depth=1 if parent is None else 2, position=position,
        parent_position=None, author_name=f"reader {wp_id}", author_url=None,
        published="2014-01-11T10:00:00Z", date_text="January 11, 2014 at 10:00 am",
        text=text, html=f"<p>{text}</p>", url=f"{POST_URL}#comment-{wp_id}",
    )


def post(*, title: str = "Her (2013)", wp_id: int | None = 42, url: str = POST_URL) -> Post:
    return Post(
        url=url, canonical_url=POST_URL, wp_id=wp_id, title=title,
        published="2014-01-10T08:00:00Z", modified=None, published_text=None,
        author=Author("Ana Critic", "http://blog.example/author/ana/", "ana"),
        terms=(Term("category", "Reviews", None, "reviews"), Term("tag", "Spike Jonze")),
        body_html="<p>Superficially, Her is striking.</p>",
        body_text="Superficially, Her is striking.", excerpt=None, word_count=4,
        featured_image=Image("http://blog.example/wp-content/uploads/her.jpg", role="featured"),
    )


REVIEW = Review(
    work=ReviewedWork("Her", "film", 2013, "http://blog.example/wp-content/uploads/her.jpg",
                      "json-ld"),
    rating=Rating(4.5, 5, 0, '{"ratingValue": "4.5", "bestRating": "5"}', "json-ld"),
    aggregate=Rating(3.8, 5, 1, '{"ratingValue": "3.8"}', "json-ld", count=12),
)


def page(*, title: str = "Her (2013)", comments: tuple[Comment, ...] = (),
         comment_page: int | None = None, url: str = POST_URL, blog: str = BLOG,
         review: Review | None = REVIEW) -> ArchivedPage:
    extraction = PageExtraction(
        url=url, blog=BlogInfo(True, "test", name="Films"), is_post_page=True,
        post=post(title=title, url=url),
        credits=(Credit("poster designed by hai-fuh-ku", "hai-fuh-ku",
                        "http://hai-fuh-ku.example/", "poster", "paragraph", None, 0),),
        comments=comments, comments_info=CommentsInfo(count_shown=len(comments)),
        review=review,
    )
    return ArchivedPage(blog_url=blog, post_url=POST_URL, fetched_url=url, http_status=200,
                        fetched_at="2026-01-01T00:00:00Z", comment_page=comment_page,
                        extraction=extraction)


def table(db_path: Path, sql: str, *params: object) -> list[tuple]:
    """What another connection (Datasette) reads."""
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql, params).fetchall()
