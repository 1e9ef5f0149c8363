"""The review a post page is: structured data first, then hReview, then text; never a
rating from comments, quotes, dates, legends or readers' aggregates."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.extract import extract_page
from scraper.model.records import Review

REVIEWS = Path(__file__).resolve().parent.parent / "fixtures" / "reviews"
URL = "https://blog.example/2024/01/01/post/"


def review_of(name: str) -> Review | None:
    return extract_page((REVIEWS / name).read_bytes(), URL).review


# fixture page -> (source, value, best, worst, normalised, work type, title, year)
STRUCTURED = {
    "wp-review-jsonld.html": ("json-ld", 4.5, 5, 0, 0.9, "film", "Past Lives", 2023),
    "wp-product-review.html": ("json-ld", 8.6, 10, 0, 0.86, "product", "Sony WH-1000XM5", None),
    "rank-math-graph.html": ("json-ld", 9, 10, 1, 0.8889, "film", "Anatomie eines Falls", 2023),
    "jsonld-lowercase-types.html": ("json-ld", 95, 100, 0, 0.95, "game", "Elden Ring", 2022),
    "microdata-review.html": ("microdata", 9, 10, 1, 0.8889, "film", "Perfect Days", 2023),
    "rdfa-review.html": ("rdfa", 4, 5, 1, 0.75, "book",
                         "Tomorrow, and Tomorrow, and Tomorrow", 2022),
    "hreview.html": ("hreview", 4, 5, 1, 0.75, None, "Blue Rev", None),
}


@pytest.mark.parametrize("name", sorted(STRUCTURED))
def test_a_plugins_structured_review_gives_the_critics_rating_and_the_work(name: str) -> None:
    source, value, best, worst, normalised, kind, title, year = STRUCTURED[name]
    review = review_of(name)
    assert review is not None and review.rating is not None and review.work is not None
    rating, work = review.rating, review.work
    assert (rating.source, rating.value, rating.best, rating.worst) == (source, value, best, worst)
    assert rating.normalised == normalised
    assert (work.type, work.title, work.year, work.source) == (kind, title, year, source)


def test_the_readers_aggregate_is_kept_apart_from_the_critics_rating() -> None:
    review = review_of("wp-product-review.html")
    assert review is not None and review.rating is not None and review.aggregate is not None
    assert (review.rating.value, review.aggregate.value, review.aggregate.count) == (8.6, 7.9, 31)


def test_the_works_image_comes_from_its_structured_data() -> None:
    review = review_of("microdata-review.html")
    assert review is not None and review.work is not None
    assert review.work.image_url == (
        "https://quietcinema.example/wp-content/uploads/2024/01/perfect-days.jpg")


@pytest.mark.parametrize("name", ["site-reviews-readers.html", "aggregate-only-recipe.html",
                                  "single-reader-review.html"])
def test_readers_reviews_and_aggregates_alone_are_no_critics_review(name: str) -> None:
    assert review_of(name) is None


def test_a_labelled_rating_line_is_read_and_a_commenters_rating_and_a_date_are_not() -> None:
    review = review_of("text-labelled-rating.html")
    assert review is not None and review.rating is not None and review.work is not None
    rating = review.rating
    assert (rating.value, rating.best, rating.text, rating.source) == (
        4.5, 5, "Rating: 4.5/5", "text")
    assert (review.work.title, review.work.year, review.work.type) == (
        "The Zone of Interest", 2023, "film")  # the kind from the category "Films"


def test_stars_on_the_last_line_count_and_a_quoted_critics_stars_do_not() -> None:
    review = review_of("stars-last-line.html")
    assert review is not None and review.rating is not None and review.work is not None
    assert (review.rating.value, review.rating.best, review.rating.text) == (4.5, 5, "★★★★½")
    assert (review.work.title, review.work.type) == ("Die Wand", "book")


def test_a_letter_grade_is_read_on_its_thirteen_step_scale() -> None:
    review = review_of("grade.html")
    assert review is not None and review.rating is not None and review.work is not None
    assert (review.rating.value, review.rating.best, review.rating.text) == (9, 12, "Grade: B+")
    assert (review.work.title, review.work.type) == ("Shōgun", "tv")


@pytest.mark.parametrize("name", ["negative-legend.html", "negative-quotes-dates.html",
                                  "rating-in-a-comment.html"])
def test_legends_quotes_others_ratings_dates_and_comments_give_no_rating(name: str) -> None:
    assert review_of(name) is None
