"""Pure extraction: HTML in, typed records out. Never imports scrapy."""

from .page import extract_page
from .records import (
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
