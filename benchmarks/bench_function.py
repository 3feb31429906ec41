"""Function-plot throughput on one worker, against a plain pyplot script.

End to end: parameters, exact analysis, numeric fact check, caption, plot, PNG, Parquet.
The baseline draws the same functions with pyplot (axes, grid, curve, marked key points,
title) and saves a 512 px PNG each; the functions are sampled beforehand, not timed.

    python benchmarks/bench_function.py [--n 2000] [--baseline-n 300]
"""

from __future__ import annotations

import argparse
import io
import platform
import time

import numpy as np
from shards import shard_rates


def engine_rate(n: int) -> tuple[float, float]:
    """Samples/s over a first shard (cold caches) and a second one (warm)."""
    (cold, _), (warm, _) = shard_rates("function", n)
    return cold, warm


def pyplot_rate(n: int) -> float:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from mavis_engine.functions import FunctionPlot
    from mavis_engine.functions.check import _numeric

    samples = [FunctionPlot().sample(0, i) for i in range(n)]
    started = time.perf_counter()
    for s in samples:
        fig_json = s.figure
        lo, hi = fig_json["x_range"]
        xs = np.linspace(lo, hi, 801)
        ys = _numeric(fig_json["expression"])(xs)
        fig, ax = plt.subplots(figsize=(5.12, 4.1), dpi=100)
        ax.plot(xs, ys, color="black", lw=2)
        for name, (px, py) in fig_json["points"].items():
            ax.plot([px], [py], "o", color="red")
            ax.annotate(f"({px:.2f}, {py:.2f})", (px, py), fontsize=9)
            del name
        ax.grid(True)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.set_title(f"y = {fig_json['expression']}")
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        plt.close(fig)
    return n / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--baseline-n", type=int, default=300)
    parser.add_argument("--problems-n", type=int, default=500)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, one process"
    )
    cold, warm = engine_rate(args.n)
    base = pyplot_rate(args.baseline_n)
    print(
        f"mavis-engine function, end to end: {cold:.1f} samples/s over the first {args.n} "
        f"(cold caches), {warm:.1f} samples/s over the next {args.n}"
    )
    print(f"plain pyplot script (axes, grid, curve, points, title, savefig): {base:.1f} samples/s")
    print(f"speed-up over pyplot: {cold / base:.2f}x cold, {warm / base:.2f}x warm")
    rate, rows = shard_rates("function", args.problems_n, "all")[1]  # warm shard
    per_kind = ", ".join(f"{v:.1f} {k} rows/s" for k, v in rows.items())
    print(f"--kind all: {rate:.1f} problems/s ({per_kind}) over {args.problems_n}, warm")


if __name__ == "__main__":
    main()
