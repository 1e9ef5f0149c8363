"""Shared pieces of the benchmarks: result rows, the table, paths, small measuring helpers."""

from __future__ import annotations

import math
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
CORPUS = REPO.parent / "shared" / "corpus"
PYTHON = sys.executable

# Crawl settings of every benchmark crawl (the brief's, as in tests/crawling.py).
FAST_CRAWL = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "LOG_LEVEL=INFO")


@dataclass(frozen=True)
class Result:
    """One line of the table: a figure, the reference measured beside it, their ratio."""

    section: str
    metric: str
    value: str
    reference: str = ""
    ratio: float | None = None
    target: str = ""
    passed: bool | None = None
    note: str = ""


def ratio_result(
    section: str,
    metric: str,
    ours: float,
    reference: float,
    unit: str,
    reference_name: str,
    minimum: float | None = None,
    maximum: float | None = None,
    note: str = "",
    ratio: float | None = None,
) -> Result:
    """A Result whose ratio is ours / reference (or ``ratio``, when the caller pairs its
    measurements), judged against ``minimum``/``maximum``."""
    if ratio is None:
        ratio = ours / reference if reference else math.nan
    target = ""
    passed: bool | None = None
    if minimum is not None:
        target, passed = f"≥ {minimum:g}×", ratio >= minimum
    elif maximum is not None:
        target, passed = f"≤ {maximum:g}×", ratio <= maximum
    return Result(section, metric, f"{fmt(ours)} {unit}", f"{reference_name} {fmt(reference)}",
                  ratio, target, passed, note)


def fmt(value: float) -> str:
    if math.isnan(value):
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def render_table(results: Sequence[Result]) -> str:
    headers = ("benchmark", "measure", "ours", "reference (same run)", "ratio", "target", "ok")
    rows = [
        (
            r.section,
            r.metric,
            r.value,
            r.reference,
            "" if r.ratio is None else (f"{r.ratio:.3f}×" if r.ratio < 0.1 else f"{r.ratio:.2f}×"),
            r.target,
            {True: "yes", False: "NO", None: ""}[r.passed],
        )
        for r in results
    ]
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h)
              for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    notes = [f"  [{r.section}/{r.metric}] {r.note}" for r in results if r.note]
    if notes:
        out += ["", "notes:", *notes]
    return "\n".join(out)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def cpu_seconds(call: Callable[[], object]) -> float:
    """CPU seconds this process spent in ``call`` (robust to a noisy, shared machine)."""
    started = time.process_time()
    call()
    return time.process_time() - started


def rss_mb(pid: int) -> tuple[float, float] | None:
    """(current RSS, peak RSS) in MB of a process and all its descendants (the crawler's
    extraction workers count), from /proc; None once the process is gone.

    The peak is the sum of each process's own peak: an upper bound, never an undercount.
    """
    own = _memory_kb(pid)
    if own is None:
        return None
    current, peak = own
    for child in _descendants(pid):
        memory = _memory_kb(child)
        if memory is not None:
            current += memory[0]
            peak += memory[1]
    return current / 1024, peak / 1024


def _memory_kb(pid: int) -> tuple[int, int] | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    values = {}
    for line in status.splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    if "VmRSS" not in values:
        return None
    return values["VmRSS"], values.get("VmHWM", values["VmRSS"])


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def crawl_env() -> dict[str, str]:
    """Environment for crawler subprocesses: unbuffered, the repo importable."""
    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
