"""Comment threads from the markup of several WordPress theme families."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from scraper.extract.comments import extract_comments
from scraper.extract.page import extract_page
from scraper.extract.parse import parse_page
from scraper.model.records import Post

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"

FORM_TEXT = (
    "Leave a Reply",
    "Your email address will not be published",
    "Save my name",
    "Post Comment",
    "Kommentar verfassen",
    "Gib hier deinen Kommentar ein",
    "Benachrichtige mich",
    "Schreibe einen Kommentar",
    "Kommentar veröffentlichen",
    "WordPress.com-Konto",
)


def page(name: str):
    return parse_page((PAGES / name).read_bytes())


def comments_of(name: str, url: str = "https://blog.example/post/", post: Post | None = None):
    return extract_comments(page(name), url, post)


def post_published(iso: str) -> Post:
    return Post(
        url="https://blog.example/post/",
        canonical_url=None,
        wp_id=None,
        title="A post",
        published=iso,
        modified=None,
        published_text=None,
        author=None,
        terms=(),
        body_html="",
        body_text="",
        excerpt=None,
        word_count=0,
        featured_image=None,
    )


# --- classic ol.comment-list with article.comment-body -----------------------------


def test_classic_list_finds_every_comment_in_document_order():
    comments, _ = comments_of("classic_comment_list.html")
    assert [c.wp_id for c in comments] == [101, 102, 104, 103, 105]
    assert [c.position for c in comments] == [0, 1, 2, 3, 4]


def test_classic_list_threads_replies_through_children_lists():
    comments, _ = comments_of("classic_comment_list.html")
    threading = {c.wp_id: (c.depth, c.parent_wp_id, c.parent_position) for c in comments}
    assert threading[101] == (1, None, None)
    assert threading[102] == (2, 101, 0)
    assert threading[104] == (3, 102, 1)
    assert threading[103] == (1, None, None)


def test_classic_list_reads_author_without_says_and_author_url():
    comments, _ = comments_of("classic_comment_list.html")
    assert comments[0].author_name == "Ann Reader"
    assert comments[0].author_url == "https://ann.example/"
    assert comments[1].author_name == "Editor"
    assert comments[1].author_url is None


def test_time_datetime_gives_utc_published_and_displayed_text_is_kept():
    comments, _ = comments_of("classic_comment_list.html")
    assert comments[0].published == "2023-05-03T08:15:00Z"
    assert comments[0].date_text == "May 3, 2023 at 10:15 am"


def test_time_datetime_with_an_offset_is_kept_as_the_blogs_local_time():
    comments, _ = comments_of("classic_comment_list.html")
    assert comments[0].published_local == "2023-05-03T10:15:00+02:00"


def test_comment_text_and_html_leave_out_reply_edit_links_and_avatars():
    comments, _ = comments_of("classic_comment_list.html")
    first = comments[0]
    assert first.text == (
        "What a lovely way to put it. The roses are chapters, indeed.\n\n"
        "Which bed should I read first?"
    )
    assert "<em>The roses are chapters</em>" in first.html
    for absent in ("Reply", "Edit", "avatar", "says"):
        assert absent not in first.text
        assert absent not in first.html


def test_quoted_text_stays_in_the_comment():
    comments, _ = comments_of("classic_comment_list.html")
    assert comments[2].text.startswith("short chapters")


def test_pingback_is_typed_and_named_after_the_linking_page():
    comments, _ = comments_of("classic_comment_list.html")
    pingback = comments[-1]
    assert pingback.type == "pingback"
    assert pingback.author_name == "Gardens worth reading – Other Blog"
    assert pingback.author_url == "https://other.example/2023/06/gardens/"
    assert "Edit" not in pingback.text
    # Core prints a ping as "Pingback: <the source's link>": that line is its text.
    assert pingback.text == "Pingback: Gardens worth reading – Other Blog"


def test_comment_url_is_the_page_url_with_the_comment_anchor():
    comments, _ = comments_of("classic_comment_list.html", "https://smallblog.example/p/#top")
    assert comments[0].url == "https://smallblog.example/p/#comment-101"


def test_stated_count_comes_from_the_comments_heading():
    _, info = comments_of("classic_comment_list.html")
    assert info.count_shown == 5
    assert info.not_in_html is None
    assert info.page_urls == ()


# --- block themes -----------------------------------------------------------------


def test_block_theme_comment_template_is_read_with_threading():
    comments, _ = comments_of("block_theme_comments.html")
    assert [(c.author_name, c.depth, c.parent_position) for c in comments] == [
        ("Ein WordPress-Kommentator", 1, None),
        ("admin", 2, 0),
    ]
    assert comments[0].date_text == "10. März 2024 um 9:30 Uhr"
    assert comments[0].published == "2024-03-10T09:30:00Z"
    assert comments[0].text.startswith("Hallo, dies ist ein Kommentar.")
    assert "Antworten" not in comments[0].text and "Bearbeiten" not in comments[1].text


def test_count_written_as_a_word_is_converted():
    _, info = comments_of("block_theme_comments.html")
    assert info.count_shown == 1  # "Eine Antwort auf „Hallo Welt!“"


# --- comment pages --------------------------------------------------------------


def test_paginated_thread_reports_its_page_and_the_other_pages():
    url = "https://kitchen.example/caramels/comment-page-2/"
    comments, info = comments_of("paginated_comments.html", url)
    assert info.page == 2
    assert info.count_shown == 77
    assert info.page_urls == (
        "https://kitchen.example/caramels/comment-page-1/",
        "https://kitchen.example/caramels/comment-page-3/",
    )
    assert len(comments) == 3


def test_reply_whose_parent_is_on_another_page_keeps_its_depth_without_a_parent():
    url = "https://kitchen.example/caramels/comment-page-2/"
    comments, _ = comments_of("paginated_comments.html", url)
    assert (comments[0].depth, comments[0].parent_position) == (2, None)
    assert comments[2].parent_position == 1


def test_current_page_marker_gives_the_page_when_the_url_does_not():
    _, info = comments_of("paginated_comments.html", "https://kitchen.example/caramels/")
    assert info.page == 2


def test_cpage_query_gives_the_page_number():
    _, info = comments_of("classic_comment_list.html", "https://b.example/?p=42&cpage=3")
    assert info.page == 3


SOUP = "https://kitchen.example/2020/12/19/soup-weeks/"


def test_legacy_post_comments_block_links_older_page_and_gives_the_last_page_number():
    # Block themes' "Post Comments" block prints the theme-compat comments.php:
    # h3#comments is only the heading, the navigation sits beside it.
    comments, info = comments_of("block_theme_legacy_comment_pages.html", SOUP)
    assert [c.wp_id for c in comments] == [501, 502]
    assert info.count_shown == 64
    assert info.page_urls == (SOUP + "comment-page-2/",)
    assert info.page == 3  # the post URL shows the newest page, one after the older link


def test_legacy_post_comments_block_on_a_numbered_page_keeps_the_url_number():
    _, info = comments_of("block_theme_legacy_comment_pages.html", SOUP + "comment-page-3/")
    assert info.page == 3
    assert info.page_urls == (SOUP + "comment-page-2/",)


def test_comments_pagination_block_gives_pages_and_current_number():
    comments, info = comments_of("block_theme_comments_pagination.html", SOUP + "comment-page-2/")
    assert [c.wp_id for c in comments] == [440]
    assert info.page == 2
    assert info.page_urls == (SOUP + "comment-page-1/",)
    _, info = comments_of("block_theme_comments_pagination.html", SOUP)
    assert info.page == 2  # from the "current" marker


def test_page_from_previous_and_next_links_without_current_marker():
    html = (
        '<html><body><div id="comments" class="comments-area">'
        '<ol class="comment-list"><li id="comment-1" class="comment depth-1">'
        '<div class="comment-content"><p>Hi</p></div></li></ol>'
        '<nav class="navigation comment-navigation"><div class="nav-links">'
        f'<div class="nav-next"><a href="{SOUP}comment-page-5/#comments">Newer</a></div>'
        "</div></nav></div></body></html>"
    )
    _, info = extract_comments(parse_page(html.encode()), SOUP, None)
    assert info.page == 4
    assert info.page_urls == (SOUP + "comment-page-5/",)


def test_navigation_outside_the_comments_area_is_used_for_the_same_post_only():
    html = (
        '<html><body><div id="comments"><ol class="commentlist">'
        '<li id="comment-1" class="comment depth-1"><p>Hi</p></li></ol></div>'
        '<div class="navigation">'
        f'<a href="{SOUP}comment-page-1/">Older</a>'
        '<a href="https://kitchen.example/2020/01/01/bread/comment-page-2/">Other</a>'
        "</div></body></html>"
    )
    _, info = extract_comments(parse_page(html.encode()), SOUP, None)
    assert info.page_urls == (SOUP + "comment-page-1/",)


# --- twentyten / WordPress.com pingbacks ------------------------------------------


def test_pingbacks_and_trackbacks_without_ids_are_counted_apart_from_comments():
    comments, info = comments_of("twentyten_pingbacks.html")
    assert [c.type for c in comments] == ["comment", "pingback", "pingback", "trackback"]
    assert info.count_shown == 4


def test_inner_comment_id_does_not_duplicate_the_comment():
    comments, _ = comments_of("twentyten_pingbacks.html")
    assert [c.wp_id for c in comments if c.type == "comment"] == [23896]


def test_like_buttons_and_localized_says_are_not_text():
    comments, _ = comments_of("twentyten_pingbacks.html")
    assert comments[0].author_name == "Hawey"
    assert comments[0].text == "Hat dies auf hawey.example rebloggt."
    assert comments[0].date_text == "Juli 9, 2016 um 1:11 pm"
    assert comments[0].published == "2016-07-09T13:11:00"


# --- old WordPress.com themes: text first, then "Kommentar von X — DATE" -----------


def test_author_after_text_theme_separates_text_from_byline():
    comments, _ = comments_of("wpcom_author_after_text.html")
    assert [c.author_name for c in comments] == ["Margit Heumann", "jancak"]
    assert comments[0].text == (
        "Deinen letzten Absatz kann ich nur unterschreiben.\n\nAlles Gute aus Nürnberg."
    )
    assert "Kommentar von" not in comments[0].text


def test_time_only_permalink_takes_the_date_written_before_it():
    comments, _ = comments_of("wpcom_author_after_text.html")
    assert comments[0].date_text == "2019-01-01 @ 00:39"
    assert comments[0].published == "2019-01-01T00:39:00"


# --- "X on DATE said:" markup ----------------------------------------------------


def test_said_markup_reads_author_date_and_text():
    comments, info = comments_of("said_on_date.html")
    assert [(c.author_name, c.date_text) for c in comments] == [
        ("Milan Griffes", "September 12, 2018 at 4:47 pm"),
        ("Catherine (Staff)", "September 13, 2018 at 5:23 pm"),
    ]
    assert comments[1].text == "Hi Milan,\n\nWe haven’t yet reviewed it."
    assert info.count_shown is None  # the heading says just "Comments"


# --- depth classes when the children list is a sibling ------------------------------


def test_depth_classes_thread_replies_printed_outside_their_parent():
    comments, _ = comments_of("wpcom_sibling_children.html")
    assert [(c.author_name, c.parent_position) for c in comments] == [
        ("JanBeek", None),
        ("Andrea Middleton", 0),
        ("Mia", None),
    ]
    assert comments[0].text == "Are there workshops for seniors?"  # no "Like", "Liked by"


def test_dates_without_year_are_anchored_after_the_post_date():
    post = post_published("2019-06-19T16:00:00Z")
    comments, _ = comments_of("wpcom_sibling_children.html", post=post)
    assert comments[0].date_text == "Jun 20th at 2:41 am"
    assert comments[0].published == "2019-06-20T02:41:00"


def test_dates_without_year_and_without_post_date_are_not_guessed():
    comments, _ = comments_of("wpcom_sibling_children.html")
    assert comments[0].published is None
    assert comments[0].date_text == "Jun 20th at 2:41 am"


# --- wpDiscuz -------------------------------------------------------------------


def test_wpdiscuz_comments_with_relative_dates():
    post = post_published("2020-01-05T10:00:00")
    comments, info = comments_of("wpdiscuz_comments.html", post=post)
    assert [(c.wp_id, c.author_name, c.date_text) for c in comments] == [
        (58561, "Bibi Blue", "1 Monat her"),
        (58568, "Nossi", "3 Wochen her"),
    ]
    assert comments[0].text == "Lieber Robert, danke für die Denkanstöße."
    assert comments[0].published is not None
    assert comments[0].published.startswith("2019-12")
    assert info.count_shown == 2


# --- threads loaded by script -----------------------------------------------------


def test_disqus_placeholder_reports_where_the_comments_are():
    comments, info = comments_of("disqus_placeholder.html")
    assert comments == ()
    assert info.not_in_html == "disqus"
    assert info.count_shown is None


# --- what must never be in a comment ----------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in PAGES.glob("*.html")))
def test_no_comment_contains_reply_form_or_login_text(name):
    comments, _ = comments_of(name)
    for comment in comments:
        for phrase in FORM_TEXT:
            assert phrase not in comment.text
            assert phrase not in comment.html


@pytest.mark.parametrize("name", sorted(p.name for p in PAGES.glob("*.html")))
def test_the_shared_soup_is_not_changed(name):
    soup = page(name)
    before = copy.copy(soup).decode()
    extract_comments(soup, "https://blog.example/post/", None)
    assert soup.decode() == before


# --- robustness -----------------------------------------------------------------


def deeply_nested_thread(levels: int) -> str:
    opening = "".join(
        f'<li id="comment-{n}" class="comment depth-{n}"><div class="comment-content">'
        f"<p>reply {n}</p></div><ol class=\"children\">"
        for n in range(1, levels + 1)
    )
    return f'<ol class="comment-list">{opening}{"</ol></li>" * levels}</ol>'


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"\x00\xff\xfe garbage <<<>>>",
        "<li id='comment-'>x</li><div id='comment-999999999999999999999999'></div>",
        "<ol class='comment-list'><li class='comment depth-0'></li></ol>",
        "<div id='comments'><h2 class='comments-title'>99999999999999999999 Comments</h2></div>",
        "<ol class='commentlist'>" + "<li class='comment'><p>x" * 3000,
        deeply_nested_thread(400),
        "<div>" * 5000 + "<li id='comment-1'>deep</li>" + "</div>" * 5000,
    ],
)
def test_never_raises_on_garbage_or_deep_nesting(body):
    comments, info = extract_comments(parse_page(body), "not a url", None)
    assert isinstance(comments, tuple)
    assert info is not None


def test_deep_thread_keeps_parent_links():
    comments, _ = extract_comments(parse_page(deeply_nested_thread(60)), "https://b.example/", None)
    assert len(comments) == 60
    assert all(c.parent_position == c.position - 1 for c in comments[1:])


@pytest.mark.parametrize(
    "page", sorted((Path(__file__).resolve().parent.parent / "fixtures" / "pages").glob("*.html")),
    ids=lambda p: p.stem)
def test_comments_read_in_place_equal_comments_read_from_copies(
    page: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A comment with no replies, form or scripts inside is read without copying it;
    the answer must be what reading its copy gives."""
    import scraper.extract.comments as comments_module
    from scraper.extract import extract_page

    url = "https://blog.example/2020/01/05/a-post/"
    in_place = extract_page(page.read_bytes(), url)
    monkeypatch.setattr(comments_module, "holds_any", lambda scope, positions: True)
    copied = extract_page(page.read_bytes(), url)
    assert in_place.comments == copied.comments


# --- theme callbacks no class selector names (fixtures derived from each theme's source) ---
# (wp_id, parent wp_id, type, author, author URL, date as shown, ISO date, text)

THEME_THREADS = {
    "themes/avada_comments.html": [
        (4101, None, "comment", "Hannah Reyes", "https://hannah.example/",
         "March 10, 2017 at 12:20 am", "2017-03-10T00:20:00",
         "Which variety ripened first for you?"),
        (4102, 4101, "comment", "Garden Log", None,
         "March 11, 2017 at 7:05 pm", "2017-03-11T19:05:00", "Sungold, as every year."),
        (4107, None, "comment", "Paul", "http://paul.example",
         "April 2, 2017 at 9:41 am", "2017-04-02T09:41:00",
         "Mine are still green.\n\nCold spring here."),
    ],
    "themes/thesis_comments.html": [
        (None, None, "trackback", "Other blog » On reading", "https://other.example/2012/06/reading/",
         "June 20, 2012 at 8:00 am", "2012-06-20T08:00:00", ""),
        (301, None, "comment", "Ines", "https://ines.example/",
         "June 19, 2012 at 10:14 pm", "2012-06-19T22:14:00", "Agreed. I read two a year now."),
        (305, None, "comment", "Tom Baker", None,
         "June 21, 2012 at 6:02 am", "2012-06-21T06:02:00", "Two a year is also plenty."),
    ],
    "themes/classic15_comments.html": [
        (41, None, "comment", "Anna", "http://anna.example/",
         "March 5, 2006 @ 9:12 pm", "2006-03-05T21:12:00", "Good luck with the boxes!"),
        (42, None, "comment", "Bert", None,
         "March 6, 2006 @ 8:30 am", "2006-03-06T08:30:00", "Need a hand on Saturday?"),
    ],
    "themes/kubrick_comments.html": [
        (88, None, "comment", "Mara", "http://mara.example/",
         "January 3rd, 2008 at 6:40 am", "2008-01-03T06:40:00",
         "Same here, the birds start at five."),
        (90, None, "comment", "Jo", None,
         "January 4th, 2008 at 11:15 pm", "2008-01-04T23:15:00", "Not me."),
    ],
    "themes/wpdiscuz7_comments.html": [
        (7001, None, "comment", "Sofia", None,
         "January 30, 2021 7:55 pm", "2021-01-30T19:55:00", "Is the Vienna one running daily?"),
        (7002, 7001, "comment", "Rail Diary", None,
         "January 31, 2021 8:02 am", "2021-01-31T08:02:00", "Three nights a week."),
    ],
    "themes/neve_comments.html": [
        (5501, None, "comment", "Miro", "https://miro.example/",
         "May 14, 2022 at 4:20 pm", "2022-05-14T16:20:00", "Which grease did you use?"),
        (5502, 5501, "comment", "Spokes", None,
         "May 15, 2022 at 9:03 am", "2022-05-15T09:03:00", "Lithium, nothing fancy."),
    ],
    "themes/astra_comments.html": [
        (77, None, "comment", "Ole", "https://ole.example/",
         "January 8, 2023 at 9:14 pm", "2023-01-08T20:14:09Z", "What R-value do your walls have?"),
        (78, 77, "comment", "North Cabin", None,
         "January 9, 2023 at 7:30 am", "2023-01-09T06:30:00Z", "About R-30."),
    ],
    "themes/genesis_html5_comments.html": [
        (201, None, "comment", "Lena", "https://lena.example/",
         "February 3, 2019 at 8:15 am", "2019-02-03T08:15:00Z", "Feed it twice a day."),
        (202, 201, "comment", "Crumb", None,
         "February 3, 2019 at 10:40 am", "2019-02-03T10:40:00Z", "Will do, thanks."),
    ],
}


@pytest.mark.parametrize("name", sorted(THEME_THREADS))
def test_theme_callback_markup_gives_author_date_and_text_apart(name):
    comments, _info = comments_of(name)
    found = [
        (c.wp_id, c.parent_wp_id, c.type, c.author_name, c.author_url, c.date_text,
         c.published, c.text)
        for c in comments
    ]
    assert found == THEME_THREADS[name]


def test_thesis_comment_text_comes_from_the_dd_after_its_dt_header():
    comments, _info = comments_of("themes/thesis_comments.html")
    ines = next(c for c in comments if c.wp_id == 301)
    assert "June 19" not in ines.text and "Ines" not in ines.text
    assert ines.html.startswith('<div class="format_text">')


def test_a_ping_in_a_list_of_pings_is_a_trackback_not_a_comment():
    comments, _info = comments_of("themes/thesis_comments.html")
    assert [c.type for c in comments].count("trackback") == 1


def test_permalink_showing_the_comment_number_is_not_its_date():
    comments, _info = comments_of("themes/thesis_comments.html")
    assert all(c.date_text not in {"1", "2"} for c in comments)


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("themes/heading_count_de.html", 91),
        ("themes/heading_count_en.html", 808),
        ("themes/thesis_comments.html", 2),  # the comments intro, not the trackbacks intro
        ("themes/wpdiscuz7_comments.html", 2),
        ("themes/count_heading_before_area.html", 20),  # "Comments ( 20 )" over the area
        ("themes/count_heading_wpdiscuz_de.html", 56),  # "Kommentare ( 56 )" over wpDiscuz
    ],
)
def test_stated_count_from_the_heading_over_the_thread_or_the_thesis_intro(name, count):
    _comments, info = comments_of(name)
    assert info.count_shown == count


def test_comment_date_with_german_month_and_english_ordinal_keeps_its_time():
    comments, _info = comments_of("themes/german_month_english_ordinal.html")
    assert [(c.author_name, c.date_text, c.published, c.text) for c in comments] == [
        ("Greta", "Juni 20th, 2018 um 7:45", "2018-06-20T07:45:00", "Meine auch!")
    ]


# Template-derived fixtures of comment markup no selector names (issue 15): the author is
# found by structure, the date where the theme writes it, the thread by nesting.
STRUCTURAL_THREADS = {
    "themes/reply_label_author_comments.html": (
        "https://plot9.example/2021/01/09/winter-garden/",
        [(51, None, "Mara Linde", "January 9, 2021 at 4:12 pm", "Did the chard survive as well?"),
         (52, 51, "Plot 9", "January 10, 2021 at 8:30 am", "Only under fleece.")],
    ),
    "themes/buzzblog_comments.html": (
        "https://lichtblick.example/im-test-haarseife/",
        [(901, None, "Renate", "März 7, 2018", "Wie lange hält so ein Stück?"),
         (902, 901, "lichtblick", "März 8, 2018", "Bei mir gut sechs Wochen.")],
    ),
    "themes/widget_lost_end_tag.html": (
        "https://kuechenbuch.example/linsensuppe.htm",
        [(71, None, "Jana", "8. Dezember 2010 um 10:56", "Mit Zitrone schmeckt sie noch besser."),
         (72, None, "Tom", "9. Dezember 2010 um 12:59", "Gekocht, gegessen, gut.")],
    ),
}


@pytest.mark.parametrize("name", sorted(STRUCTURAL_THREADS))
def test_unnamed_author_nodes_bare_dates_and_broken_widgets_still_give_the_thread(name):
    """Author by structure, the date where the theme writes it, the text without the
    header's bare words (a date with no element, "Kommentar von", a comment number)."""
    url, expected = STRUCTURAL_THREADS[name]
    page = extract_page((PAGES / name).read_bytes(), url)
    got = [(c.wp_id, c.parent_wp_id, c.author_name, c.date_text, c.text) for c in page.comments]
    assert got == expected


def test_dotted_day_month_comment_dates_keep_their_day_with_or_without_an_author_link():
    comments, _info = comments_of(
        "themes/dotted_comment_dates.html", "https://netzrecht.example/2011/07/klarnamen.html")
    assert [(c.author_name, c.date_text, c.published) for c in comments] == [
        ("Mira Lang", "17.07, 2011 @ 13:04", "2011-07-17T13:04:00"),
        ("Jan Dark", "18.07, 2011 @ 16:41", "2011-07-18T16:41:00"),
    ]
