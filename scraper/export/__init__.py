"""Exports of an archive into other tools' formats: WXR for WordPress (``wxr``), WACZ for web
replay tools (``wacz``). Reads the archive through ``scraper.archive.reading`` only, and never
imports the crawler or the extractors."""
