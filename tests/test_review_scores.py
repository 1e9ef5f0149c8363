"""Review extraction on the corpus pages keeps its precision (no false work or rating on any
page) and its recall floor; the labels and floors are data (tests/fixtures/reviews/
corpus_labels.json), the scorer is bench/score_reviews.py.  Skips without the corpus."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # bench/ is not an installed package
    sys.path.insert(0, str(REPO))

from bench.score_reviews import DEFAULT_CORPUS, LABELS, score_reviews  # noqa: E402

FLOORS = json.loads(LABELS.read_text(encoding="utf-8"))["floors"]

pytestmark = pytest.mark.skipif(not (DEFAULT_CORPUS / "pages").is_dir(),
                                reason=f"corpus not found at {DEFAULT_CORPUS}")


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return score_reviews(DEFAULT_CORPUS)


@pytest.mark.parametrize(("field", "metric", "floor"), [
    (field, metric, floor) for field, metrics in FLOORS.items() if field != "_about"
    for metric, floor in metrics.items()])
def test_review_scores_stay_above_their_floors(
    report: dict[str, Any], field: str, metric: str, floor: float
) -> None:
    measured = report["fields"][field][metric]
    counts = report["fields"][field]
    if metric == "precision" and counts["extracted"] == 0:
        return  # nothing extracted: nothing false either
    assert measured is not None and measured >= floor, (field, metric, report["differences"])
