"""Text ratings: read on labelled lines and alone at the end of a post, nowhere else."""

from __future__ import annotations

import pytest

from scraper.extract.rating_text import text_rating

PROSE = ["The film opens on a beach.", "It never lets go."]


@pytest.mark.parametrize(
    ("line", "value", "best"),
    [
        ("Rating: 4/5", 4, 5),
        ("Unsere Wertung: 8,5/10", 8.5, 10),
        ("Verdict: ★★★☆☆", 3, 5),
        ("3 out of 5 stars", 3, 5),
        ("8/10 – a must-see.", 8, 10),
        ("I give it 7 out of 10.", 7, 10),
    ],
)
def test_a_rating_on_a_labelled_or_last_line_is_read(line: str, value: float, best: int) -> None:
    rating = text_rating([*PROSE, line])
    assert rating is not None and (rating.value, rating.best) == (value, best)


@pytest.mark.parametrize(
    "line",
    [
        "Tickets for 8/10/2014 are on sale.",  # a date
        "Open 24/7.",  # not a rating scale
        "Variety gave it 3/5.",  # someone else's rating
        "★★★★★ = masterpiece",  # a legend
        "From 1/5 (awful) to 5/5 (perfect).",  # a scale explained
        "We saw 8/10 of the programme.",  # not at the start of the line, not labelled
        "Note: 3/4 cup of milk is enough.",  # a recipe's note, not a French critic's
    ],
)
def test_dates_legends_and_others_ratings_are_not_read(line: str) -> None:
    assert text_rating([*PROSE, line]) is None


def test_an_unlabelled_rating_early_in_the_post_is_not_read() -> None:
    assert text_rating(["4/5", *PROSE, *PROSE, *PROSE]) is None


def test_two_ratings_that_disagree_give_none() -> None:
    assert text_rating(["Rating: 4/5", *PROSE, "Rating: 2/5"]) is None
