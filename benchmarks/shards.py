"""What the benchmarks share: timing shard tasks exactly as a run executes them.

Times are CPU seconds of this process (``time.process_time``), or of a child process for a
whole ``generate`` run: on a shared machine wall-clock time measures the neighbours too.
"""

from __future__ import annotations

import argparse
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace

from mavis_engine import registry
from mavis_engine.pipeline import plan, run_shard


def shard_rates(generator: str, n: int, kind: str = "caption") -> list[tuple[float, dict]]:
    """Samples per CPU second (and rows per CPU second per kind) of two consecutive shards
    of ``n`` samples each: the first with cold caches, the second warm."""
    config = registry.get(generator)().config.model_dump(mode="json")
    out = []
    with tempfile.TemporaryDirectory() as folder:
        (task,) = plan(generator, config, 2 * n, 0, kind, 2 * n, folder)
        for row_kind in task.row_kinds:
            task.path(row_kind).parent.mkdir(parents=True)
        for start in (0, n):
            started = time.process_time()
            result = run_shard(replace(task, start=start, stop=start + n))
            seconds = time.process_time() - started
            out.append((n / seconds, {k: v / seconds for k, v in result.rows.items()}))
    return out


# What painting a picture calls in Pillow: strokes, glyphs, the 2x reduction, the palette,
# the PNG encoding. Time inside them is what no change outside Pillow can remove.
_PILLOW = {
    "ImageDraw": ("line", "polygon", "ellipse", "rectangle", "arc", "text", "point"),
    "Image": ("reduce", "quantize", "save", "paste", "copy", "convert", "resize", "new"),
}


def ceiling(generator: str, n: int, kind: str = "caption") -> float:
    """Samples per CPU second if a sample cost only its Pillow work (drawing, reduction,
    glyphs, palette, PNG encoding): the rate no change outside Pillow can pass. Measured
    on a warm shard of ``n`` after a cold one, timing every Pillow call of ``_PILLOW``."""
    from PIL import Image, ImageDraw

    spent = [0.0]
    depth = [0]

    def timed(fn: Callable) -> Callable:
        def wrapper(*args, **kwargs):
            depth[0] += 1
            started = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                depth[0] -= 1
                if not depth[0]:  # outermost only: text() draws through paste() and new()
                    spent[0] += time.process_time() - started

        return wrapper

    owners = {"ImageDraw": ImageDraw.ImageDraw, "Image": Image.Image}
    saved = []
    for owner, names in _PILLOW.items():
        for name in names:
            home = Image if name == "new" else owners[owner]
            saved.append((home, name, getattr(home, name)))
            setattr(home, name, timed(getattr(home, name)))
    try:
        shard_rates(generator, n, kind)  # a cold shard, then a warm one: both timed
    finally:
        for home, name, fn in saved:
            setattr(home, name, fn)
    return 2 * n / spent[0]


def process_rate(generator: str, n: int, kind: str = "caption") -> float:
    """Samples per CPU second of a whole ``mavis-engine generate`` run of ``n`` samples in a
    fresh process on one worker: start-up, imports and cold caches included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory() as folder:
        command = ["generate", generator, "--n", str(n), "--kind", kind, "--out", folder + "/run"]
        subprocess.run(
            [sys.executable, "-m", "mavis_engine.cli", *command, "--workers", "1", "--quiet"],
            check=True,
            capture_output=True,
            cwd=folder,  # the engine the environment has, not a checkout in the working dir
        )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return n / cpu


def against_pyplot(
    generator: str,
    pyplot_rate: Callable[[int], float],
    drawn: str,
    doc: str,
    problem_kinds: tuple[str, ...] = ("all",),
    problems_n: int = 300,
    problems_shard: int = 1,
) -> None:
    """What each domain's benchmark prints: the engine's samples/s (a cold shard, then a
    warm one) against a pyplot script drawing ``drawn``, then problems/s for each of
    ``problem_kinds`` (on shard ``problems_shard``: 0 cold, 1 warm)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="engine samples per shard")
    parser.add_argument("--baseline-n", type=int, default=300, help="pyplot samples")
    parser.add_argument("--problems-n", type=int, default=problems_n, help="problems per shard")
    parser.add_argument(
        "--process-n", type=int, default=300, help="samples of the fresh-process runs"
    )
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, one process; rates per CPU second"
    )
    (cold, _), (warm, _) = shard_rates(generator, args.n)
    base = pyplot_rate(args.baseline_n)
    print(
        f"mavis-engine {generator}, end to end: {cold:.1f} samples/s over the first "
        f"{args.n} (cold caches), {warm:.1f} samples/s over the next {args.n}"
    )
    print(f"plain pyplot script ({drawn}): {base:.1f} samples/s")
    print(f"speed-up over pyplot: {cold / base:.2f}x cold, {warm / base:.2f}x warm")
    top = ceiling(generator, args.n)
    print(f"ceiling (Pillow's drawing and PNG encoding alone): {top:.1f} samples/s")
    for kind in problem_kinds:
        rate, rows = shard_rates(generator, args.problems_n, kind)[problems_shard]
        per_kind = ", ".join(f"{v:.1f} {k} rows/s" for k, v in rows.items())
        state = "warm" if problems_shard else "cold"
        print(f"--kind {kind}: {rate:.1f} problems/s ({per_kind}) over {args.problems_n}, {state}")
    top = ceiling(generator, args.problems_n, "instruct")
    print(f"problems' ceiling (Pillow alone, --kind instruct): {top:.1f} problems/s")
    # The issue-17 measure: a fresh `generate` process each, start-up included, 300 captions
    # and a fifth as many problems (five images each), against the baseline's captions/s.
    captions = process_rate(generator, args.process_n)
    problems = process_rate(generator, args.process_n // 5, "instruct")
    print(
        f"fresh process, start-up included: {captions:.1f} captions/s over {args.process_n} "
        f"({captions / base:.2f}x pyplot), --kind instruct {problems:.1f} problems/s over "
        f"{args.process_n // 5} ({problems / base:.2f}x pyplot's captions/s)"
    )
