"""A fault-injection HTTP server: a small WordPress-like blog on 127.0.0.1 that misbehaves
on chosen URLs.

    with FaultServer() as server:
        server.add_post("/2021/01/02/ok/", 21, "Plain Post")
        server.fault("/2021/01/02/ok/", burst(500, times=2))   # 500, 500, then the page
        server.home(posts=["/2021/01/02/ok/"])
        ... crawl server.url ...
        server.heal("/2021/01/02/ok/")                          # healthy from now on

Every request is logged (time, path, status or fault) in ``server.log``.  Faults are
functions ``(handler, nth_request_of_this_path) -> bool``: True when they answered,
False to fall through to the normal page.  Nothing here holds big bodies in memory:
the 50 MB page and the gzip bomb are streamed in chunks.
"""

from __future__ import annotations

import http.server
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import formatdate
from html import escape
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURE_SITE = REPO / "tests" / "fixtures" / "site"
POSTER = REPO / "tests" / "fixtures" / "media" / "poster.png"

Fault = Callable[["FaultHandler", int], bool]

# The page furniture of tests/fixtures/site (a Twenty Twenty-One WordPress blog).
_HEAD = """<!doctype html>
<html lang="en-US">
<head>
{charset_meta}<title>{title}</title>
<meta name="generator" content="WordPress 6.1.9">
<link rel="https://api.w.org/" href="/wp-json/">
<link rel="alternate" type="application/rss+xml" title="Faulty Notes &raquo; Feed" href="/feed/">
{extra_head}<link rel="stylesheet" href="/wp-content/themes/twentytwentyone/style.css">
</head>
"""
_MASTHEAD = """<div id="page" class="site">
<header id="masthead" class="site-header">
<p class="site-title"><a href="/" rel="home">Faulty Notes</a></p>
<nav><a href="/?s=film">Search</a> <a href="/wp-login.php">Log in</a>
<a href="/?m=202101">January 2021</a></nav>
</header>
<main id="main" class="site-main">
"""
_FOOT = """</main>
<footer class="site-footer"><a href="/feed/">RSS</a></footer>
</div>
</body>
</html>
"""


def post_html(wp_id: int, title: str, body: str, *, charset_meta: str | None = "UTF-8",
              published: str = "2021-01-02T10:00:00+00:00", canonical: str | None = None,
              extra_body: str = "") -> str:
    """A single-post page in the markup of tests/fixtures/site (body is HTML)."""
    extra_head = f'<link rel="shortlink" href="/?p={wp_id}">\n'
    if canonical:
        extra_head = f'<link rel="canonical" href="{canonical}">\n' + extra_head
    meta = f'<meta charset="{charset_meta}">\n' if charset_meta else ""
    return (
        _HEAD.format(charset_meta=meta, title=escape(title), extra_head=extra_head)
        + f'<body class="post-template-default single single-post postid-{wp_id} '
        'single-format-standard">\n'
        + _MASTHEAD
        + f'<article id="post-{wp_id}" class="post-{wp_id} post type-post status-publish '
        'format-standard hentry category-reviews entry">\n'
        f'<header class="entry-header alignwide"><h1 class="entry-title">{escape(title)}</h1>'
        "</header>\n"
        f'<div class="entry-content">\n{body}\n</div>\n'
        '<footer class="entry-footer default-max-width"><div class="posted-by">'
        '<span class="posted-on">Published <time class="entry-date published updated" '
        f'datetime="{published}">{published[:10]}</time></span>'
        '<span class="byline">By <a href="/author/ana/" rel="author">Ana Critic</a></span>'
        "</div></footer>\n</article>\n"
        + extra_body
        + _FOOT
    )


def comments_html(comments: Iterable[tuple[int, str, str]], *, older: str | None = None,
                  newer: str | None = None, heading: str = "Comments") -> str:
    """The comments area of tests/fixtures/site: ``(id, author, text)`` comments, and the
    "Older comments" / "Newer comments" links of a paged thread."""
    items = "".join(
        f'<li id="comment-{cid}" class="comment even thread-even depth-1">\n'
        f'<article id="div-comment-{cid}" class="comment-body">\n'
        '<footer class="comment-meta"><div class="comment-author vcard">'
        f'<b class="fn">{escape(author)}</b> <span class="says">says:</span></div>\n'
        f'<div class="comment-metadata"><a href="#comment-{cid}"><time '
        'datetime="2021-01-03T09:00:00+00:00">2021-01-03</time></a></div></footer>\n'
        f'<div class="comment-content"><p>{escape(text)}</p></div>\n</article></li>\n'
        for cid, author, text in comments
    )
    links = ""
    if older:
        links += f'<div class="nav-previous"><a href="{older}#comments">Older comments</a></div>'
    if newer:
        links += f'<div class="nav-next"><a href="{newer}#comments">Newer comments</a></div>'
    nav = (f'<nav class="navigation comment-navigation" aria-label="Comments">'
           f'<div class="nav-links">{links}</div></nav>\n') if links else ""
    return ('<div id="comments" class="comments-area default-max-width show-avatars">\n'
            f'<h2 class="comments-title">{escape(heading)}</h2>\n'
            f'<ol class="comment-list">\n{items}</ol>\n{nav}</div>\n')


def listing_html(posts: Iterable[tuple[str, str]], *, next_page: str | None = None,
                 extra: str = "", title: str = "Faulty Notes") -> str:
    """A home or /page/N/ listing linking to ``(path, title)`` posts."""
    articles = "".join(
        f'<article class="post type-post status-publish hentry entry">\n'
        f'<header class="entry-header"><h2 class="entry-title"><a href="{path}" '
        f'rel="bookmark">{escape(name)}</a></h2></header>\n'
        f'<div class="entry-content"><p>Summary of {escape(name)}.</p></div>\n</article>\n'
        for path, name in posts
    )
    pagination = ""
    if next_page:
        pagination = ('<nav class="navigation pagination"><div class="nav-links">'
                      f'<a class="next page-numbers" href="{next_page}">Older posts</a>'
                      "</div></nav>\n")
    return (
        _HEAD.format(charset_meta='<meta charset="UTF-8">\n', title=escape(title),
                     extra_head="")
        + '<body class="home blog">\n' + _MASTHEAD + articles + pagination + extra + _FOOT
    )


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=UTF-8"
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 200


@dataclass
class LogEntry:
    at: float
    path: str
    outcome: str  # "200", "500", "reset", "stall", …


class FaultHandler(http.server.BaseHTTPRequestHandler):
    server_version = "FaultyWordPress/1.0"
    fault_server: FaultServer

    def do_GET(self) -> None:
        fs = self.fault_server
        path = self.path
        with fs.lock:
            fs.counts[path] = fs.counts.get(path, 0) + 1
            nth = fs.counts[path]
            fault = fs.faults.get(path)
            route = fs.routes.get(path)
        if fault is not None:
            self.outcome = "fault"
            if fault(self, nth):
                fs.record(path, getattr(self, "outcome", "fault"))
                return
        if route is not None:
            page = route(nth) if callable(route) else route
        else:
            page = fs.pages.get(path) or fs.pages.get(path.split("?")[0])
        if page is None and fs.fallback is not None:
            page = fs.fallback(path)
        if page is None:
            page = Page(b"<html><body><h1>Not found</h1></body></html>", status=404)
        outcome = str(page.status)
        self.send_page(page)
        fs.record(path, outcome)

    def send_page(self, page: Page) -> None:
        self.send_response(page.status)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        for name, value in page.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self._write(page.body)

    def send_status(self, status: int, headers: dict[str, str] | None = None,
                    body: bytes = b"<html><body>error</body></html>") -> None:
        self.send_page(Page(body, status=status, headers=headers or {}))

    def _write(self, data: bytes) -> bool:
        try:
            self.wfile.write(data)
            self.wfile.flush()
            return True
        except (BrokenPipeError, ConnectionResetError, OSError):
            return False

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass


class FaultServer:
    """ThreadingHTTPServer on 127.0.0.1 (free port) serving ``pages`` with ``faults``."""

    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.routes: dict[str, Page | Callable[[int], Page]] = {}
        self.faults: dict[str, Fault] = {}
        # Pages made on demand (an endless /page/N/): path -> Page, or None for a 404.
        self.fallback: Callable[[str], Page | None] | None = None
        self.counts: dict[str, int] = {}
        self.log: list[LogEntry] = []
        self.lock = threading.Lock()
        handler = type("Handler", (FaultHandler,), {"fault_server": self})
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False  # a stalled handler must not block shutdown
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.pages["/robots.txt"] = Page(b"User-agent: *\nDisallow: /wp-admin/\n",
                                         "text/plain")
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # --- content ------------------------------------------------------------

    def load_fixture_site(self) -> list[tuple[str, str]]:
        """Serve tests/fixtures/site (3 posts, one with two comment pages) as-is; returns
        the posts as (path, title) for a listing."""
        for file in FIXTURE_SITE.rglob("*"):
            if file.is_file() and file.name == "index.html":
                path = "/" + str(file.parent.relative_to(FIXTURE_SITE)).strip(".") + "/"
                self.pages[path.replace("//", "/")] = Page(file.read_bytes())
        return [("/2020/01/05/first-light/", "First Light"),
                ("/2020/02/09/second-sight/", "Second Sight"),
                ("/2020/03/14/third-act/", "Third Act & Finale")]

    def add_fixture_posters(self) -> None:
        """The posters of tests/fixtures/site's posts: with them a crawl of it is complete."""
        for wp_id in (11, 12, 13):
            self.add_page(f"/wp-content/uploads/2020/01/poster-{wp_id}.png",
                          POSTER.read_bytes(), "image/png")

    def add_post(self, path: str, wp_id: int, title: str, body: str | None = None,
                 **kwargs: object) -> None:
        html = post_html(wp_id, title, body or f"<p>The body of {escape(title)}.</p>",
                         **kwargs)  # type: ignore[arg-type]
        self.pages[path] = Page(html.encode("utf-8"))

    def add_page(self, path: str, body: bytes | str, content_type: str = "text/html",
                 **kwargs: object) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.pages[path] = Page(data, content_type, **kwargs)  # type: ignore[arg-type]

    def home(self, posts: Iterable[tuple[str, str]], next_page: str | None = None,
             extra: str = "") -> None:
        self.pages["/"] = Page(listing_html(posts, next_page=next_page, extra=extra)
                               .encode("utf-8"))

    def fault(self, path: str, fault: Fault) -> None:
        with self.lock:
            self.faults[path] = fault

    def heal(self, path: str | None = None) -> None:
        """Remove one fault (or all): the server answers normally from now on."""
        with self.lock:
            if path is None:
                self.faults.clear()
            else:
                self.faults.pop(path, None)

    # --- log ----------------------------------------------------------------

    def record(self, path: str, outcome: str) -> None:
        with self.lock:
            self.log.append(LogEntry(time.monotonic(), path, outcome))

    def requests_for(self, path: str) -> list[LogEntry]:
        with self.lock:
            return [e for e in self.log if e.path == path]

    def paths(self) -> list[str]:
        with self.lock:
            return [e.path for e in self.log]


# --- faults -----------------------------------------------------------------


def burst(status: int, times: int = -1, retry_after: str | Callable[[], str] | None = None
          ) -> Fault:
    """Answer ``status`` the first ``times`` requests (-1: always), then the page."""

    def fault(handler: FaultHandler, nth: int) -> bool:
        if times != -1 and nth > times:
            return False
        headers = {}
        if retry_after is not None:
            headers["Retry-After"] = retry_after() if callable(retry_after) else retry_after
        handler.outcome = str(status)
        handler.send_status(status, headers)
        return True

    return fault


def retry_after_date(seconds: int) -> Callable[[], str]:
    """A Retry-After header in HTTP-date form, ``seconds`` from when it is sent."""
    return lambda: formatdate(time.time() + seconds, usegmt=True)


def reset(times: int = -1) -> Fault:
    """Read the request, then reset the connection (RST) without answering."""

    def fault(handler: FaultHandler, nth: int) -> bool:
        if times != -1 and nth > times:
            return False
        handler.outcome = "reset"
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                      struct.pack("ii", 1, 0))
        handler.connection.close()
        handler.close_connection = True
        return True

    return fault


def stall(seconds: float) -> Fault:
    """Say nothing for ``seconds`` (past the client's download timeout), then hang up."""

    def fault(handler: FaultHandler, nth: int) -> bool:
        handler.outcome = "stall"
        time.sleep(seconds)
        handler.close_connection = True
        return True

    return fault


def truncated(announced: int = 100_000, sent: int = 300) -> Fault:
    """Announce ``announced`` bytes in Content-Length, send ``sent``, close."""

    def fault(handler: FaultHandler, nth: int) -> bool:
        handler.outcome = "truncated"
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=UTF-8")
        handler.send_header("Content-Length", str(announced))
        handler.end_headers()
        handler._write(b"<!doctype html><html><body>" + b"x" * sent)
        handler.close_connection = True
        return True

    return fault


def redirect(location: str, status: int = 302) -> Fault:
    def fault(handler: FaultHandler, nth: int) -> bool:
        handler.outcome = f"{status}->{location}"
        handler.send_status(status, {"Location": location}, b"")
        return True

    return fault


def huge(size: int = 50 * 1024 * 1024, content_length: bool = True) -> Fault:
    """A ``size``-byte page streamed in 64 KiB chunks (never held in memory)."""

    def fault(handler: FaultHandler, nth: int) -> bool:
        handler.outcome = "huge"
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=UTF-8")
        if content_length:
            handler.send_header("Content-Length", str(size))
        handler.end_headers()
        chunk = b"<p>" + b"a" * (64 * 1024 - 7) + b"</p>\n"
        sent = 0
        while sent < size:
            piece = chunk[: size - sent]
            if not handler._write(piece):
                break
            sent += len(piece)
        handler.outcome = f"huge ({sent} bytes sent)"
        handler.close_connection = True
        return True

    return fault


_BOMB_CACHE: dict[int, bytes] = {}


def gzip_bytes_of_zeros(size: int) -> bytes:
    """gzip of ``size`` zero bytes, built chunk by chunk (50 MB -> about 50 KB)."""
    if size not in _BOMB_CACHE:
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
        chunk = b"\0" * (1024 * 1024)
        parts = []
        left = size
        while left > 0:
            parts.append(compressor.compress(chunk[: min(left, len(chunk))]))
            left -= len(chunk)
        parts.append(compressor.flush())
        _BOMB_CACHE[size] = b"".join(parts)
    return _BOMB_CACHE[size]


def gzip_bomb(size: int = 50 * 1024 * 1024) -> Fault:
    """A small gzip body (Content-Encoding: gzip) that inflates to ``size`` bytes."""

    def fault(handler: FaultHandler, nth: int) -> bool:
        body = gzip_bytes_of_zeros(size)
        handler.outcome = f"gzip bomb ({len(body)} bytes compressed)"
        handler.send_page(Page(body, "text/html; charset=UTF-8",
                               {"Content-Encoding": "gzip"}))
        return True

    return fault


def login_wall() -> Fault:
    """A private post: WordPress redirects to its login page."""

    def fault(handler: FaultHandler, nth: int) -> bool:
        handler.outcome = "302->wp-login.php"
        target = f"/wp-login.php?redirect_to={handler.path}&reauth=1"
        handler.send_status(302, {"Location": target}, b"")
        return True

    return fault


def free_port() -> int:
    """A port on 127.0.0.1 nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
