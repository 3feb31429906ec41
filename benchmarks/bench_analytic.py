"""Analytic-geometry throughput on one worker, against a plain pyplot script.

End to end: figures, exact facts and relations, both checks, caption, drawing, PNG,
Parquet. The baseline draws the same figures with pyplot (grid, axes, outlines, centre
dots, names, point labels) and saves a 512 px PNG each; the figures are sampled beforehand,
not timed.

    python benchmarks/bench_analytic.py [--n 2000] [--baseline-n 300] [--problems-n 500]
"""

from __future__ import annotations

import io
import time

from shards import against_pyplot


def pyplot_rate(n: int) -> float:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from mavis_engine import AnalyticGeometry
    from mavis_engine.analytic.check import geometry_from_json

    samples = [AnalyticGeometry().sample(0, i) for i in range(n)]
    started = time.process_time()
    for s in samples:
        lo, hi = s.figure["x_range"]
        fig, ax = plt.subplots(figsize=(5.12, 5.12), dpi=100)
        for shape in s.figure["shapes"]:
            geometry = geometry_from_json(shape, hi)
            line = geometry.exterior if hasattr(geometry, "exterior") else geometry
            xs, ys = line.xy
            ax.plot(xs, ys, "o" if shape["kind"] == "point" else "-", color="black", lw=2)
            ax.annotate(shape["name"], (xs[0], ys[0]), fontsize=10)
            if "center" in shape:
                ax.plot(*shape["center"], "o", color="black", ms=3)
        ax.set_xlim(lo, hi)
        ax.set_ylim(lo, hi)
        ax.axhline(0, color="black", lw=1)
        ax.axvline(0, color="black", lw=1)
        ax.grid(True)
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        plt.close(fig)
    return n / (time.process_time() - started)


if __name__ == "__main__":
    against_pyplot(
        "analytic-geometry", pyplot_rate, "grid, axes, outlines, dots, names, savefig", __doc__
    )
