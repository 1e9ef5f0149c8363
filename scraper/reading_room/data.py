"""What the reading room reads: search hits, a post with its thread, facets.

Pure SQL over the archive schema (``scraper/archive/schema.py``) plus small pure
helpers (thread building, FTS query escaping) that the tests call directly.
Every function takes a Datasette ``Database`` (read-only connection).
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from markupsafe import escape

from scraper.reading_room.reviews import post_review

if TYPE_CHECKING:
    from datasette.database import Database

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
    the query is text, never syntax) and searched as a prefix; the index stems words and
    folds accents (``FTS_TOKENIZE`` in the archive schema). ``raw`` passes FTS5 syntax
    through (``"exact phrase"``, ``OR``, ``NEAR``, ``prefix*``).
    """
    q = q.strip()
    if raw:
        return q
    # Each word quoted (its quotes doubled) and a prefix: "tick" finds "tickets".
    # A word with no letter or digit is no search term (FTS5 rejects an empty phrase).
    return " ".join('"' + word.replace('"', '""') + '"*' for word in q.split()
                    if any(ch.isalnum() for ch in word))


def comment_anchor(comment: Row) -> str:
    """The HTML id of a comment on the post page: WordPress's own when known."""
    if comment.get("wp_id") is not None:
        return f"comment-{comment['wp_id']}"
    return "c-" + hashlib.sha1(str(comment["id"]).encode()).hexdigest()[:12]


# --- search -----------------------------------------------------------------
#
# Cheap first, costly last: (1) count the matches of each FTS table, capped;
# (2) fetch the matching rows' ranking and facet columns only — every match when
# there are at most RANK_LIMIT (ranked by bm25), else only the WINDOW most
# recently archived matches of each kind (ranking a term found in most of a
# million comments costs seconds: bm25 for every one); (3) sort and count facets
# in Python; (4) compute snippets and join titles for the page's rows alone.

RANK_LIMIT = 5_000  # posts + comments matching; above it, no relevance ranking
WINDOW = 1_000  # matches of each kind looked at when there are too many to rank

# The posts a search finds: by their title and text, by their credits (text and credited
# name) and by their author's name. Rowids, for ``posts.rowid in (…)``: each part reads its
# own full-text index, and the union is looked up by rowid (no scan of posts).
_POST_MATCHES = """
select rowid from posts_fts where posts_fts match :match
union select posts.rowid from credits_fts join credits on credits.rowid = credits_fts.rowid
  join posts on posts.id = credits.post_id where credits_fts match :match
union select posts.rowid from authors_fts join authors on authors.rowid = authors_fts.rowid
  join posts on posts.author_id = authors.id where authors_fts match :match"""

_CANDIDATES = {
    "post": f"""
select 'post' as kind, posts.rowid as rid, posts.published as published,
  posts.year as year, posts.blog_id as blog_id, authors.name as who, {{rank}} as rank
from posts
left join authors on authors.id = posts.author_id
{{rank_join}}
where posts.rowid in ({_POST_MATCHES})""",
    "comment": """
select comments.type as kind, comments_fts.rowid as rid, comments.published as published,
  cast(substr(comments.published, 1, 4) as integer) as year, comments.blog_id as blog_id,
  comments.author_name as who, {rank} as rank
from comments_fts
join comments on comments.rowid = comments_fts.rowid
where comments_fts match :match""",
}
# A post found by its credits or author alone ranks as a weak text match (bm25 is
# negative, best lowest).
_RANK = {"post": "coalesce(ranked.score, -0.000001)", "comment": "bm25(comments_fts, 2.0, 1.0)"}
_RANK_JOIN = {"post": """left join (select rowid as r, bm25(posts_fts, 5.0, 1.0) as score
  from posts_fts where posts_fts match :match) ranked on ranked.r = posts.rowid""",
              "comment": ""}

_DETAILS = {
    "post": """
select posts.rowid as rid, posts.id as post_id, null as comment_id,
  null as comment_wp_id, posts.title as post_title, posts.url as url,
  posts.deleted_at as deleted_at,
  coalesce(found.title_snippet, posts.title) as title_snippet,
  found.text_snippet as text_snippet,
  (select 'by ' || :mark_open || authors.name || :mark_close from authors
    where authors.id = posts.author_id) as author_snippet
from posts
left join (select rowid as r,
    snippet(posts_fts, 0, :mark_open, :mark_close, '…', 16) as title_snippet,
    snippet(posts_fts, 1, :mark_open, :mark_close, '…', 32) as text_snippet
  from posts_fts where posts_fts match :match and rowid in ({rids})) found
  on found.r = posts.rowid
where posts.rowid in ({rids})""",
    "comment": """
select comments_fts.rowid as rid, comments.post_id as post_id, comments.id as comment_id,
  comments.wp_id as comment_wp_id, posts.title as post_title, comments.url as url,
  comments.deleted_at as deleted_at,
  snippet(comments_fts, 0, :mark_open, :mark_close, '…', 16) as title_snippet,
  snippet(comments_fts, 1, :mark_open, :mark_close, '…', 32) as text_snippet
from comments_fts join comments on comments.rowid = comments_fts.rowid
left join posts on posts.id = comments.post_id
where comments_fts match :match and comments_fts.rowid in ({rids})""",
}

# What a post found by its credits shows: the credits that match.
_CREDIT_SNIPPETS = """
select credits.post_id as post_id,
  snippet(credits_fts, -1, :mark_open, :mark_close, '…', 16) as snippet
from credits_fts join credits on credits.rowid = credits_fts.rowid
where credits_fts match :match and credits.post_id in ({ids}) order by credits.position"""

_MATCHES = {"post": _POST_MATCHES,
            "comment": "select rowid from comments_fts where comments_fts match :match"}

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
    # Set when more than RANK_LIMIT posts and comments match: hits, total and
    # facets then cover only the most recently archived matches (``total`` of them).
    too_many: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


async def search(
    db: Database,
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
    kinds = _kinds_searched(filters.get("kind"), include_comments)
    params: dict[str, Any] = {"match": results.match, **filters}
    try:
        results.too_many = await _count_matches(db, kinds, params) > RANK_LIMIT
        candidates = await _candidates(db, kinds, filters, params, results.too_many)
        start = (results.page - 1) * per_page
        shown = [dict(r) for r in candidates[start:start + per_page]]
        details = await _details(db, kinds, shown, params)
    except Exception as error:  # FTS5 syntax errors in raw mode, mostly
        results.error = str(error)
        return results
    counts = _facet_counts(candidates)
    names = await _blog_names(db, {r["blog_id"] for r in shown}
                              | {value for value, _ in counts["blog"]})
    for row in shown:
        detail = details.get((_kind_table(row["kind"]), row["rid"]), {})
        results.hits.append({**row, **detail,
                             "blog_name": names.get(row["blog_id"]) or row["blog_id"]})
    results.total = len(candidates)
    results.facets = _facets(counts, names)
    return results


def _kinds_searched(kind: str | None, include_comments: bool) -> tuple[str, ...]:
    """The kinds (FTS tables) a search reads, given its ``kind`` filter."""
    kinds = SEARCH_KINDS if include_comments else ("post",)
    if kind == "post":
        return ("post",)
    if kind:  # comment, pingback, trackback: all in the comments table
        return tuple(k for k in kinds if k == "comment")
    return kinds


def _kind_table(kind: str) -> str:
    """The search kind a hit's kind is stored under: pingbacks and trackbacks are comments."""
    return "post" if kind == "post" else "comment"


async def _count_matches(db: Database, kinds: tuple[str, ...], params: dict[str, Any]) -> int:
    """Matches of all kinds, each kind counted up to RANK_LIMIT + 1 (enough to decide)."""
    # Posts and comments are separate queries: run them side by side on Datasette's
    # SQL threads (SQLite releases the GIL while it works).
    counted = await asyncio.gather(*(db.execute(
        f"select count(*) from ({_MATCHES[kind]} limit {RANK_LIMIT + 1})", params)
        for kind in kinds))
    return sum(int(found.first()[0]) for found in counted)


async def _candidates(db: Database, kinds: tuple[str, ...], filters: dict[str, str],
                      params: dict[str, Any], too_many: bool) -> list[Any]:
    """The filtered matches' ranking and facet columns, best first."""
    where = " and ".join(_FILTERS[k] for k in filters) or "1"
    found_kinds = await asyncio.gather(*(
        db.execute(_candidates_sql(kind, where, too_many), params) for kind in kinds))
    # sqlite3.Row: only the shown rows become dicts
    candidates: list[Any] = [row for found in found_kinds for row in found.rows]
    # best first: rank, then newest (rank is null when there are too many to rank)
    candidates.sort(key=lambda r: r["published"] or "", reverse=True)
    candidates.sort(key=lambda r: r["rank"] if r["rank"] is not None else 0.0)
    return candidates


_FACET_KEYS = (("author", "who"), ("blog", "blog_id"), ("kind", "kind"), ("year", "year"))


def _top(values: Iterable[Any]) -> list[tuple[Any, int]]:
    counts = Counter(values)
    counts.pop(None, None)
    return sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))[:FACET_LIMIT]


def _candidates_sql(kind: str, where: str, too_many: bool) -> str:
    """The ranking and facet columns of the matches of one kind (a window if too many)."""
    rank = "null" if too_many else _RANK[kind]
    rank_join = "" if too_many else _RANK_JOIN[kind]
    sql = f"select * from ({_CANDIDATES[kind].format(rank=rank, rank_join=rank_join)})" \
        f" where {where}"
    return sql + (f" order by rid desc limit {WINDOW}" if too_many else "")


async def _details(db: Database, kinds: tuple[str, ...], shown: list[Row],
                   params: dict[str, Any]) -> dict[tuple[str, int], Row]:
    """Snippets, titles and links of the shown hits, by (kind, rowid)."""
    queries = []
    for kind in kinds:
        rids = [r["rid"] for r in shown if _kind_table(r["kind"]) == kind]
        if rids:
            queries.append((kind, db.execute(
                _DETAILS[kind].format(rids=", ".join(str(int(r)) for r in rids)),
                {**params, "mark_open": MARK_OPEN, "mark_close": MARK_CLOSE})))
    found_kinds = await asyncio.gather(*(query for _, query in queries))
    details = {(kind, r["rid"]): dict(r)
               for (kind, _), found in zip(queries, found_kinds, strict=True)
               for r in found.rows}
    await _credit_snippets(db, [d for (kind, _), d in details.items() if kind == "post"],
                           params)
    return details


async def _credit_snippets(db: Database, posts: list[Row], params: dict[str, Any]) -> None:
    """A post found by its credits or author, not its text, shows those instead."""
    wanting = [post for post in posts if not post["text_snippet"]]
    if not wanting:
        return
    ids = {f"p{i}": post["post_id"] for i, post in enumerate(wanting)}
    found = await db.execute(
        _CREDIT_SNIPPETS.format(ids=", ".join(f":{key}" for key in ids)),
        {**params, **ids, "mark_open": MARK_OPEN, "mark_close": MARK_CLOSE})
    credits: dict[str, list[str]] = {}
    for row in found.rows:
        credits.setdefault(row["post_id"], []).append(row["snippet"])
    for post in wanting:
        post["text_snippet"] = " · ".join(credits.get(post["post_id"], [])) \
            or post["author_snippet"]


def _facet_counts(rows: list[Any]) -> dict[str, list[tuple[Any, int]]]:
    """The most frequent values of each facet among the candidates, with their counts."""
    # Counter over map(itemgetter) counts in C: thousands of candidates per search
    counts = {name: _top(map(itemgetter(key), rows)) for name, key in _FACET_KEYS
              if name != "kind"}
    # pingbacks and trackbacks count as comments
    counts["kind"] = _top(_kind_table(row["kind"]) for row in rows)
    return counts


def _facets(counts: dict[str, list[tuple[Any, int]]],
            names: dict[str, str]) -> dict[str, list[Row]]:
    facets: dict[str, list[Row]] = {}
    for name, _ in _FACET_KEYS:
        values = []
        for value, n in counts[name]:
            label: Any = value
            if name == "blog":
                label = names.get(value) or value
            elif name == "kind":
                label = "posts" if value == "post" else "comments"
            values.append({"facet": name, "value": value, "label": label, "n": n})
        if values:
            facets[name] = values
    return facets


async def _blog_names(db: Database, blog_ids: set[str]) -> dict[str, str]:
    if not blog_ids:
        return {}
    ids = sorted(blog_ids)
    found = await db.execute(
        f"select id, name from blogs where id in ({', '.join('?' for _ in ids)})", ids)
    return {r["id"]: r["name"] for r in found.rows if r["name"]}


def highlight(snippet: str | None) -> str:
    """An FTS snippet as safe HTML: escaped text, matches in <mark>."""
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
    review: Row | None = None  # the work it reviews and its rating (reviews.py)


async def load_post(db: Database, post_id: str,
                    include_comments: bool = True) -> PostPage | None:
    """A post with everything its page shows; None if the archive has no such post."""
    post = await _post(db, post_id)
    if post is None:
        return None
    comments = await _comments(db, post_id) if include_comments else []
    thread, pingbacks = build_thread(comments)
    credits = await db.execute(
        "select * from credits where post_id = :id order by position", {"id": post_id})
    terms = await db.execute(
        """select terms.* from post_terms join terms on terms.id = post_terms.term_id
           where post_terms.post_id = :id order by terms.taxonomy, terms.name""",
        {"id": post_id},
    )
    count = await db.execute("select count(*) from posts where blog_id = :blog",
                             {"blog": post["blog_id"]})
    return PostPage(
        post=post,
        media=await _featured_media(db, post),
        credits=[dict(r) for r in credits.rows],
        terms=[dict(r) for r in terms.rows],
        thread=thread,
        pingbacks=pingbacks,
        comment_count=sum(1 for c in comments if c.get("type") in (None, "comment")),
        previous=await _neighbour(db, post, "<", "desc"),
        next=await _neighbour(db, post, ">", "asc"),
        blog_post_count=count.first()[0],
        versions=await _versions(db, post_id),
        review=await post_review(db, post_id),
    )


async def _post(db: Database, post_id: str) -> Row | None:
    """The post's row with its blog's name and URL and its author's."""
    rows = await db.execute(
        """select posts.*, coalesce(blogs.name, posts.blog_id) as blog_name,
             blogs.url as blog_url, authors.name as author_name, authors.url as author_url
           from posts left join blogs on blogs.id = posts.blog_id
           left join authors on authors.id = posts.author_id
           where posts.id = :id""",
        {"id": post_id},
    )
    return dict(rows.first()) if rows.rows else None


async def _featured_media(db: Database, post: Row) -> Row | None:
    """The media row of the post's featured image (its archived copy, if any)."""
    if not post.get("featured_image_url"):
        return None
    found = await db.execute("select * from media where id = :id",
                             {"id": post["featured_image_url"]})
    return dict(found.first()) if found.rows else None


async def archived_copies(db: Database, urls: Iterable[str]) -> set[str]:
    """Those of ``urls`` (media ids: an image's address) whose file the crawl downloaded."""
    wanted = sorted(set(urls))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):  # under SQLite's bound-parameter limit
        chunk = wanted[start:start + 500]
        marks = ", ".join(f":u{i}" for i in range(len(chunk)))
        rows = await db.execute(
            f"select id from media where id in ({marks}) and coalesce(local_path, '') != ''",
            {f"u{i}": url for i, url in enumerate(chunk)})
        found.update(row[0] for row in rows.rows)
    return found


def walk_thread(thread: list[Row]) -> Iterable[Row]:
    """Every comment of a nested thread (``build_thread``), parents before replies."""
    for comment in thread:
        yield comment
        yield from walk_thread(comment.get("children") or [])


async def _comments(db: Database, post_id: str) -> list[Row]:
    """The post's comments in the order its pages showed them."""
    found = await db.execute(
        """select * from comments where post_id = :id
           order by coalesce(comment_page, 1), position, published, id""",
        {"id": post_id},
    )
    return [dict(r) for r in found.rows]


async def _neighbour(db: Database, post: Row, op: str, order: str) -> Row | None:
    """The blog's post published just before (``<``, ``desc``) or after (``>``, ``asc``)."""
    found = await db.execute(
        f"""select id, title, published from posts
            where blog_id = :blog and published {op} :published
            order by published {order}, id {order} limit 1""",
        {"blog": post["blog_id"], "published": post.get("published") or ""},
    )
    return dict(found.first()) if found.rows else None


async def _versions(db: Database, post_id: str) -> list[Row]:
    """The post's versions, oldest first; none in an archive older than post_versions."""
    if not await db.table_exists("post_versions"):
        return []
    found = await db.execute(
        """select post_id, content_hash, title, modified, first_seen, last_seen
           from post_versions where post_id = :id order by first_seen, content_hash""",
        {"id": post_id},
    )
    return [dict(r) for r in found.rows]


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
