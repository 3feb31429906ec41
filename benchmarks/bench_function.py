"""Function-plot throughput on one worker, against a plain pyplot script.

End to end: parameters, exact analysis, numeric fact check, caption, plot, PNG, Parquet.
The baseline draws the same functions with pyplot (axes, grid, curve, marked key points,
title) and saves a 512 px PNG each; the functions are sampled beforehand, not timed.

    python benchmarks/bench_function.py [--n 2000] [--baseline-n 300]
"""

from __future__ import annotations

import io
import time

import numpy as np
from shards import against_pyplot


def pyplot_rate(n: int) -> float:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from mavis_engine.functions import FunctionPlot
    from mavis_engine.functions.check import numeric

    samples = [FunctionPlot().sample(0, i) for i in range(n)]
    started = time.process_time()
    for s in samples:
        fig_json = s.figure
        lo, hi = fig_json["x_range"]
        xs = np.linspace(lo, hi, 801)
        ys = numeric(fig_json["expression"])(xs)
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
    return n / (time.process_time() - started)


if __name__ == "__main__":
    against_pyplot(
        "function",
        pyplot_rate,
        "axes, grid, curve, points, title, savefig",
        __doc__,
        problems_n=500,
    )
