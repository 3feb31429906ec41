"""End-to-end solid-geometry throughput on one worker, against a plain pyplot baseline.

End to end means everything a shard task does: parameters, exact maths, the fact checks
(meshes and ray casts), caption, rendering, PNG encoding and the Parquet write. The
baseline is pyplot drawing the same solids (the same polylines, hidden ones dashed,
vertex letters, length labels; projecting and working out visibility beforehand, not
timed) and saving one 512 px PNG per sample.

    python benchmarks/bench_solid.py [--n 2000] [--baseline-n 300]
"""

from __future__ import annotations

import io
import time

from shards import against_pyplot


def _drawings(n: int) -> list:
    """The engine's own solids as 2-D polylines (hidden or not), letters and labels."""
    from mavis_engine.solid import SolidGeometry
    from mavis_engine.solid.build import build
    from mavis_engine.solid.view import strokes

    gen = SolidGeometry()
    out = []
    for i in range(n):
        sample = gen.sample(0, i)
        fig = build({k: v for k, v in sample.params.items() if k != "attempt"})
        lines = [(s.points @ fig.matrix.T, s.hidden) for s in strokes(fig.solid, fig.view)]
        out.append((lines, fig.points, [(g.of, str(g.exact)) for g in fig.solid.givens]))
    return out


def pyplot_rate(n: int) -> float:
    """Samples/s of pyplot drawing the same solids and saving a 512 px PNG each."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    drawings = _drawings(n)
    started = time.process_time()
    for lines, points, givens in drawings:
        fig, ax = plt.subplots(figsize=(5.12, 5.12), dpi=100)
        for xy, hidden in lines:
            ax.plot(xy[:, 0], xy[:, 1], color="black", lw=2, ls="--" if hidden else "-")
        for name, (x, y) in points.items():
            ax.text(x, y, name, fontsize=12)
        for (a, b), text in givens:
            (x0, y0), (x1, y1) = points[a], points[b]
            ax.text((x0 + x1) / 2, (y0 + y1) / 2, text, fontsize=11)
        ax.set_aspect("equal")
        ax.axis("off")
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        plt.close(fig)
    return n / (time.process_time() - started)


if __name__ == "__main__":
    against_pyplot(
        "solid-geometry",
        pyplot_rate,
        "draw + savefig PNG",
        __doc__,
        problem_kinds=("instruct", "all"),
        problems_shard=0,
    )
