"""Generated WordPress-like blogs for the benchmarks, and a fast local server for them.

The markup follows ``tests/fixtures/site/`` (Twenty Twenty-One): listing pages
at ``/`` and ``/page/N/`` with ``nav.pagination``, single posts at
``/YYYY/MM/DD/post-N/`` with a featured image, a credit line, categories,
tags and an ``ol.comment-list`` thread (replies in ``ol.children``), and
comment pages at ``…/comment-page-K/`` when a post has more comments than
fit on one page (WordPress's default: the newest page is the post's own URL).

Everything is a pure function of :class:`BlogSpec`, so a page can be rendered
on demand (no files on disk, nothing to cache) and two runs serve the same
bytes.  ``python -m bench.sites --posts 200 --out DIR`` writes the same blog
as static files for ``python -m http.server``.
"""

from __future__ import annotations

import argparse
import html
import re
import struct
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .serving import LoggingHandler, ServedLog, serving

_START = datetime(2012, 1, 1, 10, 0, tzinfo=UTC)

# A small, fixed vocabulary (film-review flavoured) so pages look like prose.
WORDS = (
    "film", "review", "light", "shadow", "camera", "actor", "story", "night", "city", "river",
    "winter", "summer", "score", "scene", "frame", "cut", "director", "screen", "sound",
    "silence", "memory", "house", "road", "train", "letter", "music", "colour", "black",
    "white", "face", "hand", "voice", "window", "door", "garden", "sea", "island", "mountain",
    "forest", "poster", "artist", "design", "print", "paper", "line", "ink", "portrait",
    "festival", "premiere", "audience", "crowd", "quiet", "patient", "slow", "bright", "dark",
    "warm", "cold", "strange", "gentle", "brave", "lonely", "tender", "final", "opening",
    "ending", "middle", "chapter", "season", "episode", "sequel", "remake", "classic",
    "modern", "silent",
)


def words(seed: int, count: int) -> str:
    """``count`` pseudo-random words, a pure function of ``seed``."""
    out = []
    state = seed * 2654435761 % 2**32 or 1
    for _ in range(count):
        state = (state * 1103515245 + 12345) % 2**31
        out.append(WORDS[state % len(WORDS)])
    return " ".join(out)


@dataclass(frozen=True)
class BlogSpec:
    """A generated blog: ``posts`` posts, newest first on the listings."""

    posts: int = 200
    per_page: int = 10  # posts per listing page
    comments_per_page: int = 50  # WordPress's default "break comments into pages"
    name: str = "Bench Notes"

    def comment_count(self, n: int) -> int:
        """Comments on post ``n`` (1-based): none on most, a few on many, pages on some."""
        if n % 40 == 0:
            return 120  # three comment pages
        if n % 3 == 0:
            return 0
        return (n * 7) % 13

    @property
    def listing_pages(self) -> int:
        return max(1, -(-self.posts // self.per_page))

    def comment_pages(self, n: int) -> int:
        return max(1, -(-self.comment_count(n) // self.comment_pages_size))

    @property
    def comment_pages_size(self) -> int:
        return self.comments_per_page

    def post_date(self, n: int) -> datetime:
        return _START + timedelta(hours=7 * n)

    def post_path(self, n: int) -> str:
        day = self.post_date(n)
        return f"/{day:%Y/%m/%d}/post-{n}/"

    def urls(self) -> list[str]:
        """Every page a complete crawl fetches (paths), robots.txt excluded."""
        paths = ["/"] + [f"/page/{p}/" for p in range(2, self.listing_pages + 1)]
        for n in range(1, self.posts + 1):
            paths.append(self.post_path(n))
            pages = self.comment_pages(n)
            paths += [f"{self.post_path(n)}comment-page-{k}/" for k in range(1, pages)]
        return paths

    @property
    def total_comments(self) -> int:
        return sum(self.comment_count(n) for n in range(1, self.posts + 1))


# --- rendering -----------------------------------------------------------------

_POST_PATH = re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/post-(\d+)/(?:comment-page-(\d+)/)?$")
_LISTING_PATH = re.compile(r"^/(?:page/(\d+)/)?$")

ROBOTS = b"User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n"


_POSTER_PATH = re.compile(r"^/wp-content/uploads/\d{4}/\d{2}/poster-(\d+)\.png$")


def _poster_png(n: int) -> bytes:
    """A small PNG of its own for post ``n`` (its own bytes, so its own media file)."""
    width, height = 20 + n % 7, 30
    row = b"\x00" + bytes([(n * 37) % 256, (n * 91) % 256, n % 256]) * width
    raw = zlib.compress(row * height)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw)
            + chunk(b"IEND", b""))


def content_type(path: str) -> str:
    if path == "/robots.txt":
        return "text/plain"
    if _POSTER_PATH.match(path):
        return "image/png"
    return "text/html; charset=UTF-8"


def render(spec: BlogSpec, path: str) -> bytes | None:
    """The page (or poster image) at ``path`` (no query string), or None for a 404."""
    if path == "/robots.txt":
        return ROBOTS
    poster = _POSTER_PATH.match(path)
    if poster:
        n = int(poster.group(1))
        return _poster_png(n) if 1 <= n <= spec.posts else None
    match = _LISTING_PATH.match(path)
    if match:
        page = int(match.group(1) or 1)
        if 1 <= page <= spec.listing_pages and not (match.group(1) and page == 1):
            return _listing(spec, page).encode()
        return None
    match = _POST_PATH.match(path)
    if match:
        n = int(match.group(4))
        if not 1 <= n <= spec.posts or spec.post_path(n) != path[: len(spec.post_path(n))]:
            return None
        pages = spec.comment_pages(n)
        cpage = int(match.group(5)) if match.group(5) else pages
        if not 1 <= cpage <= pages or (match.group(5) and cpage == pages):
            return None
        return _post(spec, n, cpage).encode()
    return None


def _head(spec: BlogSpec, title: str, extra: str = "") -> str:
    return f"""<!doctype html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<title>{html.escape(title)}</title>
<meta name="generator" content="WordPress 6.1.9">
<link rel="https://api.w.org/" href="/wp-json/">
<link rel="alternate" type="application/rss+xml" title="{spec.name} &raquo; Feed" href="/feed/">
{extra}
<link rel="stylesheet" href="/wp-content/themes/twentytwentyone/style.css">
</head>
"""


def _masthead(spec: BlogSpec) -> str:
    return f"""<div id="page" class="site">
<header id="masthead" class="site-header">
<p class="site-title"><a href="/" rel="home">{spec.name}</a></p>
<nav><a href="/?s=film">Search</a> <a href="/wp-login.php">Log in</a> \
<a href="http://offsite.example/">Friends</a> <a href="/category/reviews/">Reviews</a></nav>
</header>
<main id="main" class="site-main">
"""


_FOOTER = """</main>
<footer class="site-footer"><a href="/feed/">RSS</a> \
<a href="/comments/feed/">Comments RSS</a></footer>
</div>
</body>
</html>
"""


def _title(n: int) -> str:
    return f"{words(n, 3).title()} {n}"


def _listing(spec: BlogSpec, page: int) -> str:
    first = spec.posts - (page - 1) * spec.per_page
    numbers = range(first, max(0, first - spec.per_page), -1)
    articles = []
    for n in numbers:
        path, date = spec.post_path(n), spec.post_date(n)
        articles.append(f"""<article id="post-{n}" class="post-{n} post type-post status-publish \
format-standard hentry category-reviews entry">
<header class="entry-header"><h2 class="entry-title"><a href="{path}" rel="bookmark">\
{_title(n)}</a></h2></header>
<div class="entry-content"><p>{words(n + 7, 30)}</p></div>
<footer class="entry-footer"><span class="posted-on">Published <time class="entry-date \
published updated" datetime="{date.isoformat()}">{date:%Y-%m-%d}</time></span>
<a href="{path}#respond">Leave a comment</a> <a href="{path}?share=twitter">Share</a></footer>
</article>
""")
    links = []
    if page > 1:
        newer = "/" if page == 2 else f"/page/{page - 1}/"
        links.append(f'<a class="prev page-numbers" href="{newer}">Newer posts</a>')
    links.append(f'<span aria-current="page" class="page-numbers current">{page}</span>')
    if page < spec.listing_pages:
        links.append(f'<a class="page-numbers" href="/page/{page + 1}/">{page + 1}</a>')
        links.append(f'<a class="next page-numbers" href="/page/{page + 1}/">Older posts</a>')
    title = spec.name if page == 1 else f"{spec.name} – Page {page}"
    body_class = "home blog" + (f" paged paged-{page}" if page > 1 else "")
    return (_head(spec, title) + f'<body class="{body_class}">\n' + _masthead(spec)
            + "".join(articles)
            + '<nav class="navigation pagination"><div class="nav-links">'
            + "".join(links) + "</div></nav>\n" + _FOOTER)


def _post(spec: BlogSpec, n: int, cpage: int) -> str:
    path, date = spec.post_path(n), spec.post_date(n)
    pages = spec.comment_pages(n)
    canonical = path if cpage == pages else f"{path}comment-page-{cpage}/"
    title = _title(n)
    paragraphs = "\n".join(f"<p>{words(n * 31 + p, 60)}.</p>" for p in range(6))
    tag = WORDS[n % len(WORDS)]
    head = _head(spec, f"{title} – {spec.name}",
                 f'<link rel="canonical" href="{canonical}">\n'
                 f'<link rel="shortlink" href="/?p={n}">')
    article = f"""<article id="post-{n}" class="post-{n} post type-post status-publish \
format-standard has-post-thumbnail hentry category-reviews tag-{tag} entry">
<header class="entry-header alignwide"><h1 class="entry-title">{title}</h1>
<figure class="post-thumbnail"><img width="300" height="450" \
src="/wp-content/uploads/{date:%Y/%m}/poster-{n}.png" class="attachment-post-thumbnail \
size-post-thumbnail wp-post-image" alt="Poster of {title}"></figure>
</header>
<div class="entry-content">
{paragraphs}
<p>poster designed by <a href="http://artist-{n % 97}.example/">Artist {n % 97}</a></p>
</div>
<footer class="entry-footer default-max-width"><div class="posted-by"><span class="posted-on">\
Published <time class="entry-date published updated" datetime="{date.isoformat()}">\
{date:%Y-%m-%d}</time></span><span class="byline">By <a href="/author/ana/" rel="author">\
Ana Critic</a></span></div>
<div class="post-taxonomies"><span class="cat-links">Categorized as <a href="/category/reviews/" \
rel="category tag">Reviews</a> </span><span class="tags-links">Tagged <a href="/tag/{tag}/" \
rel="tag">{tag}</a></span></div></footer>
</article>
"""
    return head + (
        f'<body class="post-template-default single single-post postid-{n} '
        f'single-format-standard">\n') + _masthead(spec) + article + _comments(
        spec, n, cpage, pages, title) + _FOOTER


def _comments(spec: BlogSpec, n: int, cpage: int, pages: int, title: str) -> str:
    total = spec.comment_count(n)
    if total == 0:
        return ""
    path = spec.post_path(n)
    first = (cpage - 1) * spec.comments_per_page
    numbers = range(first, min(total, first + spec.comments_per_page))
    items = []
    index = 0
    numbers_list = list(numbers)
    while index < len(numbers_list):
        k = numbers_list[index]
        has_reply = k % 4 == 1 and index + 1 < len(numbers_list)
        reply = ""
        if has_reply:
            reply = ('<ol class="children">' + _comment(spec, n, numbers_list[index + 1], 2, path)
                     + "</li>\n</ol>")
        items.append(_comment(spec, n, k, 1, path) + reply + "</li>\n")
        index += 2 if has_reply else 1
    nav = []
    if cpage > 1:
        older = f"{path}comment-page-{cpage - 1}/#comments"
        nav.append(f'<div class="nav-previous"><a href="{older}">Older comments</a></div>')
    if cpage < pages:
        newer = path if cpage + 1 == pages else f"{path}comment-page-{cpage + 1}/"
        nav.append(f'<div class="nav-next"><a href="{newer}#comments">Newer comments</a></div>')
    navigation = ""
    if nav:
        navigation = ('<nav class="navigation comment-navigation" aria-label="Comments">'
                      f'<div class="nav-links">{"".join(nav)}</div></nav>\n')
    return f"""<div id="comments" class="comments-area default-max-width show-avatars">
<h2 class="comments-title">{total} comments on &ldquo;{title}&rdquo;</h2>
<ol class="comment-list">
{"".join(items)}</ol>
{navigation}<div id="respond" class="comment-respond"><h2 id="reply-title" \
class="comment-reply-title">Leave a Reply</h2>
<form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form">\
<p class="comment-notes">Your email address will not be published.</p>
<p class="comment-form-comment"><label for="comment">Comment</label>\
<textarea id="comment" name="comment"></textarea></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" \
value="Post Comment"></p></form></div>
</div>
"""


def _comment(spec: BlogSpec, n: int, k: int, depth: int, path: str) -> str:
    wp_id = n * 1000 + k
    when = spec.post_date(n) + timedelta(hours=k + 1)
    parity = "even" if k % 2 == 0 else "odd"
    return f"""<li id="comment-{wp_id}" class="comment {parity} thread-{parity} depth-{depth}">
<article id="div-comment-{wp_id}" class="comment-body">
<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">\
Reader {(n + k) % 211}</b> <span class="says">says:</span></div>
<div class="comment-metadata"><a href="{path}#comment-{wp_id}"><time \
datetime="{when.isoformat()}">{when:%Y-%m-%d}</time></a></div></footer>
<div class="comment-content"><p>{words(wp_id, 25)}.</p></div>
<div class="reply"><a rel="nofollow" class="comment-reply-link" \
href="{path}?replytocom={wp_id}#respond">Reply</a></div>
</article>"""


# --- serving -------------------------------------------------------------------


@dataclass(kw_only=True)
class ServedBlog(ServedLog):
    """A running generated blog: what it serves and what it served."""

    spec: BlogSpec


class _BlogHandler(LoggingHandler):
    served: ServedBlog

    def do_GET(self) -> None:
        started = time.perf_counter()
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        body = render(self.served.spec, path)
        if body is None:
            self.respond(started, 404, [("Content-Type", "text/html; charset=UTF-8")],
                         b"<!doctype html><title>Not found</title>")
        else:
            self.respond(started, 200, [("Content-Type", content_type(path))], body)


@contextmanager
def serve_blog(spec: BlogSpec) -> Iterator[ServedBlog]:
    """Serve a generated blog on 127.0.0.1 (free port), rendering pages on demand."""
    blog = ServedBlog(spec=spec)
    with serving(_BlogHandler, blog):
        yield blog


def write_site(spec: BlogSpec, root: Path) -> int:
    """Write the blog as static files (``index.html`` per directory); returns files written."""
    count = 0
    for path in ["/robots.txt", *spec.urls()]:
        body = render(spec, path)
        assert body is not None, path
        target = root / path.lstrip("/")
        if path.endswith("/"):
            target = target / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        count += 1
    return count


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.sites", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--out", type=Path, required=True, help="folder to write the blog into")
    args = parser.parse_args(argv)
    spec = BlogSpec(posts=args.posts)
    files = write_site(spec, args.out)
    print(f"wrote {files} files ({spec.posts} posts, {spec.total_comments} comments) "
          f"to {args.out}; serve with: python -m http.server -d {args.out} -b 127.0.0.1")


if __name__ == "__main__":
    main()
