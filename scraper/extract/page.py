"""Extract everything from one page: blog, post, credits, comments."""

from __future__ import annotations

from .blog import extract_blog_info
from .comments import extract_comments
from .credits import extract_credits
from .document import parse_html
from .post import extract_post
from .records import PageExtraction


def extract_page(
    body: bytes | str, url: str, content_type: str | None = None
) -> PageExtraction:
    """Pure: HTML and its URL in, a PageExtraction out. Never raises on bad markup."""
    soup = parse_html(body, content_type)
    blog = extract_blog_info(soup, url)
    post = extract_post(soup, url)
    credits = extract_credits(soup, url, post)
    comments, comments_info = extract_comments(soup, url, post)
    return PageExtraction(
        url=url,
        blog=blog,
        is_post_page=post is not None,
        post=post,
        credits=credits,
        comments=comments,
        comments_info=comments_info,
    )
