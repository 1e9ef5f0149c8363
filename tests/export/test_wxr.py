"""The WXR writer on a small archive written by the archive's own store (the real fixture
blog is in test_wxr_wordpress.py)."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from scraper.archive.reading import TermRecord, blog_content, read_only
from scraper.archive.writer import ArchiveStore
from scraper.export.wxr import category_parents, parents_first, post_name, wp_dates, write_wxr
from tests.archive.sample import BLOG, comment, page

WP = "{http://wordpress.org/export/1.2/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
STRICT = etree.XMLParser(recover=False, resolve_entities=False)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "export"


def archive_with(tmp_path: Path, body_html: str | None = None, tombstone: tuple[int, ...] = ()
                 ) -> Path:
    """The sample review with a thread (1, a reply 2 to it, 3) stored as a crawl stores it;
    the comments ``tombstone`` names then found gone."""
    path = tmp_path / "archive.db"
    store = ArchiveStore.open(path)
    crawl = store.start_crawl([BLOG], {})
    sample = page(comments=(comment(1, None, 0, "First!"), comment(2, 1, 1, "A reply."),
                            comment(3, None, 2, "Later.")))
    if body_html is not None:
        assert sample.extraction.post is not None
        post = replace(sample.extraction.post, body_html=body_html, body_text=body_html)
        sample = replace(sample, extraction=replace(sample.extraction, post=post))
    store.save_page(sample, crawl)
    store.flush()
    if tombstone:
        store.tombstone_comments(crawl, tuple(f"blog.example/#comment-{n}" for n in tombstone))
    store.close()
    return path


def export(path: Path, include_deleted: bool = False) -> etree._Element:
    out = io.StringIO()
    with read_only(path) as conn:
        write_wxr(blog_content(conn, "blog.example", include_deleted), out.write)
    return etree.fromstring(out.getvalue().encode("utf-8"), STRICT)


def test_content_holding_cdata_ends_and_control_characters_parses_strictly(
        tmp_path: Path) -> None:
    body = (FIXTURES / "body_with_cdata_end.html").read_text()
    root = export(archive_with(tmp_path, body_html=body))
    (item,) = [i for i in root.iter("item") if i.findtext(f"{WP}post_type") == "post"]
    content = item.findtext(CONTENT) or ""
    assert content.startswith(body.replace("\x0b", "").rstrip())
    assert "raw ]]> twice ]]]]> here" in content


def test_comments_keep_ids_and_parents_and_a_parent_comes_first(tmp_path: Path) -> None:
    root = export(archive_with(tmp_path))
    comments = [(c.findtext(f"{WP}comment_id"), c.findtext(f"{WP}comment_parent"),
                 c.findtext(f"{WP}comment_approved"), c.findtext(f"{WP}comment_type"))
                for c in root.iter(f"{WP}comment")]
    assert comments == [("1", "0", "1", "comment"), ("2", "1", "1", "comment"),
                        ("3", "0", "1", "comment")]


def test_tombstoned_comments_are_left_out_unless_asked_for_and_orphans_hang_at_the_top(
        tmp_path: Path) -> None:
    path = archive_with(tmp_path, tombstone=(1,))
    live = [(c.findtext(f"{WP}comment_id"), c.findtext(f"{WP}comment_parent"))
            for c in export(path).iter(f"{WP}comment")]
    assert live == [("2", "0"), ("3", "0")]
    every = [(c.findtext(f"{WP}comment_id"), c.findtext(f"{WP}comment_approved"))
             for c in export(path, include_deleted=True).iter(f"{WP}comment")]
    assert every == [("1", "trash"), ("2", "1"), ("3", "1")]


def test_credits_go_in_as_post_meta_and_back_into_the_content(tmp_path: Path) -> None:
    root = export(archive_with(tmp_path))
    (item,) = [i for i in root.iter("item") if i.findtext(f"{WP}post_type") == "post"]
    meta = {m.findtext(f"{WP}meta_key"): m.findtext(f"{WP}meta_value")
            for m in item.iter(f"{WP}postmeta")}
    credits = json.loads(meta["_wparchive_credits"])
    assert credits[0]["text"] == "poster designed by hai-fuh-ku"
    assert credits[0]["url"] == "http://hai-fuh-ku.example/"
    assert (item.findtext(CONTENT) or "").endswith(
        '<p>poster designed by <a href="http://hai-fuh-ku.example/">hai-fuh-ku</a></p>')
    # The poster's attachment id was on no page: its URL stands in for _thumbnail_id.
    assert "_thumbnail_id" not in meta
    assert meta["_wparchive_featured_image_url"] == "http://blog.example/wp-content/uploads/her.jpg"


def test_what_the_crawl_could_not_know_stays_empty(tmp_path: Path) -> None:
    root = export(archive_with(tmp_path))
    (author,) = root.iter(f"{WP}author")
    assert (author.findtext(f"{WP}author_login"), author.findtext(f"{WP}author_email"),
            author.findtext(f"{WP}author_id")) == ("ana", "", "")
    for c in root.iter(f"{WP}comment"):
        assert c.findtext(f"{WP}comment_author_email") == c.findtext(f"{WP}comment_author_IP") == ""
        # The sample states comment times in UTC only: the blog-local time is unknown.
        assert (c.findtext(f"{WP}comment_date"), c.findtext(f"{WP}comment_date_gmt")) == (
            "", "2014-01-11 10:00:00")


@pytest.mark.parametrize(("iso", "local", "expected"), [
    ("2024-09-21T19:20:00Z", "2024-09-21T21:20:00+02:00",
     ("2024-09-21 21:20:00", "2024-09-21 19:20:00")),
    ("2024-09-21T19:20:00Z", None, ("", "2024-09-21 19:20:00")),
    ("2024-09-21T21:20:00", None, ("2024-09-21 21:20:00", "")),
    ("2020-01-01T00:30:00+00:00", None, ("2020-01-01 00:30:00", "2020-01-01 00:30:00")),
    (None, None, ("", "")),
])
def test_dates_as_wordpress_stores_them_and_only_what_the_archive_states(
        iso: str | None, local: str | None, expected: tuple[str, str]) -> None:
    assert wp_dates(iso, local) == expected


def test_category_parents_come_from_the_archive_urls_and_come_first() -> None:
    def term(slug: str, path: str) -> TermRecord:
        return TermRecord(slug, "category", slug.title(), slug, f"http://b.example{path}")

    terms = [term("classics", "/category/reviews/classics/"), term("reviews", "/category/reviews/"),
             term("lists", "/?cat=7")]
    parents = category_parents(terms)
    assert parents == {"classics": "reviews"}
    assert [t.slug for t in parents_first(terms, parents)] == ["reviews", "lists", "classics"]


def test_the_slug_is_the_permalinks_last_segment() -> None:
    assert post_name("http://b.example/2019/02/23/her-2013/") == "her-2013"
    assert post_name("http://b.example/2019/02/23/%E6%98%A0%E7%94%BB/") == "%e6%98%a0%e7%94%bb"
    assert post_name("http://b.example/?p=8") == ""
