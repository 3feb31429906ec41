"""End-to-end plane-geometry throughput on one worker, against a plain pyplot baseline.

End to end means everything a shard task does: parameters, exact maths, fact checks,
caption, rendering, PNG encoding and the Parquet write. The baseline is the script people
write first: matplotlib pyplot drawing the same figures (outlines, arcs, vertex letters,
measure labels; the figures themselves are built beforehand and not timed) and saving one
512 px PNG per sample.

    python benchmarks/bench_plane.py [--n 2000] [--baseline-n 300]
"""

from __future__ import annotations

import io
import time

from shards import against_pyplot


def _figures(n: int) -> list:
    """The engine's own figures, so the baseline draws exactly what the engine draws."""
    from mavis_engine.plane import PlaneGeometry

    gen = PlaneGeometry()
    return [gen.sample(0, i).figure for i in range(n)]


def pyplot_rate(n: int) -> float:
    """Samples/s of pyplot drawing the same figures (outlines, arcs, letters, labels) and
    saving a 512 px PNG each; building the figures is not timed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from mavis_engine.figure import Arc, piece_points

    figures = _figures(n)
    started = time.process_time()
    for fig_json in figures:
        points = {k: tuple(v) for k, v in fig_json["points"].items()}
        fig, ax = plt.subplots(figsize=(5.12, 5.12), dpi=100)
        for shape in fig_json["shapes"]:
            for piece in shape["boundary"]:
                if "segment" in piece:
                    (x0, y0), (x1, y1) = (points[p] for p in piece["segment"])
                    ax.plot([x0, x1], [y0, y1], color="black", lw=2)
                elif "arc" in piece:
                    a = piece["arc"]
                    arc = Arc(a["from"], a["to"], tuple(a["center"]), a["radius"], a["ccw"])
                    xy = piece_points(arc, points)
                    ax.plot(xy[:, 0], xy[:, 1], color="black", lw=2)
                else:
                    c = piece["circle"]
                    ax.add_patch(plt.Circle(c["center"], c["radius"], fill=False, lw=2))
        for name, (x, y) in points.items():
            ax.text(x, y, name, fontsize=12)
        for label in fig_json["labels"]:
            if label["kind"] != "point":
                x, y = points[label["of"][0]]
                ax.text(x, y, label["text"], fontsize=11)
        ax.set_aspect("equal")
        ax.axis("off")
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        plt.close(fig)
    return n / (time.process_time() - started)


if __name__ == "__main__":
    against_pyplot(
        "plane-geometry",
        pyplot_rate,
        "draw + savefig PNG",
        __doc__,
        problem_kinds=("instruct", "all"),
        problems_shard=0,
    )
