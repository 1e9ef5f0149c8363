"""Pure extraction: HTML in, typed records out. Never imports scrapy."""

from scraper.extract.page import extract_page
from scraper.model.records import (
    Author,
    BlogInfo,
    Comment,
    CommentsInfo,
    Credit,
    Image,
    PageExtraction,
    Post,
    Term,
)

__all__ = [
    "Author",
    "BlogInfo",
    "Comment",
    "CommentsInfo",
    "Credit",
    "Image",
    "PageExtraction",
    "Post",
    "Term",
    "extract_page",
]
