"""Discovery: which URLs list a blog's posts, with the fewest requests (issue 5).

``routes``: the per-blog route logic the spider drives (needs Scrapy); ``sitemaps``:
sitemap XML and robots.txt via Scrapy's utilities; ``requests``: requests counted by
kind; ``checks``: the completeness check written into the archive at the end of a crawl.
The pure parsers live in ``scraper.extract.api``, ``.sitemaps`` and ``.feeds``.
"""
