"""REST API and WordPress.com API JSON → records (recorded from the WordPress 6.1 fixture)."""

from __future__ import annotations

from scraper.extract import api
from scraper.model.records import BlogInfo
from tests.crawl.discovery.fixtures import read_bytes, read_json

ORIGIN = "http://127.0.0.1:18401"


def test_listing_fields_give_ids_links_and_utc_dates():
    posts = api.parse_posts(read_json("rest_posts_listing.json"))
    assert len(posts) == 5
    assert posts[0].wp_id == 110
    assert posts[0].link == f"{ORIGIN}/2024/11/16/ten-years-of-reviews-what-we-got-wrong/"
    assert posts[0].published and posts[0].published.endswith("Z")
    assert all(p.link.startswith(ORIGIN + "/") for p in posts)


def test_full_posts_keep_title_text_terms_and_content():
    posts = api.parse_posts(read_json("rest_posts_full.json"))
    assert len(posts) == 3
    post = posts[0]
    assert post.title and "&#" not in post.title
    assert post.author_id is not None and post.category_ids
    assert "<p" in post.content_html


def test_listing_reads_the_totals_from_headers():
    listing = api.listing(api.parse_posts(read_json("rest_posts_listing.json")), b"52", b"11")
    assert (listing.total, listing.total_pages, len(listing.items)) == (52, 11, 5)
    assert api.listing((), None, b"x").total_pages is None


def test_disabled_or_missing_api_means_fall_back():
    assert api.rest_unavailable(403, read_bytes("rest_disabled.json")) == "HTTP 403 (rest_disabled)"
    assert api.rest_unavailable(200, read_bytes("rest_disabled.json")) == "rest_disabled"
    assert api.rest_unavailable(401, read_bytes("rest_login_required.json")).startswith("HTTP 401")
    assert api.rest_unavailable(404, b"<html>Not found</html>") == "HTTP 404"
    assert "not a JSON list" in api.rest_unavailable(200, b"<html>home</html>", "text/html")
    assert api.rest_unavailable(200, read_bytes("rest_posts_listing.json")) is None


def test_rest_roots_and_urls_for_both_root_styles():
    assert api.rest_root_from_link_header(
        b'<http://b.example/wp-json/>; rel="https://api.w.org/", <http://b.example/?p=5>; '
        b'rel="shortlink"') == "http://b.example/wp-json/"
    assert api.rest_root_candidates("http://b.example/") == (
        "http://b.example/wp-json/", "http://b.example/?rest_route=/")
    assert api.rest_url("http://b.example/wp-json/", "wp/v2/posts", {"page": 2}) == (
        "http://b.example/wp-json/wp/v2/posts?page=2")
    assert api.rest_url("http://b.example/?rest_route=/", "wp/v2/posts", {"page": 2}) == (
        "http://b.example/?rest_route=/wp/v2/posts&page=2")


def test_comments_are_threaded_oldest_first():
    comments = api.parse_comments(read_json("rest_comments_post6.json"))
    records = api.comment_records(comments)
    by_id = {c.wp_id: c for c in records}
    assert [c.position for c in records] == list(range(len(records)))
    assert by_id[3].parent_wp_id == 2 and by_id[3].depth == 2
    assert by_id[3].parent_position == by_id[2].position
    assert by_id[2].depth == 1 and by_id[2].text and by_id[2].published.endswith("Z")


def test_users_and_terms():
    users = api.parse_users(read_json("rest_users.json"))
    assert {u.slug for u in users} >= {"projectionist", "margot"}
    categories = api.parse_terms(read_json("rest_categories.json"), "category")
    tags = api.parse_terms(read_json("rest_tags.json"), "tag")
    assert all(t.taxonomy == "category" for t in categories) and len(tags) > 50
    assert any("é" in t.name for t in categories)  # entities decoded


def test_api_only_page_extraction_is_the_same_kind_of_record():
    post = api.parse_posts(read_json("rest_posts_full.json"))[0]
    users = {u.wp_id: u for u in api.parse_users(read_json("rest_users.json"))}
    terms = {t.wp_id: t for t in (*api.parse_terms(read_json("rest_categories.json"), "category"),
                                  *api.parse_terms(read_json("rest_tags.json"), "tag"))}
    blog = BlogInfo(is_wordpress=True, reason="REST API", home_url=ORIGIN + "/", language="en-US")
    extraction = api.page_extraction_from_api(post, blog, users, terms, [])
    assert extraction.is_post_page and extraction.post is not None
    record = extraction.post
    assert record.wp_id == post.wp_id and record.url == post.link
    assert record.author is not None and record.author.name == users[post.author_id].name
    assert {t.taxonomy for t in record.terms} == {"category", "tag"}
    assert record.body_text and record.word_count > 20


def test_wordpress_com_pages_and_handles():
    first = api.parse_wpcom_posts(read_json("wpcom_posts_page1.json"))
    assert first.found == 3 and len(first.items) == 2
    assert first.next_page_handle == "value=2013-12-28T18%3A40%3A00%2B00%3A00&id=2037"
    assert first.items[0].comment_count == 12
    assert first.items[0].published == "2014-01-10T21:14:00Z"
    last = api.parse_wpcom_posts(read_json("wpcom_posts_page2.json"))
    assert last.next_page_handle is None and last.items[0].published == "2013-11-02T09:00:00Z"
    assert api.parse_wpcom_posts(read_json("wpcom_unknown_blog.json")).items == ()


def test_wordpress_com_urls():
    assert api.is_wordpress_com_host("https://cinephilenotebook.wordpress.com/")
    assert not api.is_wordpress_com_host("https://films.example/")
    assert api.wpcom_site("https://cinephilenotebook.wordpress.com/") == (
        "cinephilenotebook.wordpress.com")
    url = api.wpcom_posts_url("https://public-api.wordpress.com/rest/v1.1",
                              "cinephilenotebook.wordpress.com", "value=x&id=2")
    assert url.startswith("https://public-api.wordpress.com/rest/v1.1/sites/"
                          "cinephilenotebook.wordpress.com/posts/?number=100")
    assert "page_handle=value%3Dx%26id%3D2" in url
