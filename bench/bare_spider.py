"""The crawl benchmark's reference: a Scrapy spider that fetches a list of URLs and does nothing.

Run with the project's settings (concurrency, robots.txt, retries, user agent)
minus the archive pipeline and the progress extension, so that the only
difference from ``scrapy crawl wordpress`` is extraction, link following and
storage:

    scrapy runspider bench/bare_spider.py -a urls_file=urls.txt -s AUTOTHROTTLE_ENABLED=False
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response


class BareSpider(scrapy.Spider):
    name = "bare"
    custom_settings: ClassVar[dict[str, Any]] = {
        "ITEM_PIPELINES": {},
        "EXTENSIONS": {},
    }
    handle_httpstatus_all = True  # 404s of probes are pages fetched too, not errors

    def __init__(self, urls_file: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.url_list = [line.strip() for line in Path(urls_file).read_text().splitlines()
                         if line.strip()]
        # The project's scope middleware (scraper/crawl/scope.py) allows the start URLs' hosts;
        # give it the blog's home, as the wordpress spider would have.
        self.start_url_list = sorted({_home(url) for url in self.url_list})

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.url_list:
            yield scrapy.Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response: Response, **kwargs: Any) -> None:
        return None


def _home(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"
