"""The WordPress fixture itself: served pages agree with the ground truth and the database."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import lxml.html
import pytest

from tests.wordpress.pytest_fixtures import WORDPRESS_THEMES
from tests.wordpress.wpsite import WordPressSite, WordPressStack

pytestmark = pytest.mark.wordpress

MARKER = re.compile(r"nonpublic-marker", re.IGNORECASE)
BLOCK_THEMES = ("twentytwentytwo", "twentytwentythree")
ALL_DISABLED = {"theme": "twentytwentyone", "disable": "rest,sitemap,feed"}


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    # trust_env=False: never route 127.0.0.1 through a proxy from the environment.
    with httpx.Client(trust_env=False, timeout=30, follow_redirects=False) as http:
        yield http


def page_text(html: str) -> str:
    """Text content with whitespace collapsed (entities decoded), for "title in page" checks."""
    return " ".join(lxml.html.document_fromstring(html).text_content().split())


def fetch_all(client: httpx.Client, urls: Iterable[str]) -> list[httpx.Response]:
    """GETs in parallel: the PHP server runs several workers."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(client.get, urls))


def comment_ids(html: str) -> set[int]:
    return {int(i) for i in re.findall(r'id="comment-(\d+)"', html)}


def visible_credits(post: dict[str, Any], theme: str) -> list[str]:
    # Only twentytwentyone prints the featured image's caption on single posts.
    return [
        c["text"]
        for c in post["credits"]
        if c["place"] != "featured-image-caption" or theme == "twentytwentyone"
    ]


# ---------------------------------------------------------------------------- ground truth


def test_truth_covers_the_seed_plan(wordpress_truth: dict[str, Any]) -> None:
    counts = wordpress_truth["counts"]
    posts = wordpress_truth["posts"]
    assert counts["posts"] == len(posts) >= 50
    assert len(wordpress_truth["authors"]) >= 3
    assert counts["sticky_posts"] == 1
    assert counts["password_protected_posts"] == 1
    assert any(p["has_more_tag"] for p in posts)
    assert counts["posts_with_comment_pages"] >= 2
    assert max(p["comment_pages"] for p in posts) >= 3
    assert counts["max_comment_depth"] == 4
    assert all(counts["comments_by_type"][t] > 0 for t in ("comment", "pingback", "trackback"))
    assert {p["editor"] for p in posts} == {"block", "classic"}
    years = {p["date"][:4] for p in posts}
    assert {"2019", "2024"} <= years
    places = {c["place"] for p in posts for c in p["credits"]}
    assert places == {
        "closing-paragraph",
        "intro-paragraph",
        "inline",
        "figcaption",
        "caption-shortcode",
        "credits-list",
        "small-print",
        "featured-image-caption",
        "photo-figcaption",
    }
    assert any(c["url"] for p in posts for c in p["credits"])
    assert any(c["url"] is None for p in posts for c in p["credits"])
    assert any(not p["credits"] for p in posts)
    her = next(p for p in posts if p["title"] == "Her (2013)")
    assert her["credits"][0]["text"] == "poster designed by hai-fuh-ku"
    assert her["comment_count"] == 1
    assert len(re.findall(r"<p>", her["content_html"])) == 6  # five paragraphs + the credit line

    non_public = wordpress_truth["non_public"]
    assert {p["status"] for p in non_public["posts"]} >= {
        "draft",
        "pending",
        "private",
        "future",
        "trash",
    }
    assert any(p["password_protected"] for p in non_public["posts"])
    assert {c["status"] for c in non_public["comments"]} >= {
        "pending",
        "spam",
        "trash",
        "approved-on-protected-post",
        "approved-on-non-public-post",
    }
    markers = [i["marker"] for i in non_public["posts"] + non_public["comments"]]
    assert None not in markers and len(set(markers)) == len(markers)


def test_truth_agrees_with_the_database(
    wordpress_stack: WordPressStack, wordpress_truth: dict[str, Any]
) -> None:
    public = "p.post_type = 'post' AND p.post_status = 'publish' AND p.post_password = ''"
    [(approved,)] = wordpress_stack.sql(
        "SELECT COUNT(*) FROM wp_comments c JOIN wp_posts p ON p.ID = c.comment_post_ID"
        f" WHERE c.comment_approved = '1' AND {public}"
    )
    assert int(approved) == len(wordpress_truth["comments"])
    [(published,)] = wordpress_stack.sql(
        "SELECT COUNT(*) FROM wp_posts WHERE post_type = 'post' AND post_status = 'publish'"
    )
    assert int(published) == len(wordpress_truth["posts"])
    per_post: dict[int, int] = {}
    for comment in wordpress_truth["comments"]:
        per_post[comment["post_id"]] = per_post.get(comment["post_id"], 0) + 1
    for post in wordpress_truth["posts"]:
        if not post["password_protected"]:
            assert post["comment_count"] == per_post.get(post["id"], 0), post["permalink"]


def test_dates_use_the_blog_timezone(wordpress_truth: dict[str, Any]) -> None:
    assert wordpress_truth["blog"]["timezone"] == "Europe/Berlin"
    offsets = {p["date_iso"][-6:] for p in wordpress_truth["posts"]}
    assert offsets == {"+01:00", "+02:00"}  # winter and summer time
    new_year = next(p for p in wordpress_truth["posts"] if p["title"] == "Drive My Car (2021)")
    assert "/2022/01/01/" in new_year["permalink"]
    assert new_year["date_gmt"] == "2021-12-31 23:30:00"


# ---------------------------------------------------------------------------- served pages


@pytest.mark.parametrize("wordpress_site", WORDPRESS_THEMES, indirect=True)
def test_home_page(
    client: httpx.Client, wordpress_site: WordPressSite, wordpress_truth: dict[str, Any]
) -> None:
    response = client.get(wordpress_site.home_url)
    assert response.status_code == 200
    text = page_text(response.text)
    assert wordpress_truth["blog"]["name"] in text
    posts = wordpress_truth["posts"]
    sticky = [p for p in posts if p["sticky"]]
    newest = sorted(posts, key=lambda p: p["date_gmt"], reverse=True)[:10]
    for post in sticky + newest:  # WordPress adds sticky posts on top of page 1
        assert post["title"] in text, post["title"]
    assert not MARKER.search(response.text)


def test_every_public_post_permalink(client: httpx.Client, wordpress_truth: dict[str, Any]) -> None:
    posts = wordpress_truth["posts"]
    for post, response in zip(
        posts, fetch_all(client, [p["permalink"] for p in posts]), strict=True
    ):
        assert response.status_code == 200, post["permalink"]
        text = page_text(response.text)
        assert post["title"] in text, post["permalink"]
        for credit in visible_credits(post, "twentytwentyone"):
            assert credit in text, (post["permalink"], credit)
        if post["password_protected"]:
            assert 'name="post_password"' in response.text
        assert not MARKER.search(response.text), post["permalink"]


@pytest.mark.parametrize("wordpress_site", BLOCK_THEMES, indirect=True)
def test_block_theme_posts(
    client: httpx.Client, wordpress_site: WordPressSite, wordpress_truth: dict[str, Any]
) -> None:
    posts = wordpress_truth["posts"][::3]
    for post, response in zip(
        posts, fetch_all(client, [p["permalink"] for p in posts]), strict=True
    ):
        assert post["permalink"].startswith(wordpress_site.home_url)
        assert response.status_code == 200, post["permalink"]
        text = page_text(response.text)
        assert post["title"] in text
        for credit in visible_credits(post, wordpress_site.theme):
            assert credit in text, (post["permalink"], credit)


@pytest.mark.parametrize("wordpress_site", WORDPRESS_THEMES, indirect=True)
def test_comment_pages(
    client: httpx.Client, wordpress_site: WordPressSite, wordpress_truth: dict[str, Any]
) -> None:
    paged = [p for p in wordpress_truth["posts"] if p["comment_pages"] > 1]
    assert paged
    for post in paged:
        expected_by_page: dict[int, set[int]] = {}
        for comment in wordpress_truth["comments"]:
            if comment["post_id"] == post["id"]:
                expected_by_page.setdefault(comment["page"], set()).add(comment["id"])
        assert sorted(expected_by_page) == list(range(1, post["comment_pages"] + 1))
        pages = sorted(expected_by_page)
        urls = [f"{post['permalink']}comment-page-{page}/" for page in pages]
        for page, response in zip(pages, fetch_all(client, urls), strict=True):
            assert response.status_code == 200
            assert comment_ids(response.text) == expected_by_page[page], (post["permalink"], page)
        # default_comments_page = newest: the permalink itself shows the last page.
        last = client.get(post["permalink"])
        assert comment_ids(last.text) == expected_by_page[post["comment_pages"]]


def test_non_public_items_are_not_served(
    client: httpx.Client, wordpress_truth: dict[str, Any]
) -> None:
    for item in wordpress_truth["non_public"]["posts"]:
        if item["password_protected"]:
            response = client.get(item["pretty_url"])
            assert response.status_code == 200
            assert item["title"] in page_text(response.text)
            assert item["marker"] not in response.text
            continue
        for url in (item["url"], item["pretty_url"]):
            response = client.get(url)
            assert response.status_code == 404, (url, item["status"])
            assert not MARKER.search(response.text)
    home = wordpress_truth["blog"]["home"]
    for path in (
        "feed/",
        "comments/feed/",
        "wp-json/wp/v2/posts?per_page=100",
        "wp-json/wp/v2/comments?per_page=100",
        "wp-sitemap-posts-post-1.xml",
        "page/2/",
    ):
        response = client.get(home + path)
        assert response.status_code == 200, path
        assert not MARKER.search(response.text), path


def test_discovery_routes_enabled(client: httpx.Client, wordpress_truth: dict[str, Any]) -> None:
    endpoints = wordpress_truth["blog"]["endpoints"]
    rest = client.get(endpoints["rest_api"] + "wp/v2/posts")
    assert rest.status_code == 200
    assert len(rest.json()) == 10
    assert int(rest.headers["X-WP-Total"]) == len(wordpress_truth["posts"])
    sitemap = client.get(endpoints["sitemap"])
    assert sitemap.status_code == 200 and "wp-sitemap-posts-post-1.xml" in sitemap.text
    feed = client.get(endpoints["feed"])
    assert feed.status_code == 200 and feed.text.count("<item>") == 10
    home = client.get(wordpress_truth["blog"]["home"])
    assert 'rel="https://api.w.org/"' in home.headers["link"]
    assert "application/rss+xml" in home.text


@pytest.mark.parametrize("wordpress_site", [ALL_DISABLED], indirect=True)
def test_discovery_routes_disabled(
    client: httpx.Client, wordpress_site: WordPressSite, wordpress_truth: dict[str, Any]
) -> None:
    assert wordpress_truth["blog"]["disabled"] == ["feed", "rest", "sitemap"]
    assert set(wordpress_truth["blog"]["endpoints"].values()) == {None}
    for path in (
        "wp-json/",
        "wp-json/wp/v2/posts",
        "wp-sitemap.xml",
        "feed/",
        "comments/feed/",
        "?feed=rss2",
    ):
        assert client.get(wordpress_site.url(path)).status_code == 404, path
    home = client.get(wordpress_site.home_url)
    post = client.get(wordpress_truth["posts"][0]["permalink"])
    for response in (home, post):
        assert response.status_code == 200
        assert "api.w.org" not in response.headers.get("link", "") + response.text
        assert "application/rss+xml" not in response.text
    assert "Sitemap:" not in client.get(wordpress_site.url("robots.txt")).text


def test_media_and_assets_are_served(client: httpx.Client, wordpress_truth: dict[str, Any]) -> None:
    posts = wordpress_truth["posts"]
    featured = next(p["featured_image"] for p in posts if p["featured_image"])
    response = client.get(featured["url"])
    assert response.status_code == 200 and response.headers["content-type"] == "image/jpeg"
    body_image = next(p["body_images"][0] for p in posts if p["body_images"])
    assert client.get(body_image["url"]).status_code == 200
    home = wordpress_truth["blog"]["home"]
    assert client.get(home + "wp-content/themes/twentytwentyone/style.css").status_code == 200
    assert client.get(home + "wp-content/uploads/wparchive/avatar.png").status_code == 200
    assert client.get(home + "wp-content/uploads/nope.png").status_code == 404
