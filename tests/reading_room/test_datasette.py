"""The archive served by Datasette with datasette_meta.json and the reading-room plugin,
through Datasette's own test client (no server, no browser)."""

from __future__ import annotations

import base64
import copy
import hashlib
import re
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from datasette.app import Datasette

from scraper import serve
from scraper.reading_room.urls import POST_PATH

LONG_NIGHT = "posters.example/?p=101"
PAYLOADS = "posters.example/?p=102"


def make_datasette(run: Callable, path: Path, meta: dict[str, Any]) -> Datasette:
    # Datasette adds plugin canned queries into the metadata dict it is given: one copy each
    ds = Datasette(files=[str(path)], metadata=copy.deepcopy(meta))
    run(ds.invoke_startup())
    return ds


@pytest.fixture(scope="module")
def ds(archive_path: Path, meta: dict[str, Any], event_loop_runner: Callable) -> Datasette:
    return make_datasette(event_loop_runner, archive_path, meta)


@pytest.fixture(scope="module")
def get(ds: Datasette, event_loop_runner: Callable) -> Callable[..., Any]:
    def get(path: str, **kwargs: Any) -> Any:
        return event_loop_runner(ds.client.get(path, **kwargs))

    return get


def post_page(get: Callable, post_id: str) -> Any:
    return get(f"{POST_PATH}?id={quote(post_id, safe='')}")


# --- tables and metadata ------------------------------------------------------


def test_archive_tables_are_served_with_fts_shadow_tables_and_schema_meta_hidden(get) -> None:
    data = get("/archive.json").json()
    visible = {t["name"] for t in data["tables"] if not t["hidden"]}
    hidden = {t["name"] for t in data["tables"] if t["hidden"]}
    assert {"posts", "comments", "credits", "blogs", "authors", "terms", "post_terms",
            "media", "post_media", "crawls", "fetch_errors"} <= visible
    assert {"schema_meta", "posts_fts", "comments_fts", "posts_fts_data"} <= hidden
    rows = get("/archive/posts.json?_shape=array").json()
    assert {r["title"] for r in rows} >= {"The poster for The Long Night",
                                           "Why poster credits matter"}


def test_metadata_describes_tables_sets_facets_sort_and_labels(get) -> None:
    page = get("/archive/posts")
    assert "Click a title to read the post as its blog showed it" in page.text
    data = get("/archive/posts.json").json()
    assert set(data["facet_results"]) >= {"blog_id", "author_id", "year"}
    assert "sorted by published descending" in page.text
    comments = get("/archive/comments.json?_labels=on&_shape=array").json()
    labelled = next(c for c in comments if c["id"] == "posters.example/#comment-201")
    assert labelled["post_id"]["label"] == "The poster for The Long Night"
    terms = get("/archive/post_terms.json?_labels=on&_shape=array").json()
    assert {t["term_id"]["label"] for t in terms} >= {"Film posters", "noir"}


def test_post_titles_in_the_table_link_to_the_reading_view(get) -> None:
    html = get("/archive/posts").text
    assert f'href="{POST_PATH}?id={quote(LONG_NIGHT, safe="")}"' in html
    row = get("/archive/posts/posters~2Eexample~2F~3Fp~3D101").text
    assert "Read this post as its blog showed it" in row


def test_table_search_uses_the_fts_tables(get) -> None:
    rows = get("/archive/comments.json?_search=zeppelinesque&_shape=array").json()
    assert [r["id"] for r in rows] == ["posters.example/#comment-201"]
    rows = get("/archive/posts.json?_search=streetlamp&_shape=array").json()
    assert [r["id"] for r in rows] == [LONG_NIGHT]


# --- the search page --------------------------------------------------------------


def test_search_finds_a_comment_by_a_word_and_links_to_it_in_its_thread(get) -> None:
    response = get("/-/search?q=zeppelinesque")
    assert response.status_code == 200
    assert "<mark>zeppelinesque</mark>" in response.text
    assert "Marguerite Duras" in response.text
    assert f'href="{POST_PATH}?id={quote(LONG_NIGHT, safe="")}#comment-201"' in response.text


def test_search_covers_posts_and_comments_ranked_with_facets(get) -> None:
    html = get("/-/search?q=Lovelace").text
    assert html.count('class="rr-hit rr-hit-post"') == 2
    assert 'data-facet="blog"' in html and 'data-facet="year"' in html
    narrowed = get("/-/search?q=Lovelace&blog=reel.example").text
    assert narrowed.count('class="rr-hit rr-hit-post"') == 1
    assert "Why poster credits matter" in narrowed
    comments_only = get("/-/search?q=sky&kind=comment").text
    assert 'rr-hit-post"' not in comments_only
    assert comments_only.count('class="rr-hit rr-hit-comment"') == 3


def test_search_of_a_very_common_word_shows_the_latest_matches_and_says_so(
    get, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scraper.reading_room import data

    ranked = get("/-/search?q=sky&kind=comment").text
    assert "too many to rank" not in ranked
    monkeypatch.setattr(data, "RANK_LIMIT", 1)
    html = get("/-/search?q=sky").text
    assert "More than 1 posts and comments match" in html and "too many to rank" in html
    assert html.count("<mark>sky</mark>") >= 3
    assert 'data-facet="kind"' in html
    monkeypatch.setattr(data, "WINDOW", 1)
    windowed = get("/-/search?q=sky&kind=comment").text
    assert windowed.count('class="rr-hit rr-hit-comment"') == 1


def test_search_escapes_what_it_finds_and_survives_bad_fts_syntax(get) -> None:
    html = get("/-/search?q=xssword").text
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert "<script>window" not in html
    raw = get("/-/search?raw=1&q=" + quote('"unbalanced AND'))
    assert raw.status_code == 200 and "could not run" in raw.text
    assert get("/-/search?q=" + quote('a-b "c" *:')).status_code == 200
    assert "Search the archive" in get("/-/search").text


# --- the post page ------------------------------------------------------------------


def test_post_page_shows_the_post_credits_terms_and_nested_thread(get) -> None:
    response = post_page(get, LONG_NIGHT)
    assert response.status_code == 200
    html = response.text
    assert '<h1 class="rr-title">The poster for The Long Night</h1>' in html
    assert "4 March 2021, 10:00 UTC" in html and "Iris Vale" in html
    assert "Poster designed by Ada Lovelace" in html and 'href="https://ada.example/"' in html
    assert "Film posters" in html and "#noir" in html
    assert "<em>The Long Night</em>" in html
    # relative links in the body resolve against the post, links are nofollow
    assert 'href="https://posters.example/2021/02/earlier-post/"' in html
    assert 'rel="nofollow noopener noreferrer"' in html
    # the thread: 203 inside 202 inside 201; 206 (comment page 2) also under 201
    thread = html[html.index('<ol class="rr-thread">'):html.index("rr-pingbacks")]
    order = [m.group(1) for m in re.finditer(r'id="comment-(\d+)" data-depth="\d"', thread)]
    assert order == ["201", "202", "203", "206", "204"]
    for n, depth in (("201", 1), ("202", 2), ("203", 3), ("206", 2), ("204", 1)):
        assert f'id="comment-{n}" data-depth="{depth}"' in thread
    assert thread.count('<ol class="rr-thread rr-replies">') == 2  # under 201 and under 202
    assert "comment-205" not in thread  # the pingback is shown apart
    assert 'id="comment-205"' in html and "Film Log" in html
    # commenters link to http(s) sites only; comment dates link to the original comment
    assert 'href="https://marguerite.example/"' in html
    assert "ftp://dora.example" not in html.replace("&#34;", "")
    assert 'href="https://posters.example/2021/03/the-long-night/#comment-201"' in html
    # links to the original post and the blog's other posts
    assert 'class="rr-original" href="https://posters.example/2021/03/the-long-night/"' in html
    assert "/archive/posts?blog_id=posters.example&amp;_sort_desc=published" in html
    assert f'href="{POST_PATH}?id={quote(PAYLOADS, safe="")}"' in html


def test_post_page_renders_payloads_as_text_and_strips_them_from_html(get) -> None:
    html = post_page(get, PAYLOADS).text
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;Payloads &amp; &#34;quotes&#34;" in html
    assert "<title>&lt;script&gt;" in html
    body = html[html.index('<div class="rr-body">'):html.index('<div class="rr-provenance">')]
    assert "Safe words survive: payloadword." in body
    for bad in ("<script", "onerror", "onload", "onmouseover", "<svg", "<iframe", "javascript:",
                "<base", "<meta", "<math"):
        assert bad not in body.lower()
    comments = html[html.index('id="comments"'):html.index('class="ft"')]
    for bad in ("<script", "<img src=x", "<svg", "<iframe", "<form", "<style", "<object",
                "<embed", 'href="javascript', 'href="  javascript'):
        assert bad not in comments.lower()
    assert re.search(r"<[a-z][^>]*\son[a-z]+\s*=", comments, flags=re.I) is None
    assert "&#34;&gt;&lt;script&gt;window.__xss=1&lt;/script&gt;Mallory" in comments
    # javascript: author and credit URLs are shown as names, not links
    assert '<span class="rr-person">&lt;img src=x onerror=window.__xss=1&gt;Mallory</span>' in html
    assert "javascript:" not in html.lower().replace("window.__xss", "")


def test_unknown_or_missing_post_is_not_found(get) -> None:
    assert post_page(get, "nope.example/?p=1").status_code == 404
    assert get(POST_PATH).status_code == 404
    assert get(f"{POST_PATH}?id=x&db=not-an-archive").status_code == 404


# --- canned queries -------------------------------------------------------------------


def test_canned_queries_answer_archivists_questions(get) -> None:
    def rows(path: str) -> list[dict[str, Any]]:
        response = get(path)
        assert response.status_code == 200, response.text
        return response.json()

    top = rows("/archive/most_discussed.json?_shape=array")
    assert top[0]["post_id"] == LONG_NIGHT and top[0]["comments"] == 5
    credits = rows("/archive/credits_for_name.json?_shape=array&name=" + quote("Ada Lovelace"))
    assert {c["blog"] for c in credits} == {"Poster Notes", "Second Reel"}
    history = rows("/archive/commenter_history.json?_shape=array&author="
                   + quote("marguerite duras"))
    assert [h["blog"] for h in history] == ["Second Reel", "Poster Notes"]
    months = rows("/archive/posts_per_month.json?_shape=array")
    assert {"blog_id": "posters.example", "month": "2021-03", "posts": 1} in [
        {k: m[k] for k in ("blog_id", "month", "posts")} for m in months]
    assert get("/archive/changed_posts.json").status_code == 200
    errors = rows("/archive/latest_crawl_errors.json?_shape=array")
    assert {e["url"] for e in errors} == {"https://posters.example/2021/05/gone/",
                                          "https://reel.example/2021/01/slow/"}
    assert get("/archive/most_discussed").status_code == 200
    assert f'href="{POST_PATH}?id={quote(LONG_NIGHT, safe="")}"' in get(
        "/archive/most_discussed").text


def test_changed_posts_compares_post_versions(
    archive_path: Path, meta: dict[str, Any], event_loop_runner: Callable, tmp_path: Path
) -> None:
    archive = tmp_path / "archive.db"
    shutil.copy(archive_path, archive)
    with sqlite3.connect(archive) as conn:
        conn.execute("create table if not exists post_versions (post_id text, content_hash text,"
                     " title text, modified text, first_seen text, last_seen text, crawl_id text)")
        conn.execute("delete from post_versions")
        conn.executemany(
            "insert into post_versions (post_id, content_hash, title, first_seen, last_seen)"
            " values (?, ?, ?, ?, ?)",
            [(PAYLOADS, "a", "Old title", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z"),
             (PAYLOADS, "b", "New title", "2024-03-01T00:00:00Z", "2024-03-01T00:00:00Z"),
             (LONG_NIGHT, "a", "Same", "2024-01-01T00:00:00Z", "2024-03-01T00:00:00Z")])
    ds = make_datasette(event_loop_runner, archive, meta)
    response = event_loop_runner(ds.client.get("/archive/changed_posts.json?_shape=array"))
    assert response.status_code == 200
    assert [(r["post_id"], r["versions"]) for r in response.json()] == [(PAYLOADS, 2)]
    html = event_loop_runner(ds.client.get(post_page_path(PAYLOADS))).text
    assert "The archive holds 2 versions of this post" in html
    assert "Old title" in html and "/archive/post_versions/" in html


def test_changed_posts_falls_back_to_the_blogs_modified_dates_without_post_versions(
    archive_path: Path, meta: dict[str, Any], event_loop_runner: Callable, tmp_path: Path
) -> None:
    archive = tmp_path / "archive.db"
    shutil.copy(archive_path, archive)
    with sqlite3.connect(archive) as conn:
        conn.execute("drop table if exists post_versions")
    ds = make_datasette(event_loop_runner, archive, meta)
    response = event_loop_runner(ds.client.get("/archive/changed_posts.json?_shape=array"))
    assert response.status_code == 200, response.text
    assert [r["post_id"] for r in response.json()] == [LONG_NIGHT]
    assert event_loop_runner(ds.client.get(post_page_path(LONG_NIGHT))).status_code == 200


def test_archive_metadata_applies_to_an_archive_with_another_file_name(
    archive_path: Path, meta: dict[str, Any], event_loop_runner: Callable, tmp_path: Path
) -> None:
    films = tmp_path / "films.db"
    shutil.copy(archive_path, films)
    ds = make_datasette(event_loop_runner, films, meta)
    get_ = lambda path: event_loop_runner(ds.client.get(path))  # noqa: E731
    assert "Click a title to read the post" in get_("/films/posts").text
    assert get_("/films/most_discussed.json?_shape=array").json()[0]["post_id"] == LONG_NIGHT
    assert get_("/-/search?q=zeppelinesque").text.count("rr-hit-comment") == 1
    assert post_page(get_, LONG_NIGHT).status_code == 200


# --- read-only, robots, CSP ------------------------------------------------------------


def test_robots_txt_disallows_everything(get) -> None:
    response = get("/robots.txt")
    assert response.status_code == 200
    assert "User-agent: *" in response.text and "Disallow: /" in response.text
    assert "noindex" in get("/").headers["x-robots-tag"]
    assert '<meta name="robots" content="noindex' in get("/").text


def test_every_page_has_a_csp_that_forbids_inline_script(get) -> None:
    for path in ("/", "/archive", "/archive/posts", "/-/search?q=sky", f"{POST_PATH}?id=x",
                 "/-/versions.json"):
        csp = get(path).headers["content-security-policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["script-src"].startswith("'self'"), path
        assert "unsafe-inline" not in directives["script-src"], path
        assert "unsafe-eval" not in directives["script-src"], path
        assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    plugin_csp = get("/-/search?q=sky").headers["content-security-policy"]
    assert "script-src 'self';" in plugin_csp


def test_datasette_inline_scripts_are_only_the_ones_the_csp_allows_by_hash(get) -> None:
    for path in ("/", "/archive", "/archive/posts", "/archive/comments?_facet=type",
                 "/archive/posts/posters~2Eexample~2F~3Fp~3D102", "/archive?sql=select+1",
                 "/archive/most_discussed", "/-/search?q=sky", post_page_path(PAYLOADS)):
        response = get(path)
        csp = response.headers["content-security-policy"]
        for script in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", response.text,
                                 flags=re.S):
            digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in csp, (path, script)


def post_page_path(post_id: str) -> str:
    return f"{POST_PATH}?id={quote(post_id, safe='')}"


def test_nothing_can_write(ds: Datasette, event_loop_runner: Callable) -> None:
    run = event_loop_runner
    for path, body in (
        ("/archive/posts/-/insert", {"row": {"id": "x"}}),
        ("/archive/-/create", {"table": "t", "row": {"id": 1}}),
        ("/archive/posts/posters~2Eexample~2F~3Fp~3D101/-/delete", {}),
        ("/archive/posts/-/drop", {}),
        ("/-/search", {}),
    ):
        response = run(ds.client.post(path, json=body))
        assert response.status_code == 405, path
        assert "read-only" in response.text
    for action in ("insert-row", "update-row", "delete-row", "create-table", "drop-table",
                   "alter-table"):
        allowed = run(ds.permission_allowed({"id": "root"}, action, ("archive", "posts")))
        assert allowed is False, action
    rows = run(ds.client.get("/archive/posts.json?_shape=array")).json()
    assert len(rows) == 3


def test_archived_image_copy_is_served_only_from_the_archive_folder(
    archive_path: Path, meta: dict[str, Any], event_loop_runner: Callable, tmp_path: Path
) -> None:
    archive = tmp_path / "archive.db"
    shutil.copy(archive_path, archive)
    (tmp_path / "media").mkdir()
    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
                           "/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg==")
    (tmp_path / "media" / "long-night.png").write_bytes(png)
    (tmp_path / "media" / "x.svg").write_text("<svg onload='window.__xss=1'></svg>")
    (tmp_path.parent / "secret.png").write_bytes(png)
    featured = "https://posters.example/wp-content/uploads/long-night.jpg"
    with sqlite3.connect(archive) as conn:
        conn.execute("update media set local_path = 'media/long-night.png',"
                     " mime_type = 'image/png' where id = ?", [featured])
        conn.execute("update posts set body_html = '<p>no images</p>'")
        conn.execute("insert into media (id, local_path, mime_type) values"
                     " ('escape', '../secret.png', 'image/png'),"
                     " ('svg', 'media/x.svg', 'image/svg+xml')")
    ds = make_datasette(event_loop_runner, archive, meta)
    run = event_loop_runner
    html = run(ds.client.get(post_page_path(LONG_NIGHT))).text
    media_url = "/-/reading-room/media?id=" + quote(featured, safe="")
    assert f'src="{media_url}"' in html
    response = run(ds.client.get(media_url))
    assert response.status_code == 200 and response.content == png
    assert response.headers["content-type"] == "image/png"
    assert run(ds.client.get("/-/reading-room/media?id=escape")).status_code == 404
    assert run(ds.client.get("/-/reading-room/media?id=svg")).status_code == 404


# --- serve.py ------------------------------------------------------------------------------


def test_datasette_args_open_a_finished_archive_immutable_with_the_repo_metadata() -> None:
    args = serve.datasette_args("films.db", port=8123)
    assert args[1:4] == ["-m", "datasette", "serve"]
    assert args[args.index("-i") + 1] == "films.db"
    metadata = Path(args[args.index("--metadata") + 1])
    assert metadata.is_absolute() and metadata.name == "datasette_meta.json" and metadata.is_file()
    assert args[args.index("--host") + 1] == "127.0.0.1"
    assert args[args.index("--port") + 1] == "8123"
    settings = [tuple(args[i + 1:i + 3]) for i, a in enumerate(args) if a == "--setting"]
    assert ("suggest_facets", "off") in settings  # seconds per ?_search= page at scale


def test_datasette_args_open_a_live_archive_plain() -> None:
    args = serve.datasette_args("archive.db", host="127.0.0.1", port=9000, immutable=False)
    assert "-i" not in args and "archive.db" in args


def test_missing_metadata_file_is_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    monkeypatch.setattr(serve, "METADATA_PATH", tmp_path / "datasette_meta.json")
    with pytest.raises(serve.ServeError, match=r"datasette_meta\.json not found"):
        serve.datasette_args("archive.db")


def test_checkpoint_folds_a_leftover_wal_into_the_archive(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    writer = sqlite3.connect(path)
    writer.execute("pragma journal_mode=wal")
    writer.execute("create table t (x)")
    writer.execute("insert into t values (1)")
    writer.commit()
    assert Path(f"{path}-wal").stat().st_size > 0
    assert serve.checkpoint_wal(path)
    assert Path(f"{path}-wal").stat().st_size == 0
    writer.close()
    immutable = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    assert immutable.execute("select x from t").fetchall() == [(1,)]
