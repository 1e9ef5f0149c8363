"""The crawl report: the crawls row's route, reason and mode come from the blog reports."""

from __future__ import annotations

from scraper.model.items import BlogReport, CrawlReport


def _blog(url: str, route: str | None, *, full: bool = False, incremental: bool = False
          ) -> BlogReport:
    return BlogReport(url, route, f"why {route}" if route else None, True, 0, {}, (), None, {},
                      full_sync=full, incremental=incremental)


def test_one_blog_gives_its_route_and_reason():
    report = CrawlReport((_blog("http://a.example/", "api", full=True),))
    assert (report.route, report.route_reason) == ("api", "why api")
    assert report.mode == "full" and report.full_sync_blogs == ("http://a.example/",)


def test_several_blogs_give_blog_route_pairs_and_any_incremental_blog_makes_it_incremental():
    report = CrawlReport((_blog("http://a.example/", "api", incremental=True),
                          _blog("http://b.example/", "feed", full=True),
                          _blog("http://c.example/", None)))
    assert report.route == "http://a.example/=api, http://b.example/=feed"
    assert report.route_reason == "http://a.example/: why api; http://b.example/: why feed"
    assert report.mode == "incremental" and report.full_sync_blogs == ("http://b.example/",)


def test_no_blog_gives_no_route():
    assert (CrawlReport().route, CrawlReport().route_reason, CrawlReport().mode) == (
        None, None, "full")
