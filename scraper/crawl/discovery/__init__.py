"""Discovery: which URLs list a blog's posts, with the fewest requests (issue 5).

``blog``: one blog's state machine, trying ``routes`` (one module per route, behind the
``route.Route`` protocol) in order; ``listing``: what the routes found out about the blog
(its report for the completeness check); ``incremental``: the REST route's re-crawl of only
what changed; ``outputs``: the typed outputs discovery hands the spider (discovery never
sees the spider); ``sitemaps``: sitemap XML and robots.txt via Scrapy's utilities;
``requests``: requests by kind. The pure parsers live in ``scraper.extract.api``,
``.sitemaps`` and ``.feeds``.
"""
