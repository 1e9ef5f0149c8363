"""The reviewed work in a post title."""

from __future__ import annotations

import pytest

from scraper.extract.work_titles import work_from_title


@pytest.mark.parametrize(
    ("title", "terms", "expected"),
    [
        ("Her (2013)", (), ("Her", 2013, None)),
        ("Roma (2018): memory in black and white", (), ("Roma", 2018, None)),
        ("Spirited Away / 千と千尋の神隠し (2001)", (), ("Spirited Away", 2001, None)),
        ("Review: Her", ("Movies",), ("Her", None, "film")),
        ("Her – review", (), ("Her", None, None)),
        ("Glass Onion: A Knives Out Mystery (2022)", (),
         ("Glass Onion: A Knives Out Mystery", 2022, None)),
        ("Filmkritik: Her (2013)", (), ("Her", 2013, "film")),
        ("Rezension: „Die Wand“", ("Bücher",), ("Die Wand", None, "book")),
        ("The Loneliest Woman in the World: An Appreciation of Heart’s “Alone”", (),
         ("Alone", None, None)),
    ],
)
def test_review_titles_name_the_work(
    title: str, terms: tuple[str, ...], expected: tuple[str, int | None, str | None]
) -> None:
    work = work_from_title(title, terms)
    assert work is not None and (work.title, work.year, work.type) == expected


@pytest.mark.parametrize(
    "title",
    ["Cannes diary: five films in three days", "Start here: how we score films",
     "Lockdown watchlist: 12 films for staying in", "2020 letter",
     "Barbenheimer: Barbie & Oppenheimer (2023)",  # two works
     "Members only: our Oscars ballot (2024)"],  # a label and a subject, not a title
)
def test_other_titles_name_no_work(title: str) -> None:
    assert work_from_title(title) is None
