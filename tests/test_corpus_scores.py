"""Extraction quality on the hand-checked corpora must not fall below the recorded floors.

The shared corpus lives outside the repository (../shared/corpus); its tests skip
when it is absent.  The second corpus (tests/fixtures/corpus_more, issue 15) is in
the repository.  Floors and ceilings are data: tests/corpus_floors.json and
tests/corpus_more_floors.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # bench/ is not an installed package
    sys.path.insert(0, str(REPO))

from bench.score_corpus import DEFAULT_CORPUS, score_corpus  # noqa: E402

LIMITS = json.loads((REPO / "tests" / "corpus_floors.json").read_text(encoding="utf-8"))
MORE_CORPUS = REPO / "tests" / "fixtures" / "corpus_more"
MORE_LIMITS = json.loads((REPO / "tests" / "corpus_more_floors.json").read_text(encoding="utf-8"))

pytestmark = pytest.mark.skipif(
    not (DEFAULT_CORPUS / "gold").is_dir(),
    reason=f"corpus not found at {DEFAULT_CORPUS} (needs gold/ and pages/)",
)


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return score_corpus(DEFAULT_CORPUS)


def _misses(report: dict[str, Any], field: str) -> str:
    lines = [
        f"  {m['page']}: expected={m['expected']!r} got={m['got']!r}"
        for m in report["misses"]
        if m["field"] == field
    ]
    return "\n".join(lines[:30])


@pytest.mark.parametrize(
    ("field", "metric", "floor"),
    [
        (field, metric, floor)
        for field, metrics in LIMITS["floors"].items()
        for metric, floor in metrics.items()
    ],
)
def test_score_stays_above_its_floor(report, field, metric, floor):
    measured = report["fields"][field]["all"][metric]
    assert measured is not None and measured >= floor, (
        f"{field} {metric} fell to {measured} (floor {floor})\n{_misses(report, field)}"
    )


@pytest.mark.parametrize(("field", "ceiling"), sorted(LIMITS["ceilings"].items()))
def test_misses_stay_under_their_ceiling(report, field, ceiling):
    found = report["fields"][field]["all"]["found"]
    assert found <= ceiling, f"{field}: {found} (ceiling {ceiling})\n{_misses(report, field)}"


def test_no_extractor_crashes_on_the_corpus(report):
    assert report["errors"] == {}


def test_comment_targets_hold(report):
    comments = report["fields"]["comments"]["all"]
    assert comments["precision"] >= 0.95 and comments["recall"] >= 0.95
    assert report["fields"]["comment_parents"]["all"]["accuracy"] >= 0.95
    assert report["fields"]["pingbacks_exact"]["all"]["accuracy"] == 1.0
    comment_form_text = [
        m for m in report["misses"]
        if m["field"] == "form_text_found" and str(m["got"]).startswith("comment")
    ]
    assert comment_form_text == []


@pytest.fixture(scope="module")
def more_report() -> dict[str, Any]:
    return score_corpus(MORE_CORPUS)


@pytest.mark.parametrize(
    ("field", "metric", "floor"),
    [
        (field, metric, floor)
        for field, metrics in MORE_LIMITS["floors"].items()
        for metric, floor in metrics.items()
    ],
)
def test_second_corpus_score_stays_above_its_floor(more_report, field, metric, floor):
    measured = more_report["fields"][field]["all"][metric]
    assert measured is not None and measured >= floor, (
        f"{field} {metric} fell to {measured} (floor {floor})\n{_misses(more_report, field)}"
    )


@pytest.mark.parametrize(("field", "ceiling"), sorted(MORE_LIMITS["ceilings"].items()))
def test_second_corpus_misses_stay_under_their_ceiling(more_report, field, ceiling):
    found = more_report["fields"][field]["all"]["found"]
    assert found <= ceiling, f"{field}: {found} (ceiling {ceiling})\n{_misses(more_report, field)}"


def test_second_corpus_comments_and_controls_hold(more_report):
    wordpress = more_report["fields"]["comments"]["wordpress"]
    assert wordpress["precision"] >= 0.98 and wordpress["recall"] >= 0.98
    assert more_report["fields"]["is_wordpress"]["negative"]["accuracy"] == 1.0
    assert more_report["errors"] == {}
