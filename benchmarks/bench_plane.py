"""End-to-end plane-geometry throughput on one worker, against a plain pyplot baseline.

End to end means everything a shard task does: parameters, exact maths, fact checks,
caption, rendering, PNG encoding and the Parquet write. The baseline is the script people
write first: matplotlib pyplot drawing the same figures (outlines, arcs, vertex letters,
measure labels; the figures themselves are built beforehand and not timed) and saving one
512 px PNG per sample.

    python benchmarks/bench_plane.py [--n 2000] [--baseline-n 300]
"""

from __future__ import annotations

import argparse
import io
import platform
import time

from shards import shard_rates


def engine_rate(n: int) -> tuple[float, float]:
    """Samples/s over a first shard (cold caches) and a second one (warm)."""
    (cold, _), (warm, _) = shard_rates("plane-geometry", n)
    return cold, warm


def problem_rate(n: int, kind: str) -> tuple[float, dict[str, float]]:
    """Problems/s on one worker for ``--kind instruct`` or ``all`` (rows/s per kind too)."""
    rate, rows = shard_rates("plane-geometry", n, kind)[0]
    return rate, {k: round(v, 1) for k, v in rows.items()}


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
    started = time.perf_counter()
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
    return n / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="engine samples")
    parser.add_argument("--baseline-n", type=int, default=300, help="pyplot samples")
    parser.add_argument("--problems-n", type=int, default=300, help="problems (instruct, all)")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, one process"
    )
    cold, warm = engine_rate(args.n)
    base = pyplot_rate(args.baseline_n)
    print(
        f"mavis-engine plane-geometry, end to end: {cold:.1f} samples/s over the first "
        f"{args.n} (cold caches), {warm:.1f} samples/s over the next {args.n}"
    )
    print(f"plain pyplot script (draw + savefig PNG): {base:.1f} samples/s")
    print(f"speed-up over pyplot: {cold / base:.2f}x cold, {warm / base:.2f}x warm")
    for kind in ("instruct", "all"):
        rate, rows = problem_rate(args.problems_n, kind)
        per_kind = ", ".join(f"{v} {k} rows/s" for k, v in rows.items())
        print(f"--kind {kind}: {rate:.1f} problems/s ({per_kind}) over {args.problems_n}")


if __name__ == "__main__":
    main()
