"""Which analytic questions a run asks, what its redrawn attempts were, and the speed of a
run focused on line-circle questions (one process).

    python benchmarks/bench_analytic_mix.py [--n 2000] [--focused-n 200]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter

from mavis_engine import AnalyticGeometry

FOCUSED = {"kinds": ("line", "circle", "square"), "questions": ("intersection", "distance")}


def mix(n: int) -> tuple[Counter, Counter]:
    """Question kinds asked, and redrawn attempts by reason, over problems 0..n-1 of seed 0."""
    grid, asked, redrawn = AnalyticGeometry(), Counter(), Counter()
    for i in range(n):
        sample = grid.sample(0, i, problems=True)
        asked[json.loads(sample.rows("instruct")[0]["target"])["kind"]] += 1
        redrawn.update(sample.rejections)
    return asked, redrawn


def focused_rate(n: int) -> float:
    grid = AnalyticGeometry(AnalyticGeometry.Config(**FOCUSED))
    started = time.perf_counter()
    for i in range(n):
        grid.sample(0, i, problems=True)
    return n / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="problems in the default mix")
    parser.add_argument("--focused-n", type=int, default=200, help="problems, focused config")
    args = parser.parse_args()
    asked, redrawn = mix(args.n)
    shares = ", ".join(f"{k} {100 * v / args.n:.1f}%" for k, v in asked.most_common())
    print(f"question kinds over {args.n} problems: {shares}")
    attempts = args.n + sum(redrawn.values())
    reasons = ", ".join(f"{k} {v}" for k, v in redrawn.most_common())
    print(f"attempts redrawn: {sum(redrawn.values())} of {attempts} ({reasons})")
    rate = focused_rate(args.focused_n)
    print(f"focused on {json.dumps(FOCUSED)}: {rate:.1f} problems/s (samples, not rows)")


if __name__ == "__main__":
    main()
