"""Records as rows: what one archived page contributes to each table."""

from __future__ import annotations

import dataclasses

from scraper import __version__
from scraper.archive.rows import PAGE_TABLES, page_rows, row_key
from scraper.model.records import Credit
from tests.archive.sample import POST_URL, comment, page

SEEN = "2026-01-01T00:00:00Z"


def test_a_post_page_gives_rows_for_every_page_table_in_foreign_key_order() -> None:
    rows = page_rows(page(comments=(comment(7, None, 0, "x"),)), "crawl-1", SEEN)
    assert tuple(rows) == PAGE_TABLES
    assert all(rows[name] for name in PAGE_TABLES), [n for n in PAGE_TABLES if not rows[n]]
    (post,) = rows["posts"]
    assert post["id"] == "blog.example/?p=42"
    assert post["url"] == POST_URL and post["year"] == 2014
    assert post["first_seen"] == post["last_seen"] == SEEN and post["crawl_id"] == "crawl-1"
    assert rows["post_versions"][0]["content_hash"] == post["content_hash"]


def test_a_comment_page_names_its_post_without_overwriting_it() -> None:
    rows = page_rows(page(title="must not overwrite", comments=(comment(3, None, 0, "old"),),
                          comment_page=2, url=POST_URL + "comment-page-2/"), "c", SEEN)
    assert rows["posts"] == [{"id": "blog.example/?p=42", "blog_id": "blog.example",
                              "first_seen": SEEN, "last_seen": SEEN, "crawl_id": "c",
                              "deleted_at": None, "deleted_crawl_id": None}]
    assert rows["post_versions"] == [] and rows["terms"] == []
    assert [c["comment_page"] for c in rows["comments"]] == [2]


def test_content_rows_carry_the_provenance_of_their_response() -> None:
    archived = dataclasses.replace(page(comments=(comment(7, None, 0, "x"),)),
                                   warc_file="a.warc.gz", warc_record_id="<urn:uuid:1>",
                                   payload_digest="sha1:AAAA")
    rows = page_rows(archived, "c", SEEN)
    for name in ("posts", "comments", "credits"):
        assert rows[name][0]["warc_record_id"] == "<urn:uuid:1>", name
        assert rows[name][0]["extractor_version"] == __version__, name
    assert "warc_file" not in rows["terms"][0]


def test_an_image_only_a_credit_names_gets_a_media_row_too() -> None:
    archived = page()
    sub_size = "http://blog.example/wp-content/uploads/her-300x200.jpg"
    credit = dataclasses.replace(archived.extraction.credits[0], image_url=sub_size)
    archived = dataclasses.replace(archived, extraction=dataclasses.replace(
        archived.extraction, credits=(credit,)))
    rows = page_rows(archived, "c", SEEN)
    assert sub_size in {row["id"] for row in rows["media"]}
    assert ("blog.example/?p=42", sub_size, "body") in {
        (r["post_id"], r["media_id"], r["role"]) for r in rows["post_media"]}
    assert rows["credits"][0]["media_id"] == sub_size


def test_a_page_repeating_a_term_or_comment_gives_one_row_each() -> None:
    archived = page(comments=(comment(7, None, 0, "x"), comment(7, None, 0, "x")))
    post = archived.extraction.post
    assert post is not None
    twice = dataclasses.replace(post, terms=post.terms + post.terms)
    archived = dataclasses.replace(archived, extraction=dataclasses.replace(
        archived.extraction, post=twice, credits=(Credit("x", "x", None, None, "paragraph",
                                                         None, 0),)))
    rows = page_rows(archived, "c", SEEN)
    assert len(rows["terms"]) == 2 and len(rows["post_terms"]) == 2
    assert len(rows["comments"]) == 1


def test_row_key_is_the_primary_key_of_the_table() -> None:
    rows = page_rows(page(), "c", SEEN)
    assert row_key("posts", rows["posts"][0]) == ("blog.example/?p=42",)
    assert row_key("post_terms", rows["post_terms"][0]) == (
        "blog.example/?p=42", "blog.example/category/reviews")


def test_a_review_row_keeps_the_rating_on_its_scale_beside_the_normalised_one() -> None:
    rows = page_rows(page(), "c", SEEN)
    (review,) = rows["reviews"]
    assert (review["rating"], review["rating_value"], review["rating_best"],
            review["rating_worst"], review["rating_source"]) == (0.9, 4.5, 5, 0, "json-ld")
    assert (review["work_id"], review["work_source"]) == ("film/her/2013", "json-ld")
    (work,) = rows["works"]
    assert work["image_url"] == "http://blog.example/wp-content/uploads/her.jpg"


def test_a_post_that_is_no_review_gives_no_review_or_work_row() -> None:
    rows = page_rows(page(review=None), "c", SEEN)
    assert rows["reviews"] == [] and rows["works"] == []
