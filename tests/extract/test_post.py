from __future__ import annotations

import copy
from pathlib import Path

import pytest

from scraper.extract import extract_page
from scraper.extract.parse import parse_page
from scraper.extract.post import _short_texts, extract_post
from tests.extract.pages import (
    BLOCK_URL,
    BLOGGER_URL,
    CLASSIC_URL,
    HER_URL,
    PAGES,
    load,
)
from tests.faults.server import post_html

POSTER = "https://cinephilenotebook.files.wordpress.com/2014/01/her-poster.jpg"


@pytest.fixture(scope="module")
def her():
    post = extract_post(load("wpcom-her-2013.html"), HER_URL)
    assert post is not None
    return post


def test_her_title_is_the_post_heading_not_the_html_title(her):
    assert her.title == "Her (2013)"


def test_her_body_is_exactly_the_five_paragraphs(her):
    paragraphs = her.body_text.split("\n\n")
    assert len(paragraphs) == 5
    assert paragraphs[0].startswith("Superficially, Her is striking")
    assert paragraphs[-1].endswith("the fundamentals will never change.")
    # The poster stays in the HTML as an image paragraph; it adds no text.
    assert her.body_html.count("<p>") == 6
    assert her.body_html.startswith('<p><a href="https://cinephilenotebook.files.wordpress.com')


def test_her_body_keeps_no_form_share_like_related_or_credit_text(her):
    for furniture in (
        "Leave a Reply",
        "You are commenting",
        "Fill in your details",
        "Connecting to",
        "Share this",
        "Like this",
        "Related",
        "About these ads",
        "Inside Llewyn Davis",
        "poster designed by",
        "I think my favorite",
    ):
        assert furniture not in her.body_text
        assert furniture not in her.body_html


def test_her_metadata(her):
    assert her.wp_id == 482
    assert her.canonical_url == HER_URL
    assert her.published == "2014-01-12T17:04:21Z"
    assert her.modified == "2014-01-12T17:09:55Z"
    assert her.author is not None
    assert her.author.name == "cinephilenotebook"
    assert her.author.slug == "cinephilenotebook"
    assert her.language == "en"


def test_her_terms_come_from_the_post_footer_not_the_sidebar_or_related_posts(her):
    categories = [t.name for t in her.terms if t.taxonomy == "category"]
    tags = [t.name for t in her.terms if t.taxonomy == "tag"]
    assert categories == ["Reviews"]
    assert tags == ["Joaquin Phoenix", "Scarlett Johansson", "Spike Jonze"]


def test_her_poster_is_the_featured_and_only_body_image(her):
    assert her.featured_image is not None
    assert her.featured_image.url == POSTER
    assert [image.url.split("?")[0] for image in her.images] == [POSTER]
    assert her.images[0].width == 600 and her.images[0].height == 889


def test_her_word_count_and_excerpt(her):
    assert her.word_count == len(her.body_text.split())
    assert her.excerpt is not None and her.excerpt.startswith("Superficially")


def test_extraction_does_not_change_the_shared_soup():
    soup = load("wpcom-her-2013.html")
    before = str(soup)
    extract_post(soup, HER_URL)
    assert str(soup) == before


def test_classic_theme_date_shown_on_the_page_wins_over_utc_day():
    post = extract_post(load("classic-caption-credits.html"), CLASSIC_URL)
    assert post is not None
    # 00:30 at +02:00 is the 14th in UTC, but the page shows the 15th: both are kept.
    assert post.published == "2023-05-14T22:30:00Z"
    assert post.published_local is not None
    assert post.published_local.startswith("2023-05-15T00:30:00")
    assert post.published_text == "May 15, 2023"


def test_classic_theme_byline_terms_and_relative_image_urls():
    post = extract_post(load("classic-caption-credits.html"), CLASSIC_URL)
    assert post is not None
    assert post.title == "A Week of Trams in Lisbon"
    assert post.author is not None and post.author.name == "Joana Silva"
    assert [t.name for t in post.terms if t.taxonomy == "category"] == ["Europe", "Portugal"]
    assert [t.name for t in post.terms if t.taxonomy == "tag"] == ["Lisbon", "Trams"]
    assert post.images[1].url == (
        "https://slowrails.example.org/wp-content/uploads/2023/05/elevador-600x400.jpg"
    )
    assert "her own" not in post.body_text  # the author-bio box is furniture
    assert "Pedro" not in post.body_text  # comments are not the body


def test_block_theme_post_fields():
    post = extract_post(load("block-theme-credits.html"), BLOCK_URL)
    assert post is not None
    assert post.title == "Nachtzug nach Lissabon – Filmkritik"
    assert post.author is not None and post.author.name == "Katrin Vogt"
    assert post.published == "2013-03-07T18:20:00Z"
    assert [t.name for t in post.terms if t.taxonomy == "tag"] == ["Bille August", "Jeremy Irons"]
    assert post.body_text.startswith("Bille Augusts Verfilmung")
    assert post.body_text.endswith("das Weggehen.")
    assert "Schreibe einen Kommentar" not in post.body_text


def test_non_wordpress_page_has_no_post():
    assert extract_post(load("blogger-photo-caption.html"), BLOGGER_URL) is None


def test_archive_listing_is_not_a_post_page():
    html = (
        '<html><head><meta name="generator" content="WordPress 6.4"></head>'
        '<body class="archive category category-news">'
        '<article class="post-1 post hentry"><h2 class="entry-title">One</h2></article>'
        '<article class="post-2 post hentry"><h2 class="entry-title">Two</h2></article>'
        "</body></html>"
    )
    from scraper.extract.parse import parse_page

    assert extract_post(parse_page(html), "https://example.org/category/news/") is None


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"\x00\xff\xfe garbage \x89PNG",
        "<html><body class='single postid-3'>" + "<div>" * 3000 + "x" + "</div>" * 3000,
        "<html><body class='single postid-3'><article class='post-3'></article></body></html>",
        "<p>Photo: </p>",
    ],
)
def test_never_raises_on_bad_input(body):
    from scraper.extract.parse import parse_page

    soup = parse_page(body)
    extract_post(copy.copy(soup), "https://example.org/")


TTO_URL = "https://movingpictures.example.net/2022/08/06/nope-2022/"
PROTECTED_URL = "https://leinwandnotizen.example.de/2024/03/09/nur-fuer-mitglieder/"


def test_author_box_link_text_is_never_the_author_name():
    # twentytwentyone prints no byline when the author has a bio; the bio's
    # link reads "View all of X's posts.", its heading "By X".
    post = extract_post(load("twentytwentyone-author-bio-credits.html"), TTO_URL)
    assert post is not None and post.author is not None
    assert post.author.name == "Tomás Ferreira"
    assert post.author.slug == "tomas"


def test_trailing_credits_heading_goes_with_the_credit_lines():
    post = extract_post(load("twentytwentyone-author-bio-credits.html"), TTO_URL)
    assert post is not None
    assert post.body_text.endswith("the price of the perfect shot.")
    assert "Key art" not in post.body_text


def test_password_protected_post_has_bare_title_and_no_body():
    post = extract_post(load("block-theme-password-protected.html"), PROTECTED_URL)
    assert post is not None
    assert post.title == "Nur für Mitglieder: unser Oscar-Tipp (2024)"  # not "Geschützt: …"
    assert post.body_text == "" and post.body_html == ""
    assert post.word_count == 0


@pytest.mark.parametrize("page", [*sorted(PAGES.glob("*.html")),
                                  PAGES.parent / "serialize" / "edge_cases.html"],
                         ids=lambda p: p.stem)
def test_short_texts_are_get_text_of_every_element_under_the_limit(page: Path) -> None:
    soup = parse_page(page.read_bytes())
    tags = soup.body.find_all(True) if soup.body else []
    texts = _short_texts(tags, 40)
    for tag in tags:
        text = tag.get_text()
        assert texts.get(id(tag)) == (text if len(text) < 40 else None), tag.name


# --- single posts recognised by more than body classes ------------------------------------

THEME_POST_URL = "https://lake.example/ice-out/"


@pytest.mark.parametrize(
    "name",
    [
        "themes/bare_body_rest.html",
        "themes/bare_body_shortlink.html",
        "themes/bare_body_published_time.html",
        "themes/thesis_comments.html",
        "themes/kubrick_comments.html",
        "themes/classic15_comments.html",
    ],
)
def test_post_on_a_bare_body_is_recognised_by_its_head_links_or_its_comments(name):
    post = extract_post(load(name), THEME_POST_URL)
    assert post is not None
    assert post.title and post.body_text


@pytest.mark.parametrize(
    "name", ["themes/bare_listing_control.html", "themes/drupal_comments_control.html"]
)
def test_listing_on_a_bare_body_and_a_drupal_article_are_not_wordpress_posts(name):
    assert extract_post(load(name), THEME_POST_URL) is None


def test_affiliate_link_tag_parameter_is_no_term_but_the_blogs_own_tag_query_is():
    post = extract_post(load("themes/affiliate_tag_link.html"), "https://birds.example/field-guide/")
    assert post is not None
    assert [(t.taxonomy, t.name) for t in post.terms] == [("tag", "books"), ("tag", "owls")]


def test_recipe_card_is_the_body_not_the_comment_list_after_it():
    post = extract_post(load("themes/recipe_card_then_comments.html"), "https://flourdays.example/rye/")
    assert post is not None
    assert post.body_text.startswith("A dense, sour rye")
    assert post.body_text.endswith("Let it cool for a day before cutting.")
    assert "Karl" not in post.body_text and "59 Comments" not in post.body_text


def test_theme_meta_lines_and_related_posts_leave_the_body_edges():
    post = extract_post(load("themes/body_meta_lines.html"), "https://orchard.example/pruning/")
    assert post is not None
    assert post.body_text == (
        "Prune apple trees while they sleep, on a dry day.\n\nCut back to an outward-facing bud."
    )


def test_german_month_with_english_ordinal_is_the_published_date():
    post = extract_post(
        load("themes/german_month_english_ordinal.html"), "https://gartenbuch.example/sommer/"
    )
    assert post is not None
    assert (post.published_text, post.published) == ("Juni 19th, 2018", "2018-06-19T00:00:00")


def test_utc_only_time_gets_the_blogs_local_date_from_the_same_moment_in_its_meta():
    post = extract_post(load("themes/utc_time_local_meta.html"), "https://nachtbus.example/bus/")
    assert post is not None
    assert post.published == "2019-06-19T23:30:00Z"
    assert post.published_local == "2019-06-20T01:30:00+02:00"


def test_title_is_the_heading_the_document_title_names_not_a_recommended_box():
    post = extract_post(load("themes/recommended_box_title.html"), "https://slowmiles.example/x/")
    assert post is not None
    assert post.title == "Why we stopped flying"


def test_plain_text_byline_under_the_title_gives_author_and_date():
    post = extract_post(load("themes/plain_byline.html"), "https://potluck.example/soup/")
    assert post is not None
    assert post.author is not None and post.author.name == "Nora Vance"
    assert post.published == "2021-01-04T00:00:00"


def test_thesis_headline_meta_names_the_author_without_a_link():
    post = extract_post(load("themes/thesis_comments.html"), "https://margins.example/slowly/")
    assert post is not None
    assert post.author is not None and post.author.name == "Marta Kling"


def test_a_canonical_link_to_another_host_is_not_the_posts_url():
    url = "http://blog.example/2021/10/01/one/"
    foreign = post_html(1001, "One", "<p>Body.</p>",
                        canonical="http://elsewhere.example/2021/10/01/one/").encode()
    own = post_html(1001, "One", "<p>Body.</p>",
                    canonical="https://www.blog.example/2021/10/01/one/").encode()
    assert extract_page(foreign, url, "text/html").post.canonical_url is None
    assert extract_page(own, url, "text/html").post.canonical_url == \
        "https://www.blog.example/2021/10/01/one/"


def test_a_layout_class_on_the_body_does_not_hide_the_post():
    """body class="… sidebar" names the layout; the post inside is still the post."""
    page = extract_page(
        (PAGES / "themes" / "body_sidebar_class.html").read_bytes(),
        "https://randnotizen.example/kein-frieden/",
    )
    assert page.is_post_page and page.post is not None
    assert page.post.title == "Kein Frieden"
    assert page.post.body_text == "Ein Abzug ist noch kein Frieden.\n\nDarüber morgen mehr."


def test_a_document_title_loses_the_blog_name_when_a_heading_shows_the_post_alone():
    """No og:site_name, no title class: "Post | Blog" is cut where a page heading agrees."""
    page = extract_page(
        (PAGES / "themes" / "title_site_suffix.html").read_bytes(),
        "https://kuechenbuch.example/linsensuppe-mit-zitrone/",
    )
    assert page.post is not None
    assert page.post.title == "Linsensuppe mit Zitrone"


# Post metadata from theme meta lines (issue 15): each fixture follows one theme's template.
META_LINE_DATES = [
    ("themes/hueman_post_byline.html", "2017-06-29", "Tobi"),
    ("themes/avada_meta_info_updated.html", "2018-06-19", "Kanalnotizen"),
    ("themes/sidebar_id_column.html", "2020-04-09", "Heike Saal"),
    ("themes/mh_author_box_count.html", "2020-01-04", "Lena Holm"),
    ("themes/meta_line_after_title.html", "2019-04-19", None),
]


@pytest.mark.parametrize(("name", "day", "author"), META_LINE_DATES)
def test_published_date_and_author_come_from_the_themes_meta_line(name, day, author):
    post = extract_post(load(name), "https://blog.example/post/")
    assert post is not None
    assert (post.published_local or "")[:10] == day
    assert (post.author.name if post.author else None) == author


def test_last_updated_line_is_not_the_published_date():
    post = extract_post(load("themes/last_updated_line.html"), "https://rainbarrel.example/ten/")
    assert post is not None
    assert post.published_local == "2016-11-01T14:40:35+00:00"
    assert post.published_text is None


def test_recipe_duration_is_never_read_as_a_date():
    post = extract_post(
        load("themes/recipe_card_duration.html"), "https://backstube.example/apfelmuffins/"
    )
    assert post is not None
    assert (post.published, post.published_local) == (
        "2014-03-03T07:15:00Z", "2014-03-03T08:15:00+01:00")


def test_an_author_box_post_count_is_never_the_author():
    post = extract_post(load("themes/mh_author_box_count.html"), "https://schanzenblog.example/w/")
    assert post is not None and post.author is not None
    assert post.author.name == "Lena Holm"


def test_a_themes_designer_meta_is_no_author_and_meta_value_is_read():
    post = extract_post(load("themes/theme_author_meta.html"), "https://kochtopf.example/leber/")
    assert post is not None
    assert post.author is None
    assert post.published_local == "2010-12-08T09:12:00+01:00"
