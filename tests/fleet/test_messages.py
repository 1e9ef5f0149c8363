"""Stream entries carry the model's items and nothing that could run code in the writer."""

from __future__ import annotations

import os
import pickle

import pytest

from scraper.crawl.fleet.messages import UnsafeMessage, decode, encode
from scraper.extract import extract_page
from scraper.model.items import ArchivedPage, PostComplete
from tests.extract.pages import HER_URL, PAGES


def test_an_archived_page_survives_the_stream() -> None:
    url = HER_URL
    page = ArchivedPage("https://cinephilenotebook.wordpress.com/", url, url, 200,
                        "2024-01-01T00:00:00Z", None,
                        extract_page((PAGES / "wpcom-her-2013.html").read_bytes(), url))
    assert page.extraction.post is not None and page.extraction.comments
    message = decode(encode("save_page", page, "crawl-1"))
    assert message.method == "save_page" and message.args == (page, "crawl-1")
    done = PostComplete("https://cinephilenotebook.wordpress.com/", url, "x/?p=1")
    assert decode(encode("sync", done, flag=True)).kwargs == {"flag": True}


class _Exploit:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("true",))


def test_an_entry_naming_another_class_is_refused() -> None:
    entry = {b"m": pickle.dumps(("save_page", (_Exploit(),), {}))}
    with pytest.raises(UnsafeMessage):
        decode(entry)
