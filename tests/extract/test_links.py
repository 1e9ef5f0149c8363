"""What the spider follows: posts on listings, the next archive page, comment pages."""

from __future__ import annotations

from pathlib import Path

from scraper.extract.links import comment_page_urls, next_archive_page, post_links
from scraper.extract.parse import parse_page

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"


def page(name: str):
    return parse_page((PAGES / name).read_bytes())


def test_listing_gives_entry_title_links_resolved_and_without_fragments():
    links = post_links(page("archive_listing.html"), "https://smallblog.example/category/books/page/2/")
    assert links == (
        "https://smallblog.example/2023/05/reading-the-garden/",
        "https://smallblog.example/2023/04/winter-reading/",
        "https://smallblog.example/2023/03/an-essay/",
    )


def test_listing_ignores_links_in_post_text_sidebars_and_other_sites():
    links = post_links(page("archive_listing.html"), "https://smallblog.example/category/books/page/2/")
    assert "https://elsewhere.example/a-post/" not in links
    assert "https://smallblog.example/2023/06/newest/" not in links


def test_block_theme_post_titles_are_post_links():
    links = post_links(page("block_archive.html"), "https://blockblog.example/")
    assert links == (
        "https://blockblog.example/2024/03/10/hallo-welt/",
        "https://blockblog.example/2024/02/01/zweiter-beitrag/",
    )


def test_plain_permalinks_are_post_links():
    links = post_links(page("plain_permalinks_archive.html"), "http://oldblog.example/")
    assert links == ("http://oldblog.example/?p=12", "http://oldblog.example/?p=11")


def test_next_archive_page_is_the_nearest_older_page():
    url = "https://smallblog.example/category/books/page/2/"
    assert next_archive_page(page("archive_listing.html"), url) == (
        "https://smallblog.example/category/books/page/3/"
    )


def test_block_theme_query_pagination_next_is_resolved():
    assert next_archive_page(page("block_archive.html"), "https://blockblog.example/") == (
        "https://blockblog.example/page/2/"
    )


def test_older_posts_link_with_paged_query_is_the_next_page():
    assert next_archive_page(page("plain_permalinks_archive.html"), "http://oldblog.example/") == (
        "http://oldblog.example/?paged=2"
    )


def test_last_archive_page_has_no_next_page():
    url = "https://smallblog.example/category/books/page/4/"
    assert next_archive_page(page("archive_listing.html"), url) is None


def test_next_post_link_on_a_single_post_is_not_an_archive_page():
    url = "https://smallblog.example/2023/04/winter-reading/"
    assert next_archive_page(page("single_post_navigation.html"), url) is None
    assert post_links(page("single_post_navigation.html"), url) == ()


def test_comment_pages_are_listed_without_replytocom_or_the_current_page():
    url = "https://kitchen.example/caramels/comment-page-2/"
    assert comment_page_urls(page("paginated_comments.html"), url) == (
        "https://kitchen.example/caramels/comment-page-1/",
        "https://kitchen.example/caramels/comment-page-3/",
    )


def test_links_never_raise_on_garbage():
    soup = parse_page(b"<a href='http://[bad'>x</a><h2 class='entry-title'><a href='::'>y</a></h2>")
    assert post_links(soup, "not a url") == ()
    assert next_archive_page(soup, "") is None
    assert comment_page_urls(soup, "") == ()
