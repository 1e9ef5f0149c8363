"""Reviews in microformats: hReview 0.3 (``hreview``, ``hreview-aggregate``) and
microformats2 ``h-review``/``h-review-aggregate``, read into the shape of a JSON-LD
``Review``/``AggregateRating`` so that ``reviews.py`` reads them like structured data.

hReview's rating defaults to a 1–5 scale when ``best``/``worst`` are not given.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bs4 import Tag

from scraper.html import collapse_whitespace, select, select_one

REVIEW_ROOTS = (".hreview", ".h-review")
AGGREGATE_ROOTS = (".hreview-aggregate", ".h-review-aggregate")
_ITEM = (".item", ".p-item", ".h-item", ".h-product", ".h-card")
_ITEM_NAME = (".fn", ".p-name", ".name")
_RATING = (".rating", ".p-rating")
_BEST = (".best", ".p-best")
_WORST = (".worst", ".p-worst")
_COUNT = (".count", ".votes", ".p-count", ".p-votes")
_VALUE = (".value",)
DEFAULT_BEST, DEFAULT_WORST = "5", "1"


def hreview_items(
    scope: Tag, keep: Callable[[Tag], bool] = lambda tag: True
) -> list[dict[str, Any]]:
    """One dict per hReview (``@type`` Review) and hreview-aggregate (AggregateRating)
    whose root element ``keep`` accepts."""
    items = [_review(root) for root in select(scope, REVIEW_ROOTS) if keep(root)]
    items += [_aggregate(root) for root in select(scope, AGGREGATE_ROOTS) if keep(root)]
    return items


def _review(root: Tag) -> dict[str, Any]:
    review: dict[str, Any] = {"@type": "Review"}
    item = select_one(root, _ITEM)
    if item is not None:
        review["itemReviewed"] = _work(item)
    rating = select_one(root, _RATING)
    if rating is not None:
        review["reviewRating"] = _rating(rating, root)
    return review


def _aggregate(root: Tag) -> dict[str, Any]:
    aggregate: dict[str, Any] = {"@type": "AggregateRating"}
    rating = select_one(root, _RATING)
    if rating is not None:
        aggregate.update(_rating(rating, root))
    count = select_one(root, _COUNT)
    if count is not None:
        aggregate["ratingCount"] = _text(count)
    item = select_one(root, _ITEM)
    if item is not None:
        aggregate["itemReviewed"] = _work(item)
    return aggregate


def _work(item: Tag) -> dict[str, Any]:
    name = select_one(item, _ITEM_NAME)
    work: dict[str, Any] = {"@type": "Thing", "name": _text(name if name is not None else item)}
    photo = select_one(item, (".photo", ".u-photo"))
    if photo is not None and photo.get("src"):
        work["image"] = str(photo.get("src"))
    return work


def _rating(rating: Tag, root: Tag) -> dict[str, Any]:
    """The value (``.value`` inside the rating, else the rating's own text or title) and the
    scale (``.best``/``.worst`` inside the rating or the review)."""
    value = select_one(rating, _VALUE)
    best = select_one(rating, _BEST) or select_one(root, _BEST)
    worst = select_one(rating, _WORST) or select_one(root, _WORST)
    return {
        "ratingValue": _text(value if value is not None else rating),
        "bestRating": _text(best) if best is not None else DEFAULT_BEST,
        "worstRating": _text(worst) if worst is not None else DEFAULT_WORST,
    }



def _text(element: Tag) -> str:
    """An ``<abbr title>`` or ``data value`` holds the machine value; else the text."""
    for attribute in ("title", "value", "content"):
        if element.name in ("abbr", "data", "meta") and element.get(attribute):
            return collapse_whitespace(str(element.get(attribute)))
    return collapse_whitespace(element.get_text(" "))
