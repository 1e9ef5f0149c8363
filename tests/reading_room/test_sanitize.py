"""The sanitiser every scraped HTML fragment passes through before it is shown as HTML."""

from __future__ import annotations

import pytest

from scraper.reading_room.data import build_thread, display_date, fts_match, highlight
from scraper.reading_room.sanitize import LINK_REL, clean_html, safe_url, text_to_html

BASE = "https://blog.example/2021/03/post/"


@pytest.mark.parametrize(
    "payload",
    [
        "<script>window.__xss=1</script>",
        "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
        "<style>body{display:none}</style>",
        "<iframe src=https://evil.example/></iframe>",
        "<object data=https://evil.example/x.swf></object>",
        "<embed src=https://evil.example/x.swf>",
        "<svg onload=window.__xss=1><circle r=1 /></svg>",
        "<math><mi xlink:href=javascript:window.__xss=1>x</mi></math>",
        "<form action=https://evil.example/><input name=q></form>",
        "<template><script>window.__xss=1</script></template>",
        "<noscript><p title='</noscript><img src=x onerror=window.__xss=1>'></noscript>",
        "<base href=https://evil.example/>",
        "<meta http-equiv=refresh content='0;url=javascript:window.__xss=1'>",
        "<link rel=stylesheet href=https://evil.example/x.css>",
    ],
)
def test_dangerous_elements_are_removed(payload: str) -> None:
    cleaned = clean_html(f"<p>before</p>{payload}<p>after</p>", BASE)
    for bad in ("<script", "<style", "<iframe", "<object", "<embed", "<svg", "<math", "<form",
                "<input", "<template", "<base", "<meta", "<link", "onerror", "onload",
                "javascript:"):
        assert bad not in cleaned.lower()
    assert cleaned.startswith("<p>before</p>")
    assert cleaned.endswith("<p>after</p>")


def test_event_handlers_style_class_and_id_attributes_are_dropped() -> None:
    cleaned = clean_html(
        '<p onclick="window.__xss=1" style="color:red" class="rr-comment" id="comments"'
        ' onmouseover=x>text</p>'
    )
    assert cleaned == "<p>text</p>"


@pytest.mark.parametrize(
    "href",
    [
        "javascript:window.__xss=1",
        "JaVaScRiPt:window.__xss=1",
        "  javascript:window.__xss=1",
        "java&#x09;script:window.__xss=1",
        "java\nscript:window.__xss=1",
        "&#106;avascript:window.__xss=1",
        "vbscript:msgbox(1)",
        "data:text/html,<script>window.__xss=1</script>",
        "file:///etc/passwd",
        "ftp://files.example/x",
        "mailto:someone@example.com",
    ],
)
def test_links_keep_only_http_and_https_urls(href: str) -> None:
    cleaned = clean_html(f'<a href="{href}">label</a>', BASE)
    assert cleaned == f'<a rel="{LINK_REL}">label</a>'


def test_links_get_nofollow_noopener_noreferrer_and_keep_their_text() -> None:
    cleaned = clean_html('<a href="https://other.example/page" target="_blank" rel="me">x</a>')
    assert cleaned == f'<a href="https://other.example/page" rel="{LINK_REL}">x</a>'


def test_relative_urls_resolve_against_the_page_or_are_dropped_without_one() -> None:
    html = '<a href="../earlier/">e</a><img src="/wp-content/uploads/a.jpg" alt="a">'
    with_base = clean_html(html, BASE)
    assert 'href="https://blog.example/2021/03/earlier/"' in with_base
    assert 'src="https://blog.example/wp-content/uploads/a.jpg"' in with_base
    without = clean_html(html)
    assert "href=" not in without and "src=" not in without
    assert "javascript" not in clean_html('<a href="x">x</a>', "javascript:alert(1)//")


def test_images_keep_http_sources_and_lose_data_urls_and_handlers() -> None:
    cleaned = clean_html(
        '<img src="https://blog.example/a.jpg" alt="A poster" width="600" onerror="x">'
        '<img src="data:image/svg+xml,<svg onload=alert(1)>">'
    )
    assert 'src="https://blog.example/a.jpg"' in cleaned
    assert 'alt="A poster"' in cleaned and 'width="600"' in cleaned
    assert 'referrerpolicy="no-referrer"' in cleaned
    assert "onerror" not in cleaned and "data:" not in cleaned and "onload" not in cleaned


def test_escaped_markup_stays_text_and_split_tags_do_not_reassemble() -> None:
    assert clean_html("<p>&lt;script&gt;window.__xss=1&lt;/script&gt;</p>") == (
        "<p>&lt;script&gt;window.__xss=1&lt;/script&gt;</p>"
    )
    cleaned = clean_html("<scr<script>ipt>window.__xss=1</scr</script>ipt>")
    assert "<script" not in cleaned.lower()
    assert "<scr" not in cleaned.replace("&lt;scr", "")


def test_broken_markup_is_closed_and_prose_survives() -> None:
    assert clean_html("<p>unclosed <b>bold <i>italic") == (
        "<p>unclosed <b>bold <i>italic</i></b></p>"
    )
    assert "broken tags" in clean_html("<b <i>broken tags</b>")


def test_blog_formatting_survives() -> None:
    html = ("<h2>Heading</h2><p><em>em</em> <strong>strong</strong> <code>c</code></p>"
            "<blockquote cite=\"https://a.example/\">q</blockquote><ul><li>i</li></ul>"
            "<figure><img src=\"https://a.example/p.jpg\" alt=\"\"><figcaption>Poster by X"
            "</figcaption></figure><table><tr><td colspan=\"2\">t</td></tr></table><hr><br>")
    cleaned = clean_html(html)
    for kept in ("<h2>", "<em>", "<strong>", "<code>", "<blockquote", "<ul>", "<li>",
                 "<figure>", "<figcaption>", "<table>", 'colspan="2"', "<hr>", "<br>"):
        assert kept in cleaned


def test_empty_input_gives_empty_output() -> None:
    assert clean_html(None) == ""
    assert clean_html("") == ""
    assert text_to_html(None) == ""


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://blog.example/a", "https://blog.example/a"),
        (" http://blog.example/ ", "http://blog.example/"),
        ("HTTPS://blog.example/", "HTTPS://blog.example/"),
        ("javascript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("javascript://blog.example/%0aalert(1)", None),
        ("data:text/html,x", None),
        ("//evil.example/", None),
        ("https:///nohost", None),
        ("ftp://files.example/", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_url_accepts_only_absolute_http_urls(url: str | None, expected: str | None) -> None:
    assert safe_url(url) == expected


def test_safe_url_resolves_relative_urls_against_a_base() -> None:
    assert safe_url("/about/", BASE) == "https://blog.example/about/"
    assert safe_url("javascript:alert(1)", BASE) is None


def test_text_to_html_escapes_and_keeps_paragraphs() -> None:
    assert text_to_html("a <b> & c\nline two\n\nsecond") == (
        "<p>a &lt;b&gt; &amp; c<br>line two</p><p>second</p>"
    )


def test_highlight_escapes_the_snippet_and_marks_only_the_matches() -> None:
    snippet = "<script>x</script> \x02word\x03 & more"
    assert highlight(snippet) == "&lt;script&gt;x&lt;/script&gt; <mark>word</mark> &amp; more"


def test_fts_match_quotes_words_as_prefixes_unless_raw() -> None:
    assert fts_match("poster design") == '"poster"* "design"*'
    assert fts_match('a-b "unbalanced - *') == '"a-b"* """unbalanced"*'
    assert fts_match("NEAR(a b)", raw=True) == "NEAR(a b)"
    assert fts_match("   ") == ""


def test_build_thread_nests_by_parent_and_sets_levels() -> None:
    comments = [
        {"id": "c1", "wp_id": 1, "parent_id": None, "type": "comment"},
        {"id": "c2", "wp_id": 2, "parent_id": "c1", "type": "comment"},
        {"id": "c3", "wp_id": 3, "parent_id": "c2", "type": "comment"},
        {"id": "c4", "wp_id": None, "parent_id": "missing", "type": "comment"},
        {"id": "p1", "wp_id": 9, "parent_id": None, "type": "pingback"},
        {"id": "loop-a", "wp_id": 5, "parent_id": "loop-b", "type": "comment"},
        {"id": "loop-b", "wp_id": 6, "parent_id": "loop-a", "type": "comment"},
    ]
    roots, pingbacks = build_thread(comments)
    assert [r["id"] for r in roots] == ["c1", "c4", "loop-b"]
    c1 = roots[0]
    assert c1["level"] == 1 and c1["anchor"] == "comment-1"
    assert c1["children"][0]["id"] == "c2" and c1["children"][0]["level"] == 2
    assert c1["children"][0]["children"][0]["level"] == 3
    assert roots[1]["level"] == 1 and roots[1]["anchor"].startswith("c-")
    assert roots[2]["children"][0]["id"] == "loop-a"  # a parent cycle is broken, not lost
    assert [p["id"] for p in pingbacks] == ["p1"]


def test_display_date_is_readable_and_falls_back_to_the_page_text() -> None:
    assert display_date("2021-03-04T10:00:00Z") == "4 March 2021, 10:00 UTC"
    assert display_date("2021-03-04T10:00:00") == "4 March 2021, 10:00"
    assert display_date("2021-03-04") == "4 March 2021"
    assert display_date(None, "March 4th, 2021") == "March 4th, 2021"
    assert display_date("garbage") == "garbage"
