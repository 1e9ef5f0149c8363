"""A WordPress page parsed for extraction: the HTML engine's tree, sidebar widgets hollow.

Sidebar widgets (recent comments, recent posts, tag clouds) repeat other pages' content;
no extractor reads inside them, so they are built empty, which is faster and keeps their
comments and links out of every rule.
"""

from __future__ import annotations

from bs4 import BeautifulSoup

from scraper.extract.selectors import SIDEBAR_WIDGET_CLASS, SIDEBAR_WIDGET_TYPE_PREFIX
from scraper.html import parse_html


def parse_page(body: bytes | str, content_type: str | None = None) -> BeautifulSoup:
    """``parse_html`` with WordPress's sidebar widgets left hollow.

    Widgets never nest (dynamic_sidebar prints one after the other), so a widget opening
    inside another ends the first, whose end tag the markup lost.
    """
    return parse_html(body, content_type, hollow=is_sidebar_widget, hollow_nests=False)


def is_sidebar_widget(name: str, classes: str) -> bool:
    """A WordPress widget's wrapper: classes "widget" and "widget_<type>" (selectors.py)."""
    if SIDEBAR_WIDGET_TYPE_PREFIX not in classes:
        return False
    tokens = classes.split()
    return SIDEBAR_WIDGET_CLASS in tokens and any(
        token.startswith(SIDEBAR_WIDGET_TYPE_PREFIX) for token in tokens)
