"""The reading room's pages: the archive-wide search, a post as its blog showed it, the
archived copy of an image, and the plugin's own CSS and JavaScript."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from datasette.utils import tilde_encode
from datasette.utils.asgi import NotFound, Request, Response
from markupsafe import Markup

from scraper.reading_room import data
from scraper.reading_room.archives import archive_databases, find_archives
from scraper.reading_room.images import image_sources, localize_images, placeholder
from scraper.reading_room.reviews import load_work, stars
from scraper.reading_room.sanitize import clean_html, safe_url, text_to_html
from scraper.reading_room.urls import (
    MEDIA_PATH,
    SEARCH_PATH,
    database_params,
    post_url,
    work_url,
)

if TYPE_CHECKING:  # datasette.app loads the plugins: importing it here would be circular
    from datasette.app import Datasette
    from datasette.database import Database

STATIC_DIR = Path(__file__).parent / "static"
LOCAL_IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp",
                               "image/avif", "image/bmp"})
MAX_PAGE = 10_000
FACETS = (("kind", "Kind"), ("blog", "Blog"), ("author", "Author"), ("year", "Year"))


async def search_view(datasette: Datasette, request: Request) -> Response:
    """``/-/search?q=…``: posts and comments matching the words, ranked, with facets."""
    db_name, db = await _archive_database(datasette, request)
    q = request.args.get("q", "")[:500]
    raw = request.args.get("raw") == "1"
    filters = {k: request.args.get(k, "") for k in ("blog", "author", "year", "kind")}
    include_comments = await _may_see_comments(datasette, request, db_name)
    results = await data.search(db, q, filters, page=page_number(request.args.get("page")),
                                raw=raw, include_comments=include_comments)
    base = {"q": q, **({"raw": "1"} if raw else {}), **database_params(datasette, db_name),
            **results.filters}

    def link(**changes: Any) -> str:
        params = {k: v for k, v in {**base, **changes}.items() if v not in (None, "")}
        search_path: str = datasette.urls.path(SEARCH_PATH)
        return search_path + "?" + urlencode(params)

    for hit in results.hits:
        hit["href"] = post_url(datasette, db_name, hit["post_id"], _hit_anchor(hit))
    context = {
        "database": db_name,
        "q": q,
        "raw": raw,
        "results": results,
        "facets": _facets(results, link),
        "hidden_filters": {**results.filters, **database_params(datasette, db_name)},
        "previous_page": link(page=results.page - 1) if results.page > 1 else None,
        "next_page": link(page=results.page + 1) if results.page < results.pages else None,
        "include_comments": include_comments,
        "rank_limit": data.RANK_LIMIT,
    }
    return Response.html(await datasette.render_template(
        "reading_room_search.html", context, request=request, view_name="reading_room_search"))


def _hit_anchor(hit: dict[str, Any]) -> str | None:
    """A comment's anchor in its post's thread; None for a post."""
    if hit["comment_id"] is None:
        return None
    return data.comment_anchor({"id": hit["comment_id"], "wp_id": hit["comment_wp_id"]})


def _facets(results: data.SearchResults, link: Callable[..., str]) -> list[dict[str, Any]]:
    """The facets to show, each value linking to the search narrowed to it."""
    facets = []
    for name, title in FACETS:
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
    return facets


async def post_view(datasette: Datasette, request: Request) -> Response:
    """``/-/post?id=…``: a post with its image, credits and terms, then its comments."""
    db_name, db = await _archive_database(datasette, request)
    post_id = request.args.get("id")
    if not post_id:
        raise NotFound("Which post? Give its id: /-/post?id=…")
    include_comments = await _may_see_comments(datasette, request, db_name)
    page = await data.load_post(db, post_id, include_comments=include_comments)
    if page is None:
        raise NotFound(f"No post with id {post_id} in {db_name}")
    post = page.post
    base_url = safe_url(post.get("url"))
    body = clean_html(post.get("body_html"), base_url) or text_to_html(post.get("body_text"))
    comments = [*data.walk_thread(page.thread), *page.pingbacks]
    comment_html = {comment["id"]: clean_html(comment["html"],
                                              safe_url(comment.get("url")) or base_url)
                    for comment in comments if comment.get("html")}
    archived = await _archived_image_urls(
        datasette, db_name, db, image_sources(body).union(*map(image_sources,
                                                               comment_html.values())))
    for comment in comments:
        if comment["id"] in comment_html:
            comment["html_clean"] = Markup(localize_images(comment_html[comment["id"]],
                                                           archived))
    context = {
        "database": db_name,
        "page": page,
        "post": post,
        "body": Markup(localize_images(body, archived)),
        "base_url": base_url,
        "image_src": _featured_image_src(datasette, db_name, page),
        "image_missing": _featured_image_missing(page),
        "image_alt": (page.media or {}).get("alt") or "",
        "blog_posts_url": datasette.urls.table(db_name, "posts") + "?"
                          + urlencode({"blog_id": post["blog_id"], "_sort_desc": "published"}),
        "row_url": datasette.urls.row(db_name, "posts", tilde_encode(post["id"])),
        "credits_url": datasette.urls.table(db_name, "credits"),
        "version_url": lambda v: datasette.urls.row(
            db_name, "post_versions",
            f"{tilde_encode(v['post_id'])},{tilde_encode(v['content_hash'])}"),
        "term_url": lambda term_id: datasette.urls.row(db_name, "terms", tilde_encode(term_id)),
        "post_link": lambda other_id: post_url(datasette, db_name, other_id),
        "comments_url": datasette.urls.table(db_name, "comments") + "?"
                        + urlencode({"post_id": post["id"]}),
        "include_comments": include_comments,
        "work_link": lambda work_id: work_url(datasette, db_name, work_id),
        "stars": stars,
    }
    return Response.html(await datasette.render_template(
        "reading_room_post.html", context, request=request, view_name="reading_room_post"))


async def work_view(datasette: Datasette, request: Request) -> Response:
    """``/-/work?id=…``: a reviewed work and every archived review of it, best-rated first."""
    db_name, db = await _archive_database(datasette, request)
    work_id = request.args.get("id")
    if not work_id:
        raise NotFound("Which work? Give its id: /-/work?id=film/her/2013")
    page = await load_work(db, work_id)
    if page is None:
        raise NotFound(f"No reviewed work {work_id} in {db_name}")
    context = {
        "database": db_name,
        "page": page,
        "work": page.work,
        "image_src": await _archived_work_image(datasette, db_name, db, page.work),
        "post_link": lambda other_id: post_url(datasette, db_name, other_id),
        "stars": stars,
        "works_url": datasette.urls.table(db_name, "works"),
    }
    return Response.html(await datasette.render_template(
        "reading_room_work.html", context, request=request, view_name="reading_room_work"))


async def _archived_work_image(datasette: Datasette, db_name: str, db: Database,
                               work: data.Row) -> str | None:
    """The archived copy of the work's poster or cover, if the crawl downloaded it."""
    url = work.get("image_url")
    if not url or not await data.archived_copies(db, [url]):
        return None
    return media_url(datasette, db_name, url)


def _featured_image_src(datasette: Datasette, db_name: str, page: data.PostPage) -> str | None:
    """The archived copy of the featured image, if the crawl downloaded it."""
    if page.media and page.media.get("local_path"):
        return media_url(datasette, db_name, page.media["id"])
    return None


def _featured_image_missing(page: data.PostPage) -> Markup | None:
    """The placeholder for a featured image the archive has no copy of (unless the body
    shows that image: themes show it above the body, and the body's has its own)."""
    if page.media and page.media.get("local_path"):
        return None
    featured = page.post.get("featured_image_url")
    if not featured or featured in (page.post.get("body_html") or ""):
        return None
    return Markup(placeholder(featured, (page.media or {}).get("alt") or ""))


def media_url(datasette: Datasette, db_name: str, media_id: str) -> str:
    """The reading room's address of an archived image."""
    path: str = datasette.urls.path(MEDIA_PATH + "?" + urlencode(
        {"id": media_id, **database_params(datasette, db_name)}))
    return path


async def _archived_image_urls(datasette: Datasette, db_name: str, db: Database,
                               sources: set[str]) -> dict[str, str]:
    """Image address → the reading room's URL of its archived copy, for those archived."""
    return {url: media_url(datasette, db_name, url)
            for url in await data.archived_copies(db, sources)}


async def media_view(datasette: Datasette, request: Request) -> Response:
    """An archived image file (media.local_path), when the crawl downloaded it."""
    _, db = await _archive_database(datasette, request)
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


async def static_view(request: Request) -> Response:
    """The plugin's CSS and JavaScript (the route admits only such names)."""
    name = request.url_vars["name"]
    path = STATIC_DIR / name
    if not path.is_file():
        raise NotFound("No such file")
    content_type = "text/css" if name.endswith(".css") else "text/javascript"
    return Response(path.read_text(), content_type=f"{content_type}; charset=utf-8",
                    headers={"cache-control": "max-age=3600"})


ROUTES = [
    (r"^/-/search$", search_view),
    (r"^/-/post$", post_view),
    (r"^/-/work$", work_view),
    (r"^/-/reading-room/media$", media_view),
    (r"^/-/reading-room/static/(?P<name>[a-z0-9][a-z0-9_.-]*\.(?:css|js))$", static_view),
]


async def _archive_database(datasette: Datasette, request: Request) -> tuple[str, Database]:
    """The archive a page asks for (``?db=``, else the first), if the reader may see it."""
    names = archive_databases(datasette) or await find_archives(datasette)
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


async def _may_see_comments(datasette: Datasette, request: Request, db_name: str) -> bool:
    return bool(await datasette.permission_allowed(
        request.actor, "view-table", (db_name, "comments"), default=True))


def page_number(value: str | None) -> int:
    """The page asked for, between 1 and MAX_PAGE whatever the argument says."""
    try:
        return max(1, min(int(value or 1), MAX_PAGE))
    except ValueError:
        return 1
