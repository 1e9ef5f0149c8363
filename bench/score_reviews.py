"""Precision and recall of review extraction (the work, the critic's rating) on the corpus.

The corpus's gold has no reviews; ``tests/fixtures/reviews/corpus_labels.json`` labels which
pages review which work with which rating.  Every corpus page is extracted; a work counts
as found when its title matches the label's (NFKC, casefold, letters and digits), a rating
when value and best match.  Precision is over what was extracted on any page (a rating on a
page that has none is a false one), recall over what the labels hold.

    python -m bench.score_reviews [--corpus DIR] [--json]
    python bench/score_reviews.py
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as `python bench/score_reviews.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.score_corpus import DEFAULT_CORPUS, REPO
from scraper.extract.page import extract_page
from scraper.html.text import normalise_key

LABELS = REPO / "tests" / "fixtures" / "reviews" / "corpus_labels.json"
PAGE_URL = "https://corpus.example/post/"  # the pages' own URLs do not matter here


def score_reviews(corpus: Path | str = DEFAULT_CORPUS, labels: Path = LABELS) -> dict[str, Any]:
    labelled: dict[str, Any] = json.loads(labels.read_text(encoding="utf-8"))["pages"]
    counts = {field: {"extracted": 0, "labelled": 0, "correct": 0} for field in ("work", "rating")}
    pages = []
    for path in sorted(Path(corpus, "pages").glob("*.html")):
        label = labelled.get(path.stem, {"work": None, "rating": None})
        review = extract_page(path.read_bytes(), PAGE_URL).review
        got = {
            "work": review.work.title if review and review.work else None,
            "rating": [review.rating.value, review.rating.best] if review and review.rating
            else None,
        }
        expected = {
            "work": label["work"]["title"] if label["work"] else None,
            "rating": [label["rating"]["value"], label["rating"]["best"]] if label["rating"]
            else None,
        }
        for field in counts:
            counts[field]["extracted"] += got[field] is not None
            counts[field]["labelled"] += expected[field] is not None
            counts[field]["correct"] += got[field] is not None and _same(field, got, expected)
        if got != expected:
            pages.append({"page": path.stem, "expected": expected, "got": got})
    return {
        "pages": len(list(Path(corpus, "pages").glob("*.html"))),
        "fields": {field: {**c, **_ratios(c)} for field, c in counts.items()},
        "differences": pages,
    }


def _same(field: str, got: dict[str, Any], expected: dict[str, Any]) -> bool:
    if field == "work":
        return expected["work"] is not None and \
            normalise_key(got["work"]) == normalise_key(expected["work"])
    return bool(got["rating"] == expected["rating"])


def _ratios(counts: dict[str, int]) -> dict[str, float | None]:
    precision = counts["correct"] / counts["extracted"] if counts["extracted"] else None
    recall = counts["correct"] / counts["labelled"] if counts["labelled"] else None
    return {"precision": precision, "recall": recall}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", action="store_true", help="print the whole report as JSON")
    args = parser.parse_args(argv)
    if not (args.corpus / "pages").is_dir():
        print(f"score_reviews: no corpus pages at {args.corpus}/pages", file=sys.stderr)
        return 2
    report = score_reviews(args.corpus)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    print(f"{report['pages']} corpus pages")
    for field, c in report["fields"].items():
        print(f"{field:7} extracted {c['extracted']:2}  labelled {c['labelled']:2}  correct "
              f"{c['correct']:2}  precision {_percent(c['precision'])}  recall "
              f"{_percent(c['recall'])}")
    for difference in report["differences"]:
        print(f"  {difference['page']}: expected {difference['expected']} got {difference['got']}")
    return 0


def _percent(ratio: float | None) -> str:
    return "   n/a" if ratio is None else f"{ratio:6.1%}"


if __name__ == "__main__":
    sys.exit(main())
