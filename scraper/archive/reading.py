"""What an export reads from the archive: one blog's posts, terms, authors, images, credits
and comments, as plain records, read-only.

Tombstoned rows (``deleted_at`` set: a later crawl found them gone) are left out unless
``include_deleted``. Rows come in a deterministic order (WordPress ids, slugs, URLs), so two
exports of the same archive are the same file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from scraper.archive.connection import describe_archive_error


class ArchiveNotReadable(Exception):
    """The archive file cannot be read (corrupt, not SQLite, no permission); ``str()`` is one
    line for people."""


class NotInArchive(Exception):
    """No archive at the path, or no such blog in it; ``str()`` is one line for people."""


@dataclass(frozen=True, slots=True)
class BlogRecord:
    id: str
    url: str
    name: str
    language: str
    last_seen: str


@dataclass(frozen=True, slots=True)
class AuthorRecord:
    id: str
    name: str
    slug: str


@dataclass(frozen=True, slots=True)
class TermRecord:
    id: str
    taxonomy: str  # category | tag
    name: str
    slug: str
    url: str


@dataclass(frozen=True, slots=True)
class CreditRecord:
    text: str
    name: str | None
    url: str | None
    role: str | None
    place: str | None
    image_url: str | None


@dataclass(frozen=True, slots=True)
class ImageRecord:
    """An image a post shows."""

    url: str
    role: str  # featured | body
    alt: str | None


@dataclass(frozen=True, slots=True)
class CommentRecord:
    id: str
    wp_id: int | None
    parent_wp_id: int | None
    type: str  # comment | pingback | trackback
    author_name: str
    author_url: str | None
    published: str | None  # ISO 8601; "Z" = UTC, no offset = the blog's clock
    text: str
    html: str
    deleted: bool


@dataclass(frozen=True, slots=True)
class PostRecord:
    id: str
    wp_id: int | None
    url: str
    title: str
    published: str | None  # ISO 8601; "Z" = UTC, no offset = the blog's clock
    published_local: str | None  # on the blog's clock, with its offset when stated
    modified: str | None  # the REST API's modified_gmt when it was asked, else the page's
    author_id: str | None
    body_html: str
    body_text: str
    featured_image_url: str | None
    deleted: bool
    term_ids: tuple[str, ...]
    credits: tuple[CreditRecord, ...]
    images: tuple[ImageRecord, ...]
    comments: tuple[CommentRecord, ...]  # in the blog's order, parents before their replies


@dataclass(frozen=True, slots=True)
class BlogContent:
    blog: BlogRecord
    authors: tuple[AuthorRecord, ...]
    terms: tuple[TermRecord, ...]
    # Read as they are iterated (an archive's bodies need not fit in memory): once, and
    # while the connection is open.
    posts: Iterator[PostRecord]


@contextmanager
def read_only(path: str | Path) -> Iterator[sqlite3.Connection]:
    """The archive opened read-only: an export never migrates or writes it."""
    if not Path(path).is_file():
        raise NotInArchive(f"no archive at {path}; run `wparchive crawl URL` first")
    try:
        conn = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True, timeout=30)
        conn.row_factory = sqlite3.Row
        conn.execute("select count(*) from blogs").fetchone()
    except sqlite3.Error as error:
        raise ArchiveNotReadable(describe_archive_error(error, path)) from error
    try:
        yield conn
    finally:
        conn.close()


def blog_ids(conn: sqlite3.Connection) -> list[str]:
    return [row[0] for row in conn.execute("select id from blogs order by id")]


def blog_content(conn: sqlite3.Connection, blog_id: str,
                 include_deleted: bool = False) -> BlogContent:
    """Everything an export of ``blog_id`` needs."""
    row = conn.execute("select id, url, name, language, last_seen from blogs where id = ?",
                       [blog_id]).fetchone()
    if row is None:
        raise NotInArchive(f"no blog {blog_id!r} in the archive; it holds "
                                 + (", ".join(blog_ids(conn)) or "no blog"))
    blog = BlogRecord(row["id"], row["url"] or "", row["name"] or "", row["language"] or "",
                      row["last_seen"] or "")
    authors = tuple(AuthorRecord(r["id"], r["name"] or r["slug"] or "", r["slug"] or "")
                    for r in conn.execute(
                        "select id, name, slug from authors where blog_id = ?"
                        f"{_live('authors', include_deleted)}"
                        " order by slug, id", [blog_id]))
    terms = tuple(TermRecord(r["id"], r["taxonomy"], r["name"] or "", r["slug"] or "",
                             r["url"] or "")
                  for r in conn.execute(
                      "select id, taxonomy, name, slug, url from terms where blog_id = ?"
                      f"{_live('terms', include_deleted)}"
                      " order by taxonomy, slug, id", [blog_id]))
    posts = (_post(conn, r, include_deleted) for r in conn.execute(
        "select id, wp_id, url, title, published, published_local, author_id, body_html, body_text,"
        " featured_image_url, deleted_at,"
        # The page often shows no modification time (the theme's is the publication's);
        # the REST listing states it when the crawl asked it.
        " coalesce((select api_modified from url_state where url_state.post_id = posts.id"
        "           and api_modified is not null limit 1), modified) as modified"
        f" from posts where blog_id = ?{_live('posts', include_deleted)}"
        " order by wp_id is null, wp_id, id", [blog_id]))
    return BlogContent(blog, authors, terms, posts)


def _live(table: str, include_deleted: bool) -> str:
    """The condition that leaves tombstoned rows of ``table`` out, unless they are wanted."""
    return "" if include_deleted else f" and {table}.deleted_at is null"


def _post(conn: sqlite3.Connection, row: sqlite3.Row, include_deleted: bool) -> PostRecord:
    post_id = row["id"]
    term_ids = tuple(r[0] for r in conn.execute(
        "select term_id from post_terms where post_id = ? order by term_id", [post_id]))
    credits = tuple(
        CreditRecord(r["text"] or "", r["name"], r["url"], r["role"], r["place"], r["image_url"])
        for r in conn.execute(
            "select text, name, url, role, place, image_url from credits where post_id = ?"
            f"{_live('credits', include_deleted)}"
            " order by position", [post_id]))
    images = tuple(
        ImageRecord(r["url"], r["role"], r["alt"])
        for r in conn.execute(
            "select m.url, pm.role, m.alt from post_media pm"
            " join media m on m.id = pm.media_id where pm.post_id = ?"
            " order by pm.role = 'body', m.url", [post_id]))
    return PostRecord(
        id=post_id, wp_id=row["wp_id"], url=row["url"], title=row["title"] or "",
        published=row["published"], published_local=row["published_local"],
        modified=row["modified"], author_id=row["author_id"], body_html=row["body_html"] or "",
        body_text=row["body_text"] or "",
        featured_image_url=row["featured_image_url"], deleted=row["deleted_at"] is not None,
        term_ids=term_ids, credits=credits, images=images,
        comments=_comments(conn, post_id, include_deleted))


def _comments(conn: sqlite3.Connection, post_id: str, include_deleted: bool
              ) -> tuple[CommentRecord, ...]:
    rows = conn.execute(
        "select c.id, c.wp_id, p.wp_id as parent_wp_id, c.parent_id, c.type, c.author_name,"
        " c.author_url, c.published, c.text, c.html, c.deleted_at from comments c"
        " left join comments p on p.id = c.parent_id"
        f" where c.post_id = ?{_live('c', include_deleted)}"
        # As the blog showed them: oldest comment page first, in their order on the page
        # (which keeps the place of a comment whose date the page did not show).
        " order by c.comment_page is null, c.comment_page, c.position, c.wp_id", [post_id]
    ).fetchall()
    records = {
        r["id"]: CommentRecord(r["id"], r["wp_id"], r["parent_wp_id"], r["type"] or "comment",
                               r["author_name"] or "", r["author_url"], r["published"],
                               r["text"] or "", r["html"] or "", r["deleted_at"] is not None)
        for r in rows
    }
    parents = {r["id"]: r["parent_id"] for r in rows}
    return tuple(records[key] for key in _parents_first(list(records), parents))


def _parents_first(keys: list[str], parents: dict[str, str | None]) -> list[str]:
    """``keys`` in their order, each moved after its parent when the parent is among them
    (a reply can carry a smaller id than its parent only when ids were rewritten, but an
    importer must never meet a reply before its parent)."""
    placed: set[str] = set()
    ordered: list[str] = []

    def place(key: str, path: frozenset[str]) -> None:
        if key in placed:
            return
        parent = parents.get(key)
        if parent in parents and parent not in placed and parent not in path:
            place(parent, path | {key})
        placed.add(key)
        ordered.append(key)

    for key in keys:
        place(key, frozenset())
    return ordered
