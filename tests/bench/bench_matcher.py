"""Matcher speed: per-query median and p99 over every phrasing set, after warm-up.

Run from the repository root: `python tests/bench/bench_matcher.py [--rounds N] [--rules-only]`
(`--rules-only` leaves the learned model out, for a side-by-side figure). The p99 is
sensitive to other work on the machine; run it on a quiet machine for figures to compare.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.content.catalogue import Catalogue  # noqa: E402
from bot.content.matcher import Matcher  # noqa: E402

DATA = ROOT / "tests" / "content" / "data"
SETS = (
    "phrasings.yaml",
    "phrasings_holdout.yaml",
    "phrasings_blind.yaml",
    "phrasings_final.yaml",
    "phrasings_round2.yaml",
    "phrasings_round2_final.yaml",
    "phrasings_round3.yaml",
    "phrasings_round3_final.yaml",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=50, help="timed passes over every phrasing")
    parser.add_argument("--rules-only", action="store_true", help="time the rules without the learned model")
    args = parser.parse_args()
    texts = [
        item["text"]
        for name in SETS
        if (DATA / name).exists() and "eval" not in name
        for item in yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    ]
    started = time.perf_counter()
    matcher = Matcher(Catalogue.load(), model=not args.rules_only)
    build_ms = (time.perf_counter() - started) * 1000
    for text in texts * 3:  # warm-up: caches, typo corrections
        matcher.match(text)
    timings: list[float] = []
    gc.disable()  # collector pauses are not the matcher's; the p99 should show the matcher
    for _ in range(args.rounds):
        for text in texts:
            begin = time.perf_counter_ns()
            matcher.match(text)
            timings.append((time.perf_counter_ns() - begin) / 1000)
    gc.enable()
    timings.sort()
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    print(f"catalogue + matcher build: {build_ms:.1f} ms")
    print(f"queries: {len(texts)} phrasings x {args.rounds} rounds = {len(timings)}")
    median = statistics.median(timings)
    print(f"per query: median {median:.1f} µs, p99 {p99:.1f} µs, max {timings[-1]:.1f} µs")


if __name__ == "__main__":
    main()
