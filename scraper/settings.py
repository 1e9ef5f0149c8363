"""Scrapy settings for wparchive: polite by default, each value explained.

Override any of them with ``-s NAME=VALUE`` (scrapy) or ``--set NAME=VALUE`` (wparchive).
"""

from scraper import __version__

BOT_NAME = "wparchive"
SPIDER_MODULES = ["scraper.crawl.spiders"]
NEWSPIDER_MODULE = "scraper.crawl.spiders"

# Where the archive is written; `-a archive=PATH` or `wparchive crawl --archive PATH` win.
ARCHIVE_PATH = "archive.db"

# Say who we are and how to reach us: blog owners read their logs.
USER_AGENT = f"wparchive/{__version__} (+https://github.com/wparchive/wparchive; archiving bot)"

# Respect the blog's wishes about crawlers.
ROBOTSTXT_OBEY = True

# A blog is one host: two parallel requests at most, never more.
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2

# Adapt the pace to the server's latency; start gently, never faster than the delay below.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_DELAY = 0.25

# A blog page is well under a few MB; anything bigger is a trap or an error.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024

# 180 s (Scrapy's default) would stall a crawl on one dead page for minutes.
DOWNLOAD_TIMEOUT = 30

# Retries for transient failures (5xx, 429, resets); 4xx other than 429 are final.
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Our retry waits for Retry-After (capped) or backs off exponentially, and slows the host
# down on 429/503; Scrapy's own retries at once.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scraper.crawl.retry.RetryAfterMiddleware": 550,
    # Scope and SSRF guard (scraper/crawl/scope.py): every request and every redirect hop stays
    # on the blog's host and off private, loopback, link-local and metadata addresses
    # (unless the start URL itself is on one). Runs before robots.txt is fetched.
    "scraper.crawl.scope.ScopeMiddleware": 25,
    # Refuses redirects to wp-login.php (login walls) and redirect loops; runs before
    # Scrapy's RedirectMiddleware (600) sees the response.
    "scraper.crawl.scope.RedirectGuardMiddleware": 650,
}
RETRY_BACKOFF_BASE = 1.0
RETRY_AFTER_MAX = 120.0

# Connections go to the address the scope check approved (scraper/crawl/pinned_dns.py):
# no second DNS lookup between the check and the connection (DNS rebinding).
DNS_RESOLVER = "scraper.crawl.pinned_dns.PinnedResolver"

# Redirect chains longer than this are loops.
REDIRECT_MAX_TIMES = 5

# WordPress pages change; we want what the blog serves now, not a local cache.
HTTPCACHE_ENABLED = False

# Cookies only make WordPress add per-visitor markup (comment author prefill).
COOKIES_ENABLED = False

# Our pipeline is the only writer of the archive.
ITEM_PIPELINES = {
    "scraper.crawl.pipelines.ArchivePipeline": 300,
    # Downloads each post's featured and body images once (scraper/crawl/media.py).
    "scraper.crawl.media.MediaPipeline": 400,
}

# Post pages are parsed in this many worker processes (scraper/extraction_pool.py) while
# the reactor keeps downloading and storing; None = one per CPU beyond the first, 0 = none.
EXTRACTION_WORKERS = None

# WARC recording (scraper/crawl/warc.py): every response, as received, in
# <archive stem>.warcs/*.warc.gz with request, revisit and page metadata records;
# `-a warc=no` or WARC_ENABLED=False turns it off. A new file past WARC_MAX_SIZE bytes.
SPIDER_MIDDLEWARES = {"scraper.crawl.warc.WarcRecorder": 950}
WARC_ENABLED = True
WARC_MAX_SIZE = 1024 * 1024 * 1024

# Images (scraper/crawl/media.py): stored by sha256 in <archive stem>.media/; `-a media=no` or
# MEDIA_ENABLED=False turns downloads off. One image larger than MEDIA_MAXSIZE is skipped.
# Off-host image CDNs allowed for media requests only (still never private addresses).
MEDIA_ENABLED = True
MEDIA_MAXSIZE = 20 * 1024 * 1024
MEDIA_HOSTS = ["*.wp.com", "*.files.wordpress.com", "*.wordpress.com"]

# Breadth-first-ish: finish listing pages before diving into comment pages, so the
# queue stays small on big blogs.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

# Scrapy's telnet console lets anyone on this machine who reads the log's password drive
# the running crawl (pause it, read its memory, run code): an archiver has no use for it.
TELNETCONSOLE_ENABLED = False

# Live progress table (wparchive crawl turns it on; scrapy crawl keeps plain logs).
EXTENSIONS = {"scraper.crawl.progress.Progress": 500}
PROGRESS_ENABLED = False
# False (wparchive crawl --quiet): no live table, only the summary at the end.
PROGRESS_LIVE = True
PROGRESS_INTERVAL = 0.5

# A hard ceiling against infinite archives (/page/N/ that never ends); 0 = none.
CLOSESPIDER_PAGECOUNT = 0
# Listing pages (home, /page/N/, ?paged=N) followed per blog; the next one past the
# budget is recorded in fetch_errors instead. `-a max_pages=N` overrides it; 0 = no limit.
ARCHIVE_MAX_PAGES = 5000
# Comment pages (/comment-page-N/, ?cpage=N) followed per post: 1000 pages of WordPress's
# 50 comments is 50,000 comments. Past it the next page is recorded in fetch_errors and
# the post stays incomplete (a rerun tries again); an empty comment page ends the
# pagination anyway. 0 = no limit.
ARCHIVE_MAX_COMMENT_PAGES = 1000

# Seconds to wait for another program that holds the archive's write lock.
ARCHIVE_BUSY_TIMEOUT = 30.0

# Logs at INFO are readable by people; DEBUG lists every request.
LOG_LEVEL = "INFO"

# Scrapy 2.x defaults we rely on, stated so an upgrade can't change them silently.
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"

# Discovery (scraper/crawl/discovery): the WordPress.com public API used to list the posts of
# *.wordpress.com blogs (`-a route=wpcom` forces it); tests point it at 127.0.0.1.
WPCOM_API_BASE = "https://public-api.wordpress.com/rest/v1.1"

# Archive writes (scraper/crawl/pipelines.py, scraper/archive/writer.py): pages and the
# posts they complete are committed together, this many pages at a time (one transaction
# per page is ~2× slower)…
ARCHIVE_BATCH_PAGES = 50
# …or after this many seconds, whichever comes first. A crash loses at most this batch,
# whose posts are not marked complete and are fetched again by the next crawl.
ARCHIVE_BATCH_SECONDS = 1.0

# A fleet (wparchive queue|worker|writer, scraper/crawl/fleet): a worker's lease on a blog
# lasts this many seconds and is renewed every third of it; a killed worker's blog goes back
# to the queue this long after its last renewal.
FLEET_LEASE_SECONDS = 60.0
# Crawls of one blog that may stop early (not killed: stopped) before it is marked failed.
FLEET_MAX_ATTEMPTS = 3
# Entries the writer may lag behind before workers wait for it: bounds Redis's memory.
FLEET_MAX_BACKLOG = 10_000
