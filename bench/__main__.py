"""``python -m bench``: run the benchmarks and print one table of ratios.

Every figure is printed beside a reference measured in the same run on the same
machine (trafilatura, a bare Scrapy spider, sqlite-utils insert_all, Datasette's
cheapest page, the bare spider's memory), so a noisy machine moves both sides.

    python -m bench                          # extraction, crawl, storage, scale (< 15 min;
                                             # the first run also builds the scale archive)
    python -m bench --quick                  # smaller inputs, one round each
    python -m bench --only extraction,storage
    python -m bench --only profile           # where extraction spends its time
    python -m bench --only scale --crawl-posts 2000  # a smaller crawl for the RSS figures

Benchmarks: extraction, crawl, storage, scale, profile, fleet (profile and fleet run only
when asked: ``--only fleet`` needs Debian's redis-server).
Outputs (archives, logs, profiles) go to bench/out/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict

from .common import OUT, Result, log, render_table

DEFAULT = ("extraction", "crawl", "storage", "scale")
ALL = (*DEFAULT, "profile", "fleet")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller inputs, fewer rounds")
    parser.add_argument("--only", default=",".join(DEFAULT),
                        help=f"comma-separated benchmarks among {', '.join(ALL)}")
    parser.add_argument("--crawl-posts", type=int, default=None,
                        help="scale: posts of the generated blog whose crawl's memory is "
                             "watched (default 20,000)")
    parser.add_argument("--scale-posts", type=int, default=None,
                        help="scale: posts in the synthetic archive (default 100,000)")
    parser.add_argument("--json", action="store_true", help="also write bench/out/results.json")
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in ALL]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; choose among {', '.join(ALL)}")
    OUT.mkdir(parents=True, exist_ok=True)

    results: list[Result] = []
    timings: dict[str, float] = {}
    run_started = time.perf_counter()
    for name in chosen:
        started = time.perf_counter()
        log(f"{name}: starting")
        try:
            results += _run(name, args)
        except Exception as error:  # one broken benchmark must not hide the others
            log(f"{name}: FAILED: {error!r}")
            results.append(Result(name, "error", f"{type(error).__name__}: {error}"[:200],
                                  passed=False))
        timings[name] = time.perf_counter() - started
        log(f"{name}: done in {timings[name]:.0f} s")
    total = time.perf_counter() - run_started

    print(render_table(results))
    spent = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in timings.items())
    print(f"\nwall time: {total:.0f} s ({spent}); machine: {_machine()}")
    if args.json:
        payload = {"results": [asdict(r) for r in results], "seconds": timings, "total": total}
        (OUT / "results.json").write_text(json.dumps(payload, indent=2, default=str))
    return 0


def _run(name: str, args: argparse.Namespace) -> list[Result]:
    if name == "extraction":
        from . import extraction

        return extraction.run(quick=args.quick)
    if name == "crawl":
        from . import crawl

        return crawl.run(quick=args.quick)
    if name == "storage":
        from . import storage

        return storage.run(quick=args.quick)
    if name == "scale":
        from . import scale

        posts = args.scale_posts or scale.POSTS
        return scale.run(quick=args.quick, crawl_posts=args.crawl_posts or scale.CRAWL_POSTS,
                         posts=posts)
    if name == "fleet":
        from . import fleet

        return fleet.run(quick=args.quick)
    from . import profile

    return profile.run(quick=args.quick)


def _machine() -> str:
    import os
    import platform

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} CPUs, load average {load}, Python {platform.python_version()}"


if __name__ == "__main__":
    sys.exit(main())
