"""The archive's database schema: every table, column, key, index and FTS in one place.

Keys are deterministic so that two crawls of the same blog give the same
rows (and many workers can feed one archive):

* blog ``id``: the blog's home URL without scheme or trailing slash
  (``example.wordpress.com``, ``127.0.0.1:8080/blog``);
* post ``id``: ``<blog>/?p=<WordPress id>`` (WordPress's own shortlink), or
  ``<blog>/<path>`` of the canonical URL when the page hides the id;
* comment ``id``: ``<blog>/#comment-<WordPress id>`` (comment ids are unique
  per blog), or a content hash under the post when the page hides the id;
* term ``id``: ``<blog>/<taxonomy>/<slug>``; author ``id``: ``<blog>/author/<slug>``;
* credit ``id``: ``<post>#credit-<n>`` (n = order on the page);
* work ``id``: ``<type>/<title>/<year>`` with the title case-folded, accents and
  punctuation dropped (``film/her/2013``; ``work`` when the kind is unknown, nothing
  after the last slash when the year is): the same film reviewed by two blogs is one row;
* review: one per post, keyed by the post ``id``;
* media ``id``: the image URL;
* versions: ``(post id, content hash)`` — every distinct version of a post
  (or comment) ever seen, the current one included, with first/last seen.

``TABLES`` is the schema as it is now. ``MIGRATIONS`` are the named steps that bring an
archive to it, in order; ``ensure_schema`` applies those the archive has not had yet and
records them in ``schema_meta``, so an older archive is migrated in place and opening it
twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from scraper.model.keys import utc_now

SCHEMA_VERSION = 1


# Full-text indexes: words stemmed (porter: "tickets" finds "ticket") over unicode61 with
# every accent folded (remove_diacritics 2: "Amelie" finds "Amélie").
FTS_TOKENIZE = "porter unicode61 remove_diacritics 2"


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: dict[str, type]
    pk: str | tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()
    indexes: tuple[tuple[str, ...], ...] = ()
    fts: tuple[str, ...] = ()

    @property
    def key_columns(self) -> tuple[str, ...]:
        """The primary key's columns, in order."""
        return (self.pk,) if isinstance(self.pk, str) else self.pk


# Columns every archived content row carries, for history and provenance.
_SEEN = {
    "first_seen": str,  # ISO UTC time of the first crawl that saw the row
    "last_seen": str,  # ISO UTC time of the latest crawl that saw it
    "crawl_id": str,  # the latest crawl that saw it
    "deleted_at": str,  # set when a later crawl found it gone; rows are never removed
    "deleted_crawl_id": str,
}

# Which response a content row was extracted from (scraper/crawl/warc.py) and by which
# extractor: the WARC file (relative to the archive's folder), the record's WARC-Record-ID
# and its WARC-Payload-Digest. ``wparchive reextract`` rebuilds rows from these records.
_PROVENANCE = {
    "warc_file": str,
    "warc_record_id": str,
    "payload_digest": str,
    "extractor_version": str,
}

TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "crawls",
        {
            "id": str,  # "<UTC start time>-<random>"; crawls are events, not content
            "started_at": str,
            "finished_at": str,
            "status": str,  # running | finished | interrupted | failed
            "finish_reason": str,  # Scrapy's close reason
            "start_urls": str,  # JSON list
            "route": str,  # how posts were discovered (html, api, sitemap, feed)
            "route_reason": str,
            "requests": int,
            "requests_by_kind": str,  # JSON {"api": 1, "post": 52, "comment_page": 7, …}
            "responses": int,
            "bytes": int,
            "pages": int,
            "posts": int,
            "comments": int,
            "errors": int,
            "extractor_version": str,
            "options": str,  # JSON of spider arguments
            "mode": str,  # full | incremental (per blog decided; incremental when any is)
            "pid": int,  # the crawling process, to tell a dead "running" crawl
            "heartbeat": str,  # ISO UTC, moved while the crawl writes
        },
        pk="id",
        indexes=(("started_at",),),
    ),
    TableSpec(
        "blogs",
        {
            "id": str,
            "url": str,
            "name": str,
            "is_wordpress_com": int,
            "generator": str,
            "language": str,
            **_SEEN,
        },
        pk="id",
        foreign_keys=(("crawl_id", "crawls", "id"),),
    ),
    TableSpec(
        "authors",
        {"id": str, "blog_id": str, "name": str, "url": str, "slug": str, **_SEEN},
        pk="id",
        foreign_keys=(("blog_id", "blogs", "id"), ("crawl_id", "crawls", "id")),
        indexes=(("blog_id",), ("name",)),
        fts=("name",),  # the reading room's search finds a post by its author
    ),
    TableSpec(
        "posts",
        {
            "id": str,
            "blog_id": str,
            "wp_id": int,
            "url": str,  # canonical URL (or the fetched URL when the page states none)
            "fetched_url": str,
            "title": str,
            "published": str,  # ISO 8601; "Z" = UTC, no offset = blog-local time
            "modified": str,
            "published_text": str,
            "published_local": str,  # on the blog's clock, with its offset when stated
            "year": int,  # for facets: the year on the blog's clock
            "author_id": str,
            "body_html": str,
            "body_text": str,
            "excerpt": str,
            "word_count": int,
            "featured_image_url": str,
            "language": str,
            "comment_count_shown": int,  # the number the page states
            "comments_archived": int,  # comments (incl. pingbacks) stored for the post
            "comments_not_in_html": str,  # "disqus", … when a script loads them
            "content_hash": str,  # sha256 of title, body, credits and terms
            "fetched_at": str,
            "http_status": int,
            **_SEEN,
            **_PROVENANCE,
        },
        pk="id",
        foreign_keys=(
            ("blog_id", "blogs", "id"),
            ("author_id", "authors", "id"),
            ("crawl_id", "crawls", "id"),
        ),
        indexes=(("blog_id", "published"), ("author_id",), ("year",), ("url",)),
        fts=("title", "body_text"),
    ),
    TableSpec(
        "terms",
        {
            "id": str,
            "blog_id": str,
            "taxonomy": str,  # category | tag
            "name": str,
            "slug": str,
            "url": str,
            **_SEEN,
        },
        pk="id",
        foreign_keys=(("blog_id", "blogs", "id"), ("crawl_id", "crawls", "id")),
        indexes=(("blog_id", "taxonomy"), ("name",)),
    ),
    TableSpec(
        "post_terms",
        {"post_id": str, "term_id": str},
        pk=("post_id", "term_id"),
        foreign_keys=(("post_id", "posts", "id"), ("term_id", "terms", "id")),
        indexes=(("term_id",),),
    ),
    TableSpec(
        "media",
        {
            "id": str,  # the image URL
            "blog_id": str,
            "url": str,
            "alt": str,
            "width": int,
            "height": int,
            # filled when the image itself is downloaded
            "sha256": str,
            "local_path": str,
            "size": int,
            "mime_type": str,
            "pixel_width": int,  # of the downloaded file (Pillow); width/height are the page's
            "pixel_height": int,
            **_SEEN,
            **_PROVENANCE,  # the image's own response
            # why the last download failed (null once the file is stored): a post's images
            # are part of its completeness (shortfalls kind media_missing). Last: an older
            # archive gets it appended by the media_failures migration.
            "failure": str,
        },
        pk="id",
        foreign_keys=(("blog_id", "blogs", "id"), ("crawl_id", "crawls", "id")),
        indexes=(("blog_id",),),
    ),
    TableSpec(
        "post_media",
        {"post_id": str, "media_id": str, "role": str},  # role: featured | body
        pk=("post_id", "media_id"),
        foreign_keys=(("post_id", "posts", "id"), ("media_id", "media", "id")),
        indexes=(("media_id",),),
    ),
    TableSpec(
        "credits",
        {
            "id": str,
            "post_id": str,
            "position": int,
            "text": str,
            "name": str,  # the credited person or source
            "url": str,  # link on the name
            "role": str,  # poster, artwork, photo, image, …
            "place": str,  # paragraph | caption | footer
            "image_url": str,
            "media_id": str,
            **_SEEN,
            **_PROVENANCE,
        },
        pk="id",
        foreign_keys=(
            ("post_id", "posts", "id"),
            ("media_id", "media", "id"),
            ("crawl_id", "crawls", "id"),
        ),
        indexes=(("post_id",), ("name",)),
        fts=("text", "name"),  # the reading room's search finds a post by its credits
    ),
    # Reviews (scraper/extract/reviews.py): the work a post reviews, across blogs, and the
    # critic's rating. Works are never tombstoned: a work stays a work when a review goes.
    TableSpec(
        "works",
        {
            "id": str,  # <type>/<normalised title>/<year>
            "type": str,  # film | book | album | tv | game | product (null: not known)
            "title": str,  # as the latest crawled review of it writes it
            "year": int,
            "image_url": str,  # its poster or cover, from the review's data or a credit
            "first_seen": str,
            "last_seen": str,
            "crawl_id": str,
        },
        pk="id",
        foreign_keys=(("crawl_id", "crawls", "id"),),
        indexes=(("type",), ("year",), ("title",)),
        fts=("title",),
    ),
    TableSpec(
        "reviews",
        {
            "post_id": str,
            "blog_id": str,
            "work_id": str,
            "rating": float,  # the critic's rating from 0 (worst) to 1 (best)
            "rating_value": float,  # on the review's own scale …
            "rating_best": float,
            "rating_worst": float,
            "rating_text": str,  # … as written: "4/5", "★★★½", the JSON-LD Rating
            "rating_source": str,  # json-ld | microdata | rdfa | hreview | text
            "work_source": str,  # json-ld | microdata | rdfa | hreview | title
            "readers_rating": float,  # the readers' aggregate rating (0..1), kept apart
            "readers_rating_value": float,
            "readers_rating_best": float,
            "readers_rating_count": int,
            **_SEEN,
            **_PROVENANCE,
        },
        pk="post_id",
        foreign_keys=(
            ("post_id", "posts", "id"),
            ("blog_id", "blogs", "id"),
            ("work_id", "works", "id"),
            ("crawl_id", "crawls", "id"),
        ),
        indexes=(("work_id",), ("blog_id", "rating")),
    ),
    TableSpec(
        "comments",
        {
            "id": str,
            "blog_id": str,
            "post_id": str,
            "wp_id": int,
            "parent_id": str,
            "depth": int,
            "type": str,  # comment | pingback | trackback
            "author_name": str,
            "author_url": str,
            "published": str,
            "date_text": str,
            "text": str,
            "html": str,
            "url": str,
            "comment_page": int,  # which comment page showed it (1 = the post page)
            "position": int,  # order on that page
            **_SEEN,
            **_PROVENANCE,
            # on the blog's clock, with its offset when stated. Last: an older archive
            # gets it appended by the comment_local_times migration.
            "published_local": str,
        },
        pk="id",
        foreign_keys=(
            ("blog_id", "blogs", "id"),
            ("post_id", "posts", "id"),
            ("parent_id", "comments", "id"),
            ("crawl_id", "crawls", "id"),
        ),
        indexes=(("post_id", "comment_page", "position"), ("parent_id",), ("author_name",),
                 ("published",)),
        fts=("author_name", "text"),
    ),
    TableSpec(
        "post_versions",
        {
            "post_id": str,
            "content_hash": str,
            "title": str,
            "body_html": str,
            "body_text": str,
            "terms": str,  # JSON [[taxonomy, name], …]
            "credits": str,  # JSON [[text, name, url], …]
            "modified": str,  # what the blog said its modification time was
            "first_seen": str,
            "last_seen": str,
            "crawl_id": str,
        },
        pk=("post_id", "content_hash"),
        foreign_keys=(("post_id", "posts", "id"), ("crawl_id", "crawls", "id")),
        indexes=(("post_id", "first_seen"),),
    ),
    TableSpec(
        "comment_versions",
        {
            "comment_id": str,
            "content_hash": str,
            "text": str,
            "html": str,
            "first_seen": str,
            "last_seen": str,
            "crawl_id": str,
        },
        pk=("comment_id", "content_hash"),
        foreign_keys=(("comment_id", "comments", "id"), ("crawl_id", "crawls", "id")),
        indexes=(("comment_id", "first_seen"),),
    ),
    TableSpec(
        "fetch_errors",
        {
            "crawl_id": str,
            "url": str,
            "reason": str,
            "http_status": int,
            "attempts": int,
            "at": str,
        },
        pk=("crawl_id", "url"),
        foreign_keys=(("crawl_id", "crawls", "id"),),
        indexes=(("url",),),
    ),
    # The completeness check of each crawl (scraper/archive/checks.py): what independent
    # sources say a blog has against what was archived.
    TableSpec(
        "blog_checks",
        {
            "crawl_id": str,
            "blog_id": str,
            "route": str,  # api | wpcom | sitemap | feed | html
            "route_reason": str,
            "pages_fetched": int,  # 0 for an API-only archive (-a pages=no)
            "posts_listed": int,  # post URLs the route listed
            "posts_archived": int,
            "posts_expected_api": int,  # X-WP-Total of /wp/v2/posts
            "posts_expected_wpcom": int,  # "found" of the WordPress.com API
            "posts_expected_sitemap": int,  # entries of the post sitemaps
            "comments_api_total": int,  # X-WP-Total of /wp/v2/comments (an upper bound)
            "comments_shown": int,  # sum of the posts' "N comments"
            "comments_archived": int,
            "comments_archived_type_comment": int,  # comparable with comments_api_total
            "shortfalls": int,  # rows in shortfalls for this crawl and blog
            "complete": int,  # 1 when no shortfall was found
        },
        pk=("crawl_id", "blog_id"),
        foreign_keys=(("crawl_id", "crawls", "id"),),
    ),
    TableSpec(
        "shortfalls",
        {
            "crawl_id": str,
            "blog_id": str,
            "post_id": str,  # null for a post that was not archived at all, or blog-wide
            "url": str,  # the post's URL (the blog's for posts_short)
            # post_not_archived | comments_short | posts_short | source_unreadable |
            # media_missing (an image of the post whose file is not stored)
            "kind": str,
            "source": str,  # who says so: count_shown, feed, wpcom, api, sitemap, …
            "expected": int,
            "archived": int,
        },
        pk=("crawl_id", "url", "kind", "source"),
        foreign_keys=(("crawl_id", "crawls", "id"),),
        indexes=(("blog_id",), ("post_id",)),
    ),
    # Incremental re-crawls (scraper/crawl/discovery/incremental.py): what the blog said about each
    # fetched URL, so the next crawl can skip what did not change.
    TableSpec(
        "url_state",
        {
            "url": str,  # canonical URL (a post's own URL, or any fetched page)
            "blog_id": str,
            "post_id": str,  # the post archived from it, when it is a post
            "etag": str,  # validators the server sent (If-None-Match / If-Modified-Since)
            "last_modified": str,
            "api_modified": str,  # the REST API's modified_gmt when the post was complete
            "complete_at": str,  # the post page and all its comment pages were stored
            "crawl_id": str,
            "checked_at": str,
        },
        pk="url",
        indexes=(("blog_id",), ("post_id",)),
    ),
    # The WARC payload-digest index (scraper/crawl/warc.py): the first response record of every
    # distinct payload, so that a re-crawl writes revisit records instead of the same bytes.
    TableSpec(
        "warc_payloads",
        {
            "payload_digest": str,  # WARC-Payload-Digest, "sha1:<base32>"
            "uri": str,
            "date": str,  # WARC-Date of the response record
            "record_id": str,
            "warc_file": str,  # relative to the archive's folder
            "offset": int,  # of the record's gzip member in the file
        },
        pk="payload_digest",
    ),
)

TABLES_BY_NAME = {spec.name: spec for spec in TABLES}

# Views for people reading the archive in Datasette: a table's raw columns (the body's
# HTML, ids) are one click away, these show what a reader scans a list for.
VIEWS: dict[str, str] = {
    # One line per archived post: title, blog, date, author, comments and credits.
    "post_list": """
        select posts.id, posts.title, blogs.url as blog, posts.published,
               authors.name as author, posts.comments_archived as comments,
               (select count(*) from credits where credits.post_id = posts.id
                  and credits.deleted_at is null) as credits,
               posts.url
        from posts
        left join blogs on blogs.id = posts.blog_id
        left join authors on authors.id = posts.author_id
        where posts.deleted_at is null
        order by posts.published desc""",
    # One line per crawl, with the fleet worker that ran it (wparchive worker): how far
    # each crawl got, by worker, while a fleet runs and after.
    "crawl_list": """
        select id, json_extract(options, '$.fleet_worker') as worker, status,
               json_extract(start_urls, '$[0]') as blog, started_at, heartbeat, finished_at,
               pages, posts, comments, errors, route, mode
        from crawls
        order by started_at desc""",
}


@dataclass(frozen=True)
class Migration:
    """One named step from an older archive towards ``TABLES``.

    A step only creates what is missing (tables, columns, indexes, FTS and its triggers), so
    applying it again changes nothing: an archive made before migrations were recorded
    simply gets every step applied."""

    name: str
    tables: tuple[str, ...]  # the ``TABLES`` it brings up to date, in this order
    # Tables whose full-text index is made again with ``FTS_TOKENIZE`` and refilled
    # from the table (a new tokenizer applies only to an index built with it).
    rebuild_fts: tuple[str, ...] = ()
    views: tuple[str, ...] = ()  # the ``VIEWS`` it creates (or replaces)

    def apply(self, db: sqlite_utils.Database) -> None:
        for name in self.tables:
            _ensure_table(db, TABLES_BY_NAME[name])
        for name in self.views:
            db.create_view(name, VIEWS[name], replace=True)
        for name in self.rebuild_fts:
            spec = TABLES_BY_NAME[name]
            db.table(name).enable_fts(list(spec.fts), create_triggers=False,
                                      tokenize=FTS_TOKENIZE, replace=True)
            db.table(name).rebuild_fts()
            _ensure_fts_triggers(db, name, spec.fts)


# In the order they happened; applied in this order, each once, recorded in ``schema_meta``
# as ``migration:<name>``. A change to ``TABLES`` needs a new step at the end naming the
# tables it touches (``_ensure_table`` adds the missing columns and indexes); a step is
# never edited or removed once released, since archives remember its name.
MIGRATIONS: tuple[Migration, ...] = (
    Migration("content", ("crawls", "blogs", "authors", "posts", "terms", "post_terms",
                          "media", "post_media", "credits", "comments", "post_versions",
                          "comment_versions", "fetch_errors")),
    Migration("completeness_checks", ("blog_checks", "shortfalls")),
    Migration("url_state", ("url_state",)),
    Migration("warc_payloads", ("warc_payloads",)),
    # Search that finds: stemmed, accents folded (FTS_TOKENIZE), and credits and authors
    # indexed too.
    Migration("search_stemming", (), rebuild_fts=("posts", "comments", "credits", "authors")),
    # Readable lists: posts with their blog, author, comment and credit counts.
    Migration("reading_views", (), views=("post_list",)),
    Migration("media_failures", ("media",)),
    Migration("comment_local_times", ("comments",)),
    # Reviews as data: the reviewed works across blogs, each post's rating.
    Migration("reviews", ("works", "reviews")),
    # Crawls at a glance, with the fleet worker of each.
    Migration("crawl_views", (), views=("crawl_list",)),
)

_MIGRATION_KEY = "migration:"


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Apply the migrations this archive has not had yet, in order; idempotent."""
    db.execute("PRAGMA journal_mode=WAL")
    meta = db.table("schema_meta")
    if not meta.exists():
        meta.create({"key": str, "value": str}, pk="key")
    applied = applied_migrations(db)
    pending = [m for m in MIGRATIONS if m.name not in applied]
    for migration in pending:
        # Not one transaction with its record: enable_fts runs a script, which commits
        # on its own. A step interrupted before its record is idempotent and runs again.
        migration.apply(db)
        meta.upsert({"key": _MIGRATION_KEY + migration.name, "value": utc_now()}, pk="key")
    if pending:
        meta.upsert({"key": "version", "value": str(SCHEMA_VERSION)}, pk="key")


def applied_migrations(db: sqlite_utils.Database) -> list[str]:
    """Names of the migrations applied to this archive, in the order they were applied."""
    rows = db.execute("select key from schema_meta where key like ? order by rowid",
                      [_MIGRATION_KEY + "%"]).fetchall()
    return [key.removeprefix(_MIGRATION_KEY) for (key,) in rows]


def _ensure_table(db: sqlite_utils.Database, spec: TableSpec) -> None:
    table = db.table(spec.name)
    if not table.exists():
        table.create(
            spec.columns,
            pk=spec.pk,
            foreign_keys=list(spec.foreign_keys),
        )
    else:
        existing = set(table.columns_dict)
        for column, column_type in spec.columns.items():
            if column not in existing:
                table.add_column(column, column_type)
    for columns in spec.indexes:
        table.create_index(list(columns), if_not_exists=True)
    if spec.fts:
        if not db.table(f"{spec.name}_fts").exists():
            table.enable_fts(list(spec.fts), create_triggers=False, tokenize=FTS_TOKENIZE)
        _ensure_fts_triggers(db, spec.name, spec.fts)


def fts_triggers(table: str, columns: tuple[str, ...]) -> dict[str, str]:
    """The triggers that keep ``<table>_fts`` (an external-content FTS5 table) in sync.

    Unlike sqlite-utils' own (``enable_fts(create_triggers=True)``), the update
    trigger fires only when an indexed column really changes: an upsert that
    rewrites ``last_seen``, or the ``comments_archived`` refresh after each page,
    leaves the index alone instead of re-indexing the whole post body.
    """
    fts = f"{table}_fts"
    cols = ", ".join(f"[{c}]" for c in columns)
    old = ", ".join(f"old.[{c}]" for c in columns)
    new = ", ".join(f"new.[{c}]" for c in columns)
    changed = " or ".join(f"old.[{c}] is not new.[{c}]" for c in columns)
    delete = f"insert into [{fts}] ([{fts}], rowid, {cols}) values ('delete', old.rowid, {old});"
    insert = f"insert into [{fts}] (rowid, {cols}) values (new.rowid, {new});"
    return {
        f"{table}_ai": f"CREATE TRIGGER [{table}_ai] after insert on [{table}] begin\n"
                       f"  {insert}\nend",
        f"{table}_ad": f"CREATE TRIGGER [{table}_ad] after delete on [{table}] begin\n"
                       f"  {delete}\nend",
        f"{table}_au": f"CREATE TRIGGER [{table}_au] after update of {cols} on [{table}]"
                       f" when {changed} begin\n  {delete}\n  {insert}\nend",
    }


def _ensure_fts_triggers(db: sqlite_utils.Database, table: str, columns: tuple[str, ...]) -> None:
    """Create the FTS triggers, replacing any that differ (sqlite-utils' older ones)."""
    existing = dict(db.execute(
        "select name, sql from sqlite_master where type = 'trigger' and tbl_name = ?", [table]
    ).fetchall())
    wanted = fts_triggers(table, columns)
    stale = [name for name, sql in wanted.items() if existing.get(name) != sql]
    if not stale:
        return
    # The index content is the same either way, so swapping triggers needs no
    # rebuild; a savepoint keeps a concurrent writer from slipping in between.
    db.execute("savepoint fts_triggers")
    try:
        for name in stale:
            db.execute(f"drop trigger if exists [{name}]")
            db.execute(wanted[name])
    except BaseException:
        db.execute("rollback to fts_triggers")
        db.execute("release fts_triggers")
        raise
    db.execute("release fts_triggers")
