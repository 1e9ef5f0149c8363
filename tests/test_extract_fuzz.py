"""Extraction never raises: ``extract_page`` (and the rows the store makes of its result)
on generated WordPress-like HTML, random bytes and mutated real pages.

A crawl hands every fetched page to ``extract_page``; one exception there loses the page
(and a pattern of them, the blog).  Kept fast for CI: about 200 examples per property,
no deadline (the machine may be busy), no example database.  The number of inputs tried is
printed by the last test (``pytest -s tests/test_extract_fuzz.py``).
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import asdict
from html import escape
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from scraper.archive.rows import page_rows  # noqa: E402
from scraper.extract import PageExtraction, extract_page  # noqa: E402
from scraper.model.items import ArchivedPage  # noqa: E402

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pages"
TRIED: Counter[str] = Counter()

# In CI the examples are derived from the test, not drawn at random: a run fails only for
# a change, never for the luck of a draw. Elsewhere every run explores new examples.
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                derandomize=os.environ.get("CI") == "true",
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

URLS = st.sampled_from([
    "https://blog.example/2020/01/05/first-light/",
    "https://blog.example/",
    "https://example.wordpress.com/2014/01/10/her-2013/comment-page-2/",
    "http://127.0.0.1:8080/?p=11",
    "https://blog.example/page/3/",
    "https://xn--bcher-kva.example/2020/01/b%C3%BCcher/?cpage=2#comments",
])
CONTENT_TYPES = st.sampled_from([
    None, "text/html", "text/html; charset=UTF-8", "text/html; charset=windows-1252",
    "text/html; charset=ISO-8859-1", "text/html; charset=utf-16", "text/html; charset=bogus",
    "application/octet-stream", "text/html; charset=",
])

# --- a grammar of WordPress-like markup --------------------------------------

TAGS = st.sampled_from([
    "div", "p", "span", "a", "article", "header", "footer", "h1", "h2", "h3", "time", "img",
    "ol", "ul", "li", "table", "tr", "td", "script", "style", "section", "main", "nav",
    "figure", "figcaption", "b", "i", "em", "br", "meta", "link", "title", "noscript",
    "iframe", "form", "input", "textarea", "blockquote", "pre", "code", "svg", "body", "head",
    "html", "template", "abbr", "cite", "small", "sup",
])
WP_CLASSES = st.sampled_from([
    "entry-content", "entry-title", "post", "hentry", "type-post", "status-publish",
    "post-11", "postid-11", "single", "single-post", "home", "blog", "paged",
    "comment", "comment-list", "commentlist", "comment-body", "comment-author", "fn", "vcard",
    "comment-content", "comment-metadata", "comment-meta", "children", "depth-1", "depth-2",
    "depth-9", "pingback", "trackback", "bypostauthor", "published", "updated", "entry-date",
    "posted-on", "byline", "author", "cat-links", "tags-links", "post-thumbnail",
    "wp-post-image", "sharedaddy", "sd-sharing", "jp-relatedposts", "comment-navigation",
    "navigation", "pagination", "nav-links", "next", "prev", "page-numbers", "current",
    "wp-caption", "wp-caption-text", "wp-block-image", "wp-element-caption", "site-title",
    "comments-title", "reply", "comment-reply-link", "says", "comment-respond", "credit",
    "photo-credit", "entry-meta", "post-meta", "screen-reader-text", "wp-block-quote",
    "hfeed", "site", "widget_calendar", "",
])
TEXT_BITS = st.sampled_from([
    "poster designed by ", "Poster by ", "photo: ", "Image credit: ", "© 2014 ",
    "Artist 11", "says:", "5 comments on “First Light”", "One thought on ", "Leave a Reply",
    "January 5, 2020 at 10:00 am", "5. Januar 2020 um 10:00", "2020-01-05T10:00:00+01:00",
    "31/02/2020", "9999-99-99", "yesterday", "Published", "By ", "Tagged ", "Categorized as ",
    "&amp;", "&#0;", "&#x110000;", "&#99999999999;", "&nbsp;", "&bogus;", "<![CDATA[x]]>",
    "<!--", "-->", "<!-- c -->", "\x00", "\ufeff", "\u202e", "\r\n", "</", "<", ">", "\"",
    "'", "ñ", "☃", "😀", "Older comments", "Newer posts", "Read more »",
])
TEXT = st.one_of(TEXT_BITS, st.text(max_size=30))
HREFS = st.sampled_from([
    "/", "/2020/01/05/first-light/", "/2020/01/05/first-light/comment-page-2/#comments",
    "?cpage=3", "/page/2/", "/page/999999999999999999999/", "?paged=-1", "#comment-103",
    "/?p=11", "/author/ana/", "/category/reviews/", "/tag/drama/", "javascript:alert(1)",
    "mailto:x@y", "http://[::1", "http://%zz/", "https://other.example/", "//cdn.example/x.png",
    "data:image/png;base64,AAAA", "", " ", "http://a.example:99999/", "/wp-login.php",
    "/?replytocom=5#respond", "https://example.wordpress.com/2014/01/10/her-2013/",
])
ATTRS = st.lists(
    st.one_of(
        st.tuples(st.just("class"), st.lists(WP_CLASSES, max_size=4).map(" ".join)),
        st.tuples(st.just("id"), st.sampled_from([
            "post-11", "comment-103", "div-comment-104", "comments", "respond", "content",
            "main", "post-", "comment-abc", "comment-99999999999999999999"])),
        st.tuples(st.sampled_from(["href", "src", "srcset", "data-src"]), HREFS),
        st.tuples(st.just("datetime"), st.sampled_from([
            "2020-01-05T10:00:00+01:00", "2020-01-05", "garbage", "", "2020-13-45T99:99",
            "0000-00-00T00:00:00Z", "-1"])),
        st.tuples(st.just("rel"), st.sampled_from([
            "bookmark", "author", "tag", "category tag", "canonical", "shortlink", "next",
            "prev", "nofollow", "https://api.w.org/"])),
        st.tuples(st.sampled_from(["name", "property", "itemprop"]), st.sampled_from([
            "generator", "og:title", "og:image", "article:published_time", "datePublished",
            "author", "description"])),
        st.tuples(st.sampled_from(["content", "alt", "title", "width", "height", "data-x"]),
                  TEXT),
    ),
    max_size=4,
)


@st.composite
def elements(draw: st.DrawFn, children: st.SearchStrategy[str]) -> str:
    tag = draw(TAGS)
    attrs = "".join(f' {name}="{escape(value, quote=True)}"' for name, value in draw(ATTRS))
    inner = "".join(draw(st.lists(children, max_size=5)))
    closing = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", f"</{tag}>", "", "</div>"]))
    return f"<{tag}{attrs}>{inner}{closing}"


HTML_FRAGMENTS = st.recursive(TEXT, lambda children: elements(children), max_leaves=40)


@st.composite
def wordpress_like_pages(draw: st.DrawFn) -> str:
    head = draw(st.sampled_from([
        "", '<meta charset="UTF-8"><meta name="generator" content="WordPress 6.4">',
        '<link rel="https://api.w.org/" href="/wp-json/"><link rel="canonical" href="/x/">',
        '<script type="application/ld+json">{"@type":"BlogPosting","datePublished":'
        '"2020-01-05","author":{"name":"Ana"}}</script>',
        '<script type="application/ld+json">{"@graph": [ {"@type": ', "<title>",
    ]))
    body_class = draw(st.sampled_from(["", "single single-post postid-11", "home blog",
                                       "page", "archive"]))
    body = "".join(draw(st.lists(HTML_FRAGMENTS, max_size=6)))
    return (f"<!doctype html><html><head>{head}</head>"
            f'<body class="{body_class}">{body}</body></html>')


# --- properties ----------------------------------------------------------------


def check(body: bytes | str, url: str, content_type: str | None, kind: str) -> None:
    TRIED[kind] += 1
    extraction = extract_page(body, url, content_type)
    assert isinstance(extraction, PageExtraction)
    asdict(extraction)  # plain data all the way down
    if extraction.post is not None:
        assert isinstance(extraction.post.title, str | None)
    # what the pipeline would store: rows must build too
    page = ArchivedPage(blog_url="https://blog.example/", post_url=url, fetched_url=url,
                        http_status=200, fetched_at="2020-01-05T10:00:00Z", comment_page=None,
                        extraction=extraction)
    page_rows(page, "crawl-1", seen_at="2020-01-05T10:00:00Z")


@FUZZ
@given(wordpress_like_pages(), URLS, CONTENT_TYPES)
def test_generated_wordpress_like_html_never_raises(html: str, url: str,
                                                   content_type: str | None) -> None:
    check(html, url, content_type, "generated html (str)")


@FUZZ
@given(wordpress_like_pages(), URLS, CONTENT_TYPES,
       st.sampled_from(["utf-8", "cp1252", "latin-1", "utf-16"]))
def test_generated_html_as_bytes_in_any_encoding_never_raises(
    html: str, url: str, content_type: str | None, encoding: str
) -> None:
    check(html.encode(encoding, errors="replace"), url, content_type, "generated html (bytes)")


@FUZZ
@given(st.binary(max_size=4000), URLS, CONTENT_TYPES)
def test_random_bytes_never_raise(body: bytes, url: str, content_type: str | None) -> None:
    check(body, url, content_type, "random bytes")


def _corpus() -> list[bytes]:
    if not CORPUS.is_dir():
        return []
    return [p.read_bytes() for p in sorted(CORPUS.glob("*.html"))]


CORPUS_PAGES = _corpus()


@st.composite
def mutated_corpus_pages(draw: st.DrawFn) -> bytes:
    """A window of a real page (its head kept), then cut, spliced, duplicated or salted."""
    page = draw(st.sampled_from(CORPUS_PAGES))
    head_end = page.find(b"</head>")
    head = page[: head_end + 7] if 0 <= head_end < 30_000 else b""
    size = draw(st.integers(1_000, 12_000))
    start = draw(st.integers(0, max(0, len(page) - size)))
    data = bytearray(head + page[start: start + size])
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["cut", "delete", "duplicate", "insert", "flip"]))
        at = draw(st.integers(0, len(data)))
        if op == "cut":
            del data[at:]
        elif op == "delete":
            del data[at: at + draw(st.integers(1, 500))]
        elif op == "duplicate":
            data[at:at] = data[at: at + draw(st.integers(1, 2000))]
        elif op == "insert":
            data[at:at] = draw(st.sampled_from([
                b"<div>", b"</div>", b"</article>", b"<ol class='children'>", b"<!--",
                b"\x00", b"\xff\xfe", b"<li id='comment-1' class='comment depth-1'>",
                b"<time datetime='", b"&#", b"<script>", b"]]>",
            ])) + draw(st.binary(max_size=20))
        elif op == "flip" and data:
            index = min(at, len(data) - 1)
            data[index] ^= draw(st.integers(1, 255))
    return bytes(data)


@pytest.mark.skipif(not CORPUS_PAGES, reason=f"no corpus at {CORPUS}")
@FUZZ
@given(st.data(), URLS, CONTENT_TYPES)
def test_mutated_corpus_pages_never_raise(data: st.DataObject, url: str,
                                          content_type: str | None) -> None:
    check(data.draw(mutated_corpus_pages()), url, content_type, "mutated corpus pages")


def test_report_how_many_inputs_were_tried() -> None:
    """Runs last in this file: prints the counts (visible with -s) and checks they ran."""
    total = sum(TRIED.values())
    print(f"\nextraction fuzzing: {total} inputs tried: "
          + ", ".join(f"{kind} {count}" for kind, count in sorted(TRIED.items())))
    if TRIED:  # when this test runs on its own, nothing was tried
        assert TRIED["random bytes"] >= min(EXAMPLES, 100)
