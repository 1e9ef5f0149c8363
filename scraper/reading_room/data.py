"""What the reading room reads: search hits, a post with its thread, facets.

Pure SQL over the archive schema (``scraper/schema.py``) plus small pure
helpers (thread building, FTS query escaping) that the tests call directly.
Every function takes a Datasette ``Database`` (read-only connection).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from datasette.utils import escape_fts

PER_PAGE = 20
FACET_LIMIT = 10
SEARCH_KINDS = ("post", "comment")
# snippet() markers: control characters never found in indexed text; the
# template escapes the snippet and only then turns them into <mark>.
MARK_OPEN = "\x02"
MARK_CLOSE = "\x03"

Row = dict[str, Any]


def fts_match(q: str, raw: bool = False) -> str:
    """The FTS5 MATCH expression for what a reader typed.

    By default every word is quoted (so ``-``, ``:``, ``*`` or an odd quote in
    the query is text, never syntax); ``raw`` passes FTS5 syntax through
    (``"exact phrase"``, ``OR``, ``NEAR``, ``prefix*``).
    """
    q = q.strip()
    return q if raw else escape_fts(q)


def comment_anchor(comment: Row) -> str:
    """The HTML id of a comment on the post page: WordPress's own when known."""
    if comment.get("wp_id") is not None:
        return f"comment-{comment['wp_id']}"
    return "c-" + hashlib.sha1(str(comment["id"]).encode()).hexdigest()[:12]


# --- search -----------------------------------------------------------------

_HITS_SQL = """
select 'post' as kind, posts.id as post_id, null as comment_id, null as comment_wp_id,
  posts.title as post_title, posts.published as published, posts.year as year,
  posts.blog_id as blog_id, coalesce(blogs.name, posts.blog_id) as blog_name,
  authors.name as who, posts.url as url, posts.deleted_at as deleted_at,
  snippet(posts_fts, 0, :mark_open, :mark_close, '…', 16) as title_snippet,
  snippet(posts_fts, 1, :mark_open, :mark_close, '…', 32) as text_snippet,
  bm25(posts_fts, 5.0, 1.0) as rank
from posts_fts
join posts on posts.rowid = posts_fts.rowid
left join blogs on blogs.id = posts.blog_id
left join authors on authors.id = posts.author_id
where posts_fts match :match
union all
select comments.type, comments.post_id, comments.id, comments.wp_id,
  posts.title, comments.published, cast(substr(comments.published, 1, 4) as integer),
  comments.blog_id, coalesce(blogs.name, comments.blog_id),
  comments.author_name, comments.url, comments.deleted_at,
  snippet(comments_fts, 0, :mark_open, :mark_close, '…', 16),
  snippet(comments_fts, 1, :mark_open, :mark_close, '…', 32),
  bm25(comments_fts, 2.0, 1.0)
from comments_fts
join comments on comments.rowid = comments_fts.rowid
left join posts on posts.id = comments.post_id
left join blogs on blogs.id = comments.blog_id
where comments_fts match :match
"""

_FILTERS = {
    "blog": "blog_id = :blog",
    "year": "year = cast(:year as integer)",
    "author": "who = :author",
    # pingbacks and trackbacks are comments too when filtering
    "kind": "(kind = :kind or (:kind = 'comment' and kind in ('pingback', 'trackback')))",
}


@dataclass
class SearchResults:
    q: str
    match: str
    hits: list[Row] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = PER_PAGE
    facets: dict[str, list[Row]] = field(default_factory=dict)
    filters: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


async def search(
    db: Any,
    q: str,
    filters: dict[str, str] | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    raw: bool = False,
    include_comments: bool = True,
) -> SearchResults:
    """Posts and comments matching ``q``, best first (bm25), with facet counts."""
    filters = {k: v for k, v in (filters or {}).items() if k in _FILTERS and v}
    results = SearchResults(q=q, match=fts_match(q, raw), page=max(1, page),
                            per_page=per_page, filters=filters)
    if not results.match:
        return results
    where = [_FILTERS[k] for k in filters]
    if not include_comments:
        where.append("kind = 'post'")
    where_sql = f"where {' and '.join(where)}" if where else ""
    params: dict[str, Any] = {"match": results.match, "mark_open": MARK_OPEN,
                              "mark_close": MARK_CLOSE, **filters}
    cte = f"with hits as ({_HITS_SQL}), filtered as (select * from hits {where_sql})"
    try:
        rows = await db.execute(
            f"{cte} select * from filtered order by rank, published desc"
            " limit :limit offset :offset",
            {**params, "limit": per_page, "offset": (results.page - 1) * per_page},
        )
        facet_rows = await db.execute(
            f"""{cte}
            select 'blog' as facet, blog_id as value, blog_name as label, count(*) as n
              from filtered group by blog_id
            union all
            select 'author', who, who, count(*) from filtered where who is not null group by who
            union all
            select 'year', year, year, count(*) from filtered where year is not null group by year
            union all
            select 'kind', case when kind = 'post' then 'post' else 'comment' end,
              case when kind = 'post' then 'posts' else 'comments' end, count(*)
              from filtered group by 2
            order by facet, n desc, label""",
            params,
        )
    except Exception as error:  # FTS5 syntax errors in raw mode, mostly
        results.error = str(error)
        return results
    results.hits = [dict(r) for r in rows.rows]
    for row in facet_rows.rows:
        results.facets.setdefault(row["facet"], []).append(dict(row))
    results.total = sum(r["n"] for r in results.facets.get("kind", []))
    for name, values in results.facets.items():
        results.facets[name] = values[:FACET_LIMIT]
    return results


def highlight(snippet: str | None) -> str:
    """An FTS snippet as safe HTML: escaped text, matches in <mark>."""
    from markupsafe import escape

    if not snippet:
        return ""
    text = str(escape(snippet))
    return text.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")


# --- the post page ----------------------------------------------------------


@dataclass
class PostPage:
    post: Row
    media: Row | None
    credits: list[Row]
    terms: list[Row]
    thread: list[Row]  # top-level comments, each with "children"
    pingbacks: list[Row]
    comment_count: int
    previous: Row | None
    next: Row | None
    blog_post_count: int
    versions: list[Row] = field(default_factory=list)  # post_versions, oldest first


async def load_post(db: Any, post_id: str, include_comments: bool = True) -> PostPage | None:
    rows = await db.execute(
        """select posts.*, coalesce(blogs.name, posts.blog_id) as blog_name,
             blogs.url as blog_url, authors.name as author_name, authors.url as author_url
           from posts left join blogs on blogs.id = posts.blog_id
           left join authors on authors.id = posts.author_id
           where posts.id = :id""",
        {"id": post_id},
    )
    if not rows.rows:
        return None
    post = dict(rows.first())
    media = None
    if post.get("featured_image_url"):
        found = await db.execute("select * from media where id = :id",
                                 {"id": post["featured_image_url"]})
        media = dict(found.first()) if found.rows else None
    credits = await db.execute(
        "select * from credits where post_id = :id order by position", {"id": post_id})
    terms = await db.execute(
        """select terms.* from post_terms join terms on terms.id = post_terms.term_id
           where post_terms.post_id = :id order by terms.taxonomy, terms.name""",
        {"id": post_id},
    )
    comments: list[Row] = []
    if include_comments:
        found = await db.execute(
            """select * from comments where post_id = :id
               order by coalesce(comment_page, 1), position, published, id""",
            {"id": post_id},
        )
        comments = [dict(r) for r in found.rows]
    thread, pingbacks = build_thread(comments)
    neighbours = {}
    for name, op, order in (("previous", "<", "desc"), ("next", ">", "asc")):
        found = await db.execute(
            f"""select id, title, published from posts
                where blog_id = :blog and published {op} :published
                order by published {order}, id {order} limit 1""",
            {"blog": post["blog_id"], "published": post.get("published") or ""},
        )
        neighbours[name] = dict(found.first()) if found.rows else None
    count = await db.execute("select count(*) from posts where blog_id = :blog",
                             {"blog": post["blog_id"]})
    versions: list[Row] = []
    if await db.table_exists("post_versions"):
        found = await db.execute(
            """select post_id, content_hash, title, modified, first_seen, last_seen
               from post_versions where post_id = :id order by first_seen, content_hash""",
            {"id": post_id},
        )
        versions = [dict(r) for r in found.rows]
    return PostPage(
        post=post,
        media=media,
        credits=[dict(r) for r in credits.rows],
        terms=[dict(r) for r in terms.rows],
        thread=thread,
        pingbacks=pingbacks,
        comment_count=sum(1 for c in comments if c.get("type") in (None, "comment")),
        previous=neighbours["previous"],
        next=neighbours["next"],
        blog_post_count=count.first()[0],
        versions=versions,
    )


def build_thread(comments: list[Row]) -> tuple[list[Row], list[Row]]:
    """Nest comments under their parents (``parent_id``), keeping page order.

    Returns (top-level comments, pingbacks and trackbacks).  Each comment gets
    ``children`` and ``level`` (1 = top level, from the nesting itself; the
    stored ``depth`` is what the page's markup said).  A comment whose parent
    is missing from the archive, or that would close a cycle, is shown at the
    top level rather than lost.
    """
    pingbacks = [dict(c, children=[], level=1, anchor=comment_anchor(c))
                 for c in comments if c.get("type") in ("pingback", "trackback")]
    nodes = {c["id"]: dict(c, children=[], anchor=comment_anchor(c))
             for c in comments if c.get("type") not in ("pingback", "trackback")}
    roots: list[Row] = []
    attached: dict[str, str] = {}  # child id → parent id, as nested so far
    for node in nodes.values():
        parent = nodes.get(node.get("parent_id"))
        if parent is not None and not _closes_cycle(attached, node["id"], parent["id"]):
            parent["children"].append(node)
            attached[node["id"]] = parent["id"]
        else:
            roots.append(node)

    def set_level(items: list[Row], level: int) -> None:
        for item in items:
            item["level"] = level
            set_level(item["children"], level + 1)

    set_level(roots, 1)
    return roots, pingbacks


def _closes_cycle(attached: dict[str, str], node_id: str, parent_id: str) -> bool:
    """True if ``parent_id`` is ``node_id`` or already nested under it."""
    current: str | None = parent_id
    for _ in range(len(attached) + 2):  # a chain is at most every attached node long
        if current is None:
            return False
        if current == node_id:
            return True
        current = attached.get(current)
    return True


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def display_date(iso: str | None, text: str | None = None) -> str:
    """``2024-03-05T14:02:00Z`` → ``5 March 2024, 14:02 UTC``; the page's own text otherwise."""
    match = _ISO_DATE.match(iso or "")
    if not match:
        return text or iso or ""
    year, month, day, hour, minute = match.groups()
    if not 1 <= int(month) <= 12:
        return text or iso or ""
    shown = f"{int(day)} {_MONTHS[int(month) - 1]} {year}"
    if hour is not None:
        shown += f", {hour}:{minute}" + (" UTC" if (iso or "").endswith("Z") else "")
    return shown
