"""Crawl the real WordPress fixture in every Debian-shipped theme and compare the archive
with WordPress's own database (the truth export of tests/wordpress)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scraper.model.urls import blog_id_for
from tests.crawling import run_scrapy_crawl
from tests.reader_text import reader_text
from tests.wordpress.pytest_fixtures import WORDPRESS_THEMES
from tests.wordpress.wpsite import WordPressStack

pytestmark = pytest.mark.wordpress

# Page furniture that must never end up in a body or a comment.
FURNITURE = (
    "Leave a Reply", "Leave a Comment", "Post Comment", "Your email address will not be published",
    "Required fields are marked", "Log in to Reply", "Share this:", "Like this:",
    "You are commenting using", "Cancel reply", "Save my name, email, and website",
)


@dataclass
class Archived:
    theme: str
    archive: Path
    truth: dict[str, Any]
    blog_id: str

    def rows(self, sql: str, *params: Any) -> list[sqlite3.Row]:
        with sqlite3.connect(self.archive) as conn:
            conn.row_factory = sqlite3.Row
            return conn.execute(sql, params).fetchall()


@pytest.fixture(scope="module", params=WORDPRESS_THEMES)
def archived(request: pytest.FixtureRequest, wordpress_stack: WordPressStack,
             tmp_path_factory: pytest.TempPathFactory) -> Archived:
    theme = request.param
    site = wordpress_stack.start_site(theme, None)
    truth = wordpress_stack.truth(site)
    archive = tmp_path_factory.mktemp(theme) / "archive.db"
    result = run_scrapy_crawl(site.home_url, archive)
    assert result.returncode == 0, result.stderr[-4000:]
    return Archived(theme, archive, truth, blog_id_for(site.home_url))


_norm = reader_text


def _assert_no_differences(differences: list[str]) -> None:
    assert not differences, f"{len(differences)} differences:\n" + "\n".join(differences[:40])


def test_every_public_post_is_archived_and_nothing_else(archived: Archived) -> None:
    expected = {p["id"] for p in archived.truth["posts"]}
    got = {r["wp_id"] for r in archived.rows("select wp_id from posts")}
    assert got - expected == set(), "archived posts that are not public"
    assert expected - got == set(), "public posts missing from the archive"


def test_post_fields_match_wordpress(archived: Archived) -> None:
    posts = {r["wp_id"]: r for r in archived.rows(
        "select posts.*, authors.name as author_name from posts "
        "left join authors on authors.id = posts.author_id")}
    differences = []
    for truth in archived.truth["posts"]:
        row = posts.get(truth["id"])
        if row is None:
            continue
        where = f"post {truth['id']} {truth['permalink']}"
        if _norm(row["title"]) != _norm(truth["title"]):
            differences.append(f"{where}: title {row['title']!r} != {truth['title']!r}")
        if row["url"] != truth["permalink"]:
            differences.append(f"{where}: url {row['url']!r}")
        if row["published"] != truth["date_gmt"].replace(" ", "T") + "Z":
            differences.append(f"{where}: published {row['published']!r} vs {truth['date_gmt']}")
        if (row["published_local"] or "")[:19] != truth["date"].replace(" ", "T"):
            differences.append(f"{where}: local {row['published_local']!r} vs {truth['date']}")
        if _norm(row["author_name"]) != _norm(truth["author"]["display_name"]):
            differences.append(f"{where}: author {row['author_name']!r}")
        if not truth["password_protected"] and row["word_count"] < 20:
            differences.append(f"{where}: body has only {row['word_count']} words")
        if truth["featured_image"] and not row["featured_image_url"]:
            differences.append(f"{where}: featured image missing")
    _assert_no_differences(differences)


def test_categories_and_tags_match_wordpress(archived: Archived) -> None:
    differences = []
    for truth in archived.truth["posts"]:
        got = {(r["taxonomy"], _norm(r["name"])) for r in archived.rows(
            "select terms.taxonomy, terms.name from post_terms join terms on terms.id = "
            "post_terms.term_id join posts on posts.id = post_terms.post_id where posts.wp_id = ?",
            truth["id"])}
        expected = {("category", _norm(t["name"])) for t in truth["categories"]} | {
            ("tag", _norm(t["name"])) for t in truth["tags"]}
        if got != expected:
            differences.append(f"post {truth['id']}: terms missing {expected - got}, "
                               f"extra {got - expected}")
    _assert_no_differences(differences)


def test_visible_credits_are_archived_with_name_and_link(archived: Archived) -> None:
    differences = []
    for truth in archived.truth["posts"]:
        got = [(_norm(r["text"]).casefold(), r["name"], r["url"]) for r in archived.rows(
            "select credits.* from credits join posts on posts.id = credits.post_id "
            "where posts.wp_id = ? order by position", truth["id"])]
        for credit in truth["credits"]:
            if credit["place"] == "featured-image-caption" and archived.theme != "twentytwentyone":
                continue  # block themes do not print the featured image's caption
            text = _norm(credit["text"]).casefold()
            match = [g for g in got if text in g[0] or g[0] in text]
            if not match:
                differences.append(f"post {truth['id']}: credit {credit['text']!r} not found "
                                   f"(got {[g[0] for g in got]})")
            elif _norm(match[0][1]) != _norm(credit["name"]):
                differences.append(f"post {truth['id']}: credit name {match[0][1]!r} "
                                   f"!= {credit['name']!r}")
            elif credit.get("url") and match[0][2] != credit["url"]:
                differences.append(f"post {truth['id']}: credit link {match[0][2]!r} "
                                   f"!= {credit['url']!r}")
        expected_count = len([c for c in truth["credits"] if archived.theme == "twentytwentyone"
                              or c["place"] != "featured-image-caption"])
        if len(got) > expected_count:
            differences.append(f"post {truth['id']}: {len(got)} credits archived, "
                               f"{expected_count} seeded: {got}")
    _assert_no_differences(differences)


def test_every_approved_comment_is_archived_with_its_parent(archived: Archived) -> None:
    rows = {r["wp_id"]: r for r in archived.rows(
        "select comments.*, posts.wp_id as post_wp_id from comments "
        "join posts on posts.id = comments.post_id")}
    expected = {c["id"]: c for c in archived.truth["comments"]}
    assert set(rows) - set(expected) == set(), "archived comments that are not public"
    differences = [f"comment {i} on post {c['post_id']} ({c['link']}) missing"
                   for i, c in expected.items() if i not in rows]
    for comment_id, truth in expected.items():
        row = rows.get(comment_id)
        if row is None:
            continue
        where = f"comment {comment_id} on post {truth['post_id']}"
        parent = f"{archived.blog_id}/#comment-{truth['parent']}" if truth["parent"] else None
        if row["parent_id"] != parent:
            differences.append(f"{where}: parent {row['parent_id']!r} != {parent!r}")
        if row["post_wp_id"] != truth["post_id"]:
            differences.append(f"{where}: on post {row['post_wp_id']}")
        if row["type"] != truth["type"]:
            differences.append(f"{where}: type {row['type']!r} != {truth['type']!r}")
        if truth["type"] == "comment" and _norm(row["author_name"]) != _norm(truth["author"]):
            differences.append(f"{where}: author {row['author_name']!r} != {truth['author']!r}")
        # Classic themes print pingbacks and trackbacks without any date: nothing to archive.
        undated_ping = truth["type"] != "comment" and row["published"] is None
        if not undated_ping and row["published"] not in (
                truth["date_gmt"].replace(" ", "T") + "Z", truth["date"].replace(" ", "T")):
            differences.append(f"{where}: date {row['published']!r} vs {truth['date_gmt']}")
        if truth["type"] == "comment" and row["depth"] != truth["depth"]:
            differences.append(f"{where}: depth {row['depth']} != {truth['depth']}")
    _assert_no_differences(differences)


def test_comment_counts_per_post_match_wordpress(archived: Archived) -> None:
    differences = []
    for truth in archived.truth["posts"]:
        rows = archived.rows("select comments_archived from posts where wp_id = ?", truth["id"])
        if rows and rows[0]["comments_archived"] != truth["comment_count"] \
                and not truth["password_protected"]:
            differences.append(f"post {truth['id']}: {rows[0]['comments_archived']} comments "
                               f"archived, WordPress has {truth['comment_count']}")
    _assert_no_differences(differences)


def test_nothing_non_public_is_archived(archived: Archived) -> None:
    markers = [item["marker"].casefold() for kind in ("posts", "comments")
               for item in archived.truth["non_public"][kind]]
    assert markers
    with sqlite3.connect(archived.archive) as conn:
        tables = [r[0] for r in conn.execute(
            "select name from sqlite_master where type = 'table' and name not like '%_fts%'")]
        leaks = []
        for table in tables:
            for row in conn.execute(f"select * from [{table}]"):
                cells = " ".join(str(c) for c in row if isinstance(c, str)).casefold()
                leaks += [f"{table}: {m}" for m in markers if m in cells]
    assert leaks == []


def test_no_page_furniture_in_bodies_or_comments(archived: Archived) -> None:
    found = []
    for table, column in (("posts", "body_text"), ("posts", "body_html"),
                          ("comments", "text"), ("comments", "html")):
        for row in archived.rows(f"select id, [{column}] as value from {table}"):
            found += [f"{row['id']} {column}: {phrase!r}" for phrase in FURNITURE
                      if phrase.casefold() in (row["value"] or "").casefold()]
    assert found == []


def test_the_seed_like_post_comes_out_exactly_right(archived: Archived) -> None:
    truth = next(p for p in archived.truth["posts"] if p["title"] == "Her (2013)")
    (post,) = archived.rows("select * from posts where wp_id = ?", truth["id"])
    paragraphs = [p for p in post["body_text"].split("\n\n") if p.strip()]
    assert len(paragraphs) == 5, paragraphs
    assert "hai-fuh-ku" not in post["body_text"]
    (credit,) = archived.rows("select * from credits where post_id = ?", post["id"])
    assert (credit["text"], credit["name"]) == ("poster designed by hai-fuh-ku", "hai-fuh-ku")
    comments = archived.rows("select * from comments where post_id = ?", post["id"])
    assert len(comments) == truth["comment_count"] == 1
    assert comments[0]["parent_id"] is None


def test_crawl_recorded_no_errors_and_its_counts(archived: Archived) -> None:
    (crawl,) = archived.rows("select * from crawls")
    assert crawl["status"] == "finished"
    assert crawl["errors"] == 0, archived.rows("select url, reason from fetch_errors")
    assert crawl["posts"] == len(archived.truth["posts"])
    assert crawl["comments"] == len(archived.truth["comments"])
