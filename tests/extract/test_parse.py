"""parse_page: the HTML engine's parse with WordPress's sidebar widgets left hollow."""

from __future__ import annotations

import pytest

from scraper.extract.parse import is_sidebar_widget, parse_page


@pytest.mark.parametrize(("classes", "hollow"), [
    ("widget widget_recent_comments", True), ("widget_text widget", True),
    ("widget jetpack_subscription_widget widget_blog_subscription", True),
    ("widget Blog", False),  # Blogger's post and thread
    ("widget", False), ("widget_block", False), ("elementor-widget widget_x", False),
    ("site-widget-area", False),
])
def test_sidebar_widgets_are_what_wordpress_wraps_widgets_in(classes: str, hollow: bool) -> None:
    assert is_sidebar_widget("section", classes) is hollow


def test_a_sidebar_widget_is_parsed_empty_and_the_post_beside_it_whole() -> None:
    soup = parse_page(b"<article><p>post</p></article>"
                      b"<section class='widget widget_recent_comments'><ul><li>x</li></ul>"
                      b"</section>")
    assert soup.article.get_text() == "post"
    assert soup.section is not None and soup.section.contents == []
