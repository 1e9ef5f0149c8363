"""Fixtures for the reading-room tests: an archive built from a JSON file of records.

``tests/fixtures/reading_room_archive.json`` holds pages as the spider hands them
to the store (``ArchivedPage`` with its ``PageExtraction``); ``build_archive``
feeds them through ``ArchiveStore.save_page`` so the tests read exactly what a
crawl would have written.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from scraper.archive.writer import ArchiveStore
from scraper.model.items import ArchivedPage
from scraper.model.records import (
    Author,
    BlogInfo,
    Comment,
    CommentsInfo,
    Credit,
    Image,
    PageExtraction,
    Post,
    Rating,
    Review,
    ReviewedWork,
    Term,
)

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "reading_room_archive.json"
META = Path(__file__).resolve().parents[2] / "datasette_meta.json"
XSS_MARKER = "__xss"


def _post(data: dict[str, Any] | None) -> Post | None:
    if data is None:
        return None
    return Post(**{
        **data,
        "author": Author(**data["author"]) if data.get("author") else None,
        "terms": tuple(Term(**t) for t in data.get("terms", [])),
        "featured_image": Image(**data["featured_image"]) if data.get("featured_image") else None,
        "images": tuple(Image(**i) for i in data.get("images", [])),
    })


def _review(data: dict[str, Any] | None) -> Review | None:
    if data is None:
        return None
    return Review(
        work=ReviewedWork(**data["work"]) if data.get("work") else None,
        rating=Rating(**data["rating"]) if data.get("rating") else None,
        aggregate=Rating(**data["aggregate"]) if data.get("aggregate") else None,
    )


def page_from_json(data: dict[str, Any]) -> ArchivedPage:
    ex = data["extraction"]
    extraction = PageExtraction(
        url=ex["url"],
        blog=BlogInfo(**ex["blog"]),
        is_post_page=ex["is_post_page"],
        post=_post(ex.get("post")),
        credits=tuple(Credit(**c) for c in ex.get("credits", [])),
        comments=tuple(Comment(**c) for c in ex.get("comments", [])),
        comments_info=CommentsInfo(**{**ex["comments_info"],
                                      "page_urls": tuple(ex["comments_info"]["page_urls"])}),
        warnings=tuple(ex.get("warnings", [])),
        review=_review(ex.get("review")),
    )
    return ArchivedPage(**{**{k: v for k, v in data.items() if k != "extraction"},
                           "extraction": extraction})


def build_archive(db_path: Path, fixture: Path = FIXTURE) -> Path:
    """Write the fixture's pages, fetch errors and crawl into a new archive at ``db_path``."""
    records = json.loads(fixture.read_text())
    store = ArchiveStore.open(db_path)
    try:
        crawl_id = store.start_crawl(records["crawl"]["start_urls"], records["crawl"]["options"])
        for page in records["pages"]:
            store.save_page(page_from_json(page), crawl_id)
        for error in records["fetch_errors"]:
            store.record_fetch_error(crawl_id, error["url"], error["reason"],
                                     error["http_status"], error["attempts"])
        store.finish_crawl(crawl_id, "finished", "finished", pages=len(records["pages"]))
    finally:
        store.close()
    return db_path


@pytest.fixture(scope="session")
def archive_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished archive named like the default one (database ``archive``)."""
    return build_archive(tmp_path_factory.mktemp("reading-room") / "archive.db")


@pytest.fixture(scope="session")
def meta() -> dict[str, Any]:
    return json.loads(META.read_text())


@pytest.fixture(scope="session")
def event_loop_runner():
    loop = asyncio.new_event_loop()
    yield loop.run_until_complete
    loop.close()
