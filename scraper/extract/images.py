"""Image URLs and sizes as the page states them."""

from __future__ import annotations

from typing import Literal
from urllib.parse import urljoin

from bs4 import Tag

from scraper.model.records import Image

# Lazy-loading plugins keep the real URL in one of these and a placeholder in src.
_LAZY_SRC_ATTRS = ("data-src", "data-lazy-src", "data-orig-file", "data-original")


def image_src(img: Tag, base_url: str) -> str | None:
    """The image's URL resolved against the page URL; the real one when lazy-loaded."""
    src = img.get("src")
    candidates = [src] + [img.get(attr) for attr in _LAZY_SRC_ATTRS]
    for value in candidates:
        if isinstance(value, str):
            value = value.strip()
            if value and not value.startswith("data:"):
                return urljoin(base_url, value)
    return None


def image_record(
    img: Tag, base_url: str, role: Literal["featured", "body"] = "body"
) -> Image | None:
    url = image_src(img, base_url)
    if url is None:
        return None
    alt = img.get("alt")
    return Image(
        url=url,
        alt=alt.strip() or None if isinstance(alt, str) else None,
        width=_dimension(img.get("width")),
        height=_dimension(img.get("height")),
        role=role,
    )


def _dimension(value: object) -> int | None:
    if isinstance(value, str):
        digits = value.strip().removesuffix("px")
        if digits.isdigit() and 0 < int(digits) < 100_000:
            return int(digits)
    return None
