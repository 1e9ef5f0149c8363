"""The reading room: a Datasette plugin that shows archived blogs as their readers saw them.

Registered through the ``datasette`` entry point in ``pyproject.toml`` (so an
installed wparchive activates it in any ``datasette serve``).  It adds:

* ``/-/search?q=…`` — one full-text search over posts *and* comments (FTS5,
  bm25 ranking, highlighted snippets, facets by blog, author, year and kind),
  with a search box in every page's header and on the index page;
* ``/-/post?id=<post id>`` — a post with its featured image, credits, terms
  and body, then its comment thread nested by ``parent_id``, pingbacks apart;
* a "read as the blog showed it" link on rows of ``posts`` and ``comments``;
* fast Datasette table search (``?_search=``) on ``posts`` and ``comments``: a search
  of many rows goes to a form whose pages read only their own matches
  (:mod:`.table_search`);
* safety for everything above: scraped HTML only through
  :mod:`.sanitize`, a Content-Security-Policy without inline script on every
  page, a read-only instance (any non-GET request is refused and the write
  permissions are denied), ``noindex`` headers (robots.txt comes from
  datasette-block-robots).

Its settings live in ``datasette_meta.json`` under ``plugins.wparchive``.  The
metadata written there for the database named ``archive`` (the default
``archive.db``) is applied to every database that has the archive's schema,
whatever its file is called.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.plugins import pm
from datasette.utils import await_me_maybe
from datasette.utils.asgi import NotFound, Request, Response
from markupsafe import Markup

from scraper.reading_room import data, table_search
from scraper.reading_room.sanitize import clean_html, safe_url, text_to_html

PLUGIN = "wparchive"
TEMPLATE_DATABASE = "archive"  # whose metadata in datasette_meta.json applies to every archive
ARCHIVE_TABLES = ("posts", "comments")
STATIC_DIR = Path(__file__).parent / "static"
STATIC_URL = "/-/reading-room/static/"
SEARCH_PATH = "/-/search"
POST_PATH = "/-/post"
MEDIA_PATH = "/-/reading-room/media"
PLUGIN_PATHS = (SEARCH_PATH, POST_PATH, "/-/reading-room/")
WRITE_ACTIONS = frozenset({"insert-row", "delete-row", "update-row", "create-table",
                           "alter-table", "drop-table"})
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOCAL_IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp",
                               "image/avif", "image/bmp"})


def _sha256_source(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


# Datasette's table page keeps one inline script (table.html); allowing exactly its two
# possible texts by hash keeps every other inline script forbidden.  The other core inline
# scripts are replaced by files (templates/_close_open_menus.html, _codemirror_foot.html).
_CORE_INLINE_SCRIPTS = tuple(
    _sha256_source(f"DATASETTE_ALLOW_FACET = {value};") for value in ("true", "false")
)


def content_security_policy(path: str) -> str:
    """The CSP for a page: no inline script anywhere; no framing, plug-ins or foreign forms."""
    script_src = "'self'"
    if not path.startswith(PLUGIN_PATHS):
        script_src += " " + " ".join(_CORE_INLINE_SCRIPTS)
    return "; ".join([
        "default-src 'self'",
        f"script-src {script_src}",
        "script-src-attr 'none'",
        "style-src 'self' 'unsafe-inline'",  # Datasette's pages use style attributes
        "img-src 'self' https: http: data:",  # archived posts show the blog's own images
        "media-src 'self' https: http:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-src 'none'",
        "worker-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ])


# --- which databases are archives -------------------------------------------


def archive_databases(datasette: Any) -> list[str]:
    """Names of the attached databases that have the archive's schema, in attach order."""
    return list(getattr(datasette, "_wparchive_databases", []))


async def _detect_archives(datasette: Any) -> list[str]:
    found = []
    sortable = {}
    for name, db in datasette.databases.items():
        if name == "_internal":
            continue
        tables = set(await db.table_names())
        if all(t in tables for t in ARCHIVE_TABLES):
            found.append(name)
            sortable[name] = await table_search.sortable_columns(db)
    datasette._wparchive_sortable = sortable
    datasette._wparchive_databases = found
    return found


async def _archive_db(datasette: Any, request: Any) -> tuple[str, Any]:
    names = archive_databases(datasette) or await _detect_archives(datasette)
    if not names:
        raise NotFound("No archive database is attached to this Datasette")
    name = request.args.get("db") or names[0]
    if name not in names:
        raise NotFound(f"{name} is not an archive database")
    await datasette.ensure_permissions(
        request.actor,
        [("view-table", (name, "posts")), ("view-database", name), "view-instance"],
    )
    return name, datasette.get_database(name)


def _db_params(datasette: Any, db_name: str) -> dict[str, str]:
    names = archive_databases(datasette)
    return {} if names and names[0] == db_name else {"db": db_name}


def post_url(datasette: Any, db_name: str, post_id: str, anchor: str | None = None) -> str:
    query = urlencode({"id": post_id, **_db_params(datasette, db_name)})
    return datasette.urls.path(f"{POST_PATH}?{query}") + (f"#{anchor}" if anchor else "")


# --- hooks ------------------------------------------------------------------


@hookimpl
def startup(datasette: Any) -> Any:
    async def inner() -> None:
        await _detect_archives(datasette)

    return inner


@hookimpl
def get_metadata(datasette: Any, key: Any, database: Any, table: Any) -> dict[str, Any]:
    """Apply the ``archive`` database's metadata to every other archive database, and
    let posts and comments be sorted by rowid too (the order of a fast table search)."""
    local = getattr(datasette, "_metadata_local", None) or {}
    template = (local.get("databases") or {}).get(TEMPLATE_DATABASE)
    sortable = getattr(datasette, "_wparchive_sortable", {})
    databases = {}
    for name in archive_databases(datasette):
        meta = copy.deepcopy(template) if template and name != TEMPLATE_DATABASE else {}
        tables = meta.setdefault("tables", {})
        for table_name, columns in sortable.get(name, {}).items():
            tables.setdefault(table_name, {}).setdefault("sortable_columns", columns)
        databases[name] = meta
    return {"databases": databases} if databases else {}


@hookimpl(hookwrapper=True)
def filters_from_request(request: Any, database: str, table: str, datasette: Any) -> Any:
    """On a search of posts or comments that does not count its rows, replace Datasette's
    ``_search`` filter by one that states the number of matches, and on a fast search
    page reads only the page's matches (see :mod:`.table_search`)."""
    outcome = yield
    if database not in archive_databases(datasette):
        return
    replacement = table_search.search_filter(datasette, request, database, table)
    if replacement is not None:
        outcome.force_result([
            replacement if table_search.is_datasette_search(result) else result
            for result in outcome.get_result()])


@hookimpl
def canned_queries(datasette: Any, database: str, actor: Any) -> Any:
    """Canned queries that need a table a later version of the archive adds.

    ``plugins.wparchive.queries_needing_tables`` in datasette_meta.json holds
    them, each with ``requires`` (table names); once the tables exist, the query
    replaces the same-named one of ``databases.archive.queries``.
    """
    if database not in archive_databases(datasette):
        return None
    config = datasette.plugin_config(PLUGIN) or {}
    candidates = config.get("queries_needing_tables") or {}
    if not candidates:
        return None

    async def inner() -> dict[str, Any]:
        tables = set(await datasette.get_database(database).table_names())
        return {
            name: {k: v for k, v in query.items() if k != "requires"}
            for name, query in candidates.items()
            if all(t in tables for t in query.get("requires", []))
        }

    return inner


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    return [
        (r"^/-/search$", search_view),
        (r"^/-/post$", post_view),
        (r"^/-/reading-room/media$", media_view),
        (r"^/-/reading-room/static/(?P<name>[a-z0-9][a-z0-9_.-]*\.(?:css|js))$", static_view),
    ]


@hookimpl
def extra_css_urls(datasette: Any) -> list[dict[str, str]]:
    return [{"url": datasette.urls.path(STATIC_URL + "reading-room.css")}]


@hookimpl
def extra_template_vars(datasette: Any, request: Any) -> dict[str, Any]:
    return {
        "rr_search_url": datasette.urls.path(SEARCH_PATH),
        "rr_static_url": datasette.urls.path(STATIC_URL),
        "rr_query": (request.args.get("q", "") if request is not None
                     and request.path == SEARCH_PATH else ""),
        "rr_post_url": lambda db, post_id, anchor=None: post_url(datasette, db, post_id, anchor),
        "rr_archive_databases": archive_databases(datasette),
    }


@hookimpl
def prepare_jinja2_environment(env: Any, datasette: Any) -> None:
    env.filters["rr_clean"] = lambda html, base=None: Markup(clean_html(html, base))
    env.filters["rr_text"] = lambda text: Markup(text_to_html(text))
    env.filters["rr_safe_url"] = safe_url
    env.filters["rr_date"] = data.display_date
    env.filters["rr_highlight"] = lambda snippet: Markup(data.highlight(snippet))


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str,
                datasette: Any) -> Any:
    """Post titles in the posts table, and ``post_id`` columns of query results (canned
    queries), link to the post as its blog showed it."""
    if database not in archive_databases(datasette) or value is None:
        return None
    if table is None and column == "post_id" and isinstance(value, str):
        return Markup('<a href="{}" class="rr-read">{}</a>').format(
            post_url(datasette, database, value), value)
    if table != "posts" or column != "title":
        return None
    try:
        post_id = row["id"]
    except (KeyError, IndexError, TypeError):
        return None
    href = post_url(datasette, database, post_id)
    return Markup('<a href="{}" class="rr-read">{}</a>').format(
        href, value)


@hookimpl
def menu_links(datasette: Any) -> list[dict[str, str]]:
    return [{"href": datasette.urls.path(SEARCH_PATH), "label": "Search the archive"}]


@hookimpl
def permission_allowed(action: str) -> bool | None:
    """The reading room is read-only, whoever asks."""
    return False if action in WRITE_ACTIONS else None


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    def wrap(app: Any) -> Any:
        async def reading_room_app(scope: dict, receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            if scope.get("method", "GET") not in READ_METHODS:
                await Response.text(
                    "This archive is read-only.", status=405,
                    headers={"Allow": "GET, HEAD, OPTIONS"},
                ).asgi_send(_with_headers(send, scope))
                return
            location = await _fast_search_redirect(datasette, scope, receive)
            if location is not None:
                await Response.redirect(location).asgi_send(_with_headers(send, scope))
                return
            await app(scope, receive, _with_headers(send, scope))

        return reading_room_app

    return wrap


async def _fast_search_redirect(datasette: Any, scope: dict, receive: Any) -> str | None:
    """The fast form of a table search of many rows, for whoever may see the table."""
    if scope.get("method", "GET") != "GET" or not scope.get("query_string"):
        return None
    searched = table_search.searched_table(datasette, scope.get("path", ""),
                                           archive_databases(datasette))
    if searched is None:
        return None
    database, table = searched
    request = Request(scope, receive)
    actor = await _actor(datasette, request)
    visible, _ = await datasette.check_visibility(actor, permissions=[
        ("view-table", (database, table)), ("view-database", database), "view-instance"])
    if not visible:
        return None
    return await table_search.fast_search_location(datasette, request, database, table)


async def _actor(datasette: Any, request: Any) -> Any:
    """The actor as Datasette will see it (its router resolves it after this wrapper)."""
    for actor in pm.hook.actor_from_request(datasette=datasette, request=request):
        actor = await await_me_maybe(actor)
        if actor:
            return actor
    return request.scope.get("actor")


def _with_headers(send: Any, scope: dict) -> Any:
    path = scope.get("path", "")

    async def send_with_headers(event: dict) -> None:
        if event["type"] == "http.response.start":
            drop = {b"content-security-policy", b"x-content-type-options",
                    b"x-frame-options", b"referrer-policy", b"x-robots-tag"}
            headers = [(k, v) for k, v in event.get("headers", []) if k.lower() not in drop]
            headers += [
                (b"content-security-policy", content_security_policy(path).encode()),
                (b"x-content-type-options", b"nosniff"),
                (b"x-frame-options", b"DENY"),
                (b"referrer-policy", b"no-referrer"),
                (b"x-robots-tag", b"noindex, nofollow, noarchive"),
            ]
            event = {**event, "headers": headers}
        await send(event)

    return send_with_headers


# --- views ------------------------------------------------------------------


def _page_number(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 10_000))
    except ValueError:
        return 1


async def search_view(datasette: Any, request: Any) -> Response:
    db_name, db = await _archive_db(datasette, request)
    q = request.args.get("q", "")[:500]
    raw = request.args.get("raw") == "1"
    filters = {k: request.args.get(k, "") for k in ("blog", "author", "year", "kind")}
    include_comments = await datasette.permission_allowed(
        request.actor, "view-table", (db_name, "comments"), default=True)
    results = await data.search(db, q, filters, page=_page_number(request.args.get("page")),
                                raw=raw, include_comments=include_comments)
    base = {"q": q, **({"raw": "1"} if raw else {}), **_db_params(datasette, db_name),
            **results.filters}

    def link(**changes: Any) -> str:
        params = {**base, **changes}
        params = {k: v for k, v in params.items() if v not in (None, "")}
        return datasette.urls.path(SEARCH_PATH) + "?" + urlencode(params)

    for hit in results.hits:
        anchor = None
        if hit["comment_id"] is not None:
            anchor = data.comment_anchor({"id": hit["comment_id"], "wp_id": hit["comment_wp_id"]})
        hit["href"] = post_url(datasette, db_name, hit["post_id"], anchor)
    facets = []
    for name, title in (("kind", "Kind"), ("blog", "Blog"), ("author", "Author"),
                        ("year", "Year")):
        values = results.facets.get(name, [])
        selected = results.filters.get(name)
        if not values and not selected:
            continue
        facets.append({
            "name": name,
            "title": title,
            "selected": selected,
            "clear": link(**{name: None, "page": None}),
            "values": [
                {"label": v["label"] if v["label"] is not None else v["value"],
                 "count": v["n"],
                 "selected": selected is not None and str(v["value"]) == str(selected),
                 "href": link(**{name: v["value"], "page": None})}
                for v in values
            ],
        })
    context = {
        "database": db_name,
        "q": q,
        "raw": raw,
        "results": results,
        "facets": facets,
        "hidden_filters": {k: v for k, v in {**results.filters,
                                              **_db_params(datasette, db_name)}.items()},
        "previous_page": link(page=results.page - 1) if results.page > 1 else None,
        "next_page": link(page=results.page + 1) if results.page < results.pages else None,
        "include_comments": include_comments,
        "rank_limit": data.RANK_LIMIT,
    }
    return Response.html(await datasette.render_template(
        "reading_room_search.html", context, request=request, view_name="reading_room_search"))


async def post_view(datasette: Any, request: Any) -> Response:
    db_name, db = await _archive_db(datasette, request)
    post_id = request.args.get("id")
    if not post_id:
        raise NotFound("Which post? Give its id: /-/post?id=…")
    include_comments = await datasette.permission_allowed(
        request.actor, "view-table", (db_name, "comments"), default=True)
    page = await data.load_post(db, post_id, include_comments=include_comments)
    if page is None:
        raise NotFound(f"No post with id {post_id} in {db_name}")
    post = page.post
    base_url = safe_url(post.get("url"))
    body = clean_html(post.get("body_html"), base_url) or text_to_html(post.get("body_text"))
    image_src = None
    if page.media and page.media.get("local_path"):
        image_src = datasette.urls.path(MEDIA_PATH + "?" + urlencode(
            {"id": page.media["id"], **_db_params(datasette, db_name)}))
    elif post.get("featured_image_url") and post["featured_image_url"] not in (
        post.get("body_html") or ""
    ):  # themes show the featured image above the body; don't repeat one the body has
        image_src = safe_url(post["featured_image_url"])
    blog_posts_url = (datasette.urls.table(db_name, "posts") + "?"
                      + urlencode({"blog_id": post["blog_id"], "_sort_desc": "published"}))
    context = {
        "database": db_name,
        "page": page,
        "post": post,
        "body": Markup(body),
        "base_url": base_url,
        "image_src": image_src,
        "image_alt": (page.media or {}).get("alt") or "",
        "blog_posts_url": blog_posts_url,
        "row_url": datasette.urls.row(db_name, "posts", _tilde(post["id"])),
        "credits_url": datasette.urls.table(db_name, "credits"),
        "version_url": lambda v: datasette.urls.row(
            db_name, "post_versions", f"{_tilde(v['post_id'])},{_tilde(v['content_hash'])}"),
        "term_url": lambda term_id: datasette.urls.row(db_name, "terms", _tilde(term_id)),
        "post_link": lambda other_id: post_url(datasette, db_name, other_id),
        "comments_url": datasette.urls.table(db_name, "comments") + "?"
                        + urlencode({"post_id": post["id"]}),
        "include_comments": include_comments,
    }
    return Response.html(await datasette.render_template(
        "reading_room_post.html", context, request=request, view_name="reading_room_post"))


def _tilde(value: str) -> str:
    from datasette.utils import tilde_encode

    return tilde_encode(value)


async def media_view(datasette: Any, request: Any) -> Response:
    """An archived image file (media.local_path), when the crawl downloaded it."""
    _, db = await _archive_db(datasette, request)
    rows = await db.execute("select local_path, mime_type from media where id = :id",
                            {"id": request.args.get("id", "")})
    if not rows.rows or not rows.first()["local_path"] or db.path is None:
        raise NotFound("No archived copy of this image")
    local_path, mime_type = rows.first()["local_path"], rows.first()["mime_type"]
    root = Path(db.path).resolve().parent
    path = (root / local_path).resolve()
    mime_type = mime_type or mimetypes.guess_type(path.name)[0]
    # Only files under the archive's folder, and only raster images (never SVG or HTML).
    if not path.is_relative_to(root) or not path.is_file() or mime_type not in LOCAL_IMAGE_TYPES:
        raise NotFound("No archived copy of this image")
    return Response(path.read_bytes(), content_type=mime_type,
                    headers={"cache-control": "max-age=86400"})


async def static_view(request: Any) -> Response:
    name = request.url_vars["name"]
    path = STATIC_DIR / name
    if not path.is_file():
        raise NotFound("No such file")
    content_type = "text/css" if name.endswith(".css") else "text/javascript"
    return Response(path.read_text(), content_type=f"{content_type}; charset=utf-8",
                    headers={"cache-control": "max-age=3600"})
