"""Planning numbers for docs/scale.md: samples/s per core for each domain and kind, bytes
per sample, and the Ray backend against the process pool on 1 and 2 CPUs.

Per core means one process running shard tasks exactly as a run does (`run_shard`: maths,
text, rendering, PNG encoding, Parquet writing), timed on a second, warm shard. The
backend comparison runs the same `generate` call with each backend; its time is the run's
own (manifest `seconds`, Ray's own start-up left out). Ray runs several times on one
instance: the first run includes starting its worker processes (each imports the engine
afresh, where a forked pool worker inherits it), the later ones show the steady cost. The
overhead per shard is their extra time over the pool on each CPU, divided by the shards.
Runs are repeated and the best kept, since this machine may be shared.

    python benchmarks/bench_throughput.py [--n 300] [--problems-n 100] [--ray-n 800]
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from mavis_engine import registry
from mavis_engine.pipeline import generate, plan, run_shard
from mavis_engine.ray_backend import RayOptions

DOMAINS = ("plane-geometry", "function", "analytic-geometry")
# MAVIS-Caption's 588K pairs by domain (paper); its 834K problems are split the same way
# here (an assumption: the paper gives no per-domain count for them).
MAVIS_CAPTIONS = {"plane-geometry": 299_000, "function": 212_000, "analytic-geometry": 77_000}
MAVIS_PROBLEMS = {g: round(834_000 * n / 588_000) for g, n in MAVIS_CAPTIONS.items()}


def per_core(generator: str, kind: str, n: int, repeat: int) -> tuple[float, dict[str, float]]:
    """Samples/s of one process on a warm shard of ``n`` samples (best of ``repeat``
    shards), and bytes per sample written for each row kind."""
    config = registry.get(generator)().config.model_dump(mode="json")
    with tempfile.TemporaryDirectory() as folder:
        task = next(plan(generator, config, (repeat + 1) * n, 0, kind, n, folder))
        for row_kind in task.row_kinds:
            task.path(row_kind).parent.mkdir(parents=True)
        run_shard(task)  # warms caches: fonts, templates, SymPy
        rates, sizes = [], {}
        for start in range(n, (repeat + 1) * n, n):
            shard = replace(task, start=start, stop=start + n)
            started = time.perf_counter()
            run_shard(shard)
            rates.append(n / (time.perf_counter() - started))
            sizes = {k: shard.path(k).stat().st_size / n for k in task.row_kinds}
    return max(rates), sizes


def backend_rate(generator: str, n: int, shard: int, workers: int, backend: str) -> float:
    """Samples/s of a whole ``generate`` run (its own timing, from the manifest)."""
    with tempfile.TemporaryDirectory() as folder:
        manifest = generate(
            generator,
            n,
            0,
            Path(folder) / "out",
            workers=workers,
            shard_size=shard,
            progress=False,
            backend=backend,
            ray_options=RayOptions() if backend == "ray" else None,
        )
    return manifest["samples_per_second"]


def plan_mavis(rates: dict[tuple[str, str], float]) -> None:
    """Core-hours for a MAVIS-size dataset at these rates, and cores for a wall time."""
    caption = sum(n / rates[g, "caption"] for g, n in MAVIS_CAPTIONS.items()) / 3600
    # --kind all makes each problem's caption row too; 834K samples cover 588K captions.
    problems = sum(n / rates[g, "all"] for g, n in MAVIS_PROBLEMS.items()) / 3600
    print("\nMAVIS-size plan (588K captions; 834K problems, split as the captions are):")
    for what, hours in (("--kind caption, 588K", caption), ("--kind all, 834K", problems)):
        cores = ", ".join(f"{hours / wall:.1f} cores for {wall} h" for wall in (24, 1))
        print(f"  {what}: {hours:.1f} core-hours ({cores})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="caption samples per shard")
    parser.add_argument("--problems-n", type=int, default=100, help="--kind all samples")
    parser.add_argument("--ray-n", type=int, default=800, help="samples per backend run")
    parser.add_argument("--ray-shard", type=int, default=100, help="shard size of those runs")
    parser.add_argument("--ray-domain", default="analytic-geometry")
    parser.add_argument("--repeat", type=int, default=2, help="backend runs, best kept")
    args = parser.parse_args()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, load average {load}, "
        f"{platform.python_implementation()} {platform.python_version()}"
    )
    print(f"\nper core (one process, warm shard, best of {args.repeat}):")
    print(f"{'domain':<18} {'kind':<8} {'samples/s':>9}  bytes per sample by row kind")
    rates = {}
    for generator in DOMAINS:
        for kind, n in (("caption", args.n), ("all", args.problems_n)):
            rate, sizes = per_core(generator, kind, n, args.repeat)
            rates[generator, kind] = rate
            size = ", ".join(f"{k} {v / 1000:.1f} KB" for k, v in sizes.items())
            print(f"{generator:<18} {kind:<8} {rate:>9.1f}  {size}")
    plan_mavis(rates)

    shards = -(-args.ray_n // args.ray_shard)
    print(
        f"\nbackends: {args.ray_domain} --kind caption, {args.ray_n} samples in {shards} "
        f"shards of {args.ray_shard}, samples/s (best of {args.repeat}; Ray's first run on "
        "fresh workers apart):"
    )
    print(f"{'cpus':>4} {'process':>8} {'ray first':>10} {'ray again':>10} {'overhead/shard':>15}")
    import ray

    for workers in (1, 2):
        # Best of a few runs: the machine may be shared. The pool runs first, as forking
        # a process connected to Ray is asking for trouble.
        pool = max(
            backend_rate(args.ray_domain, args.ray_n, args.ray_shard, workers, "process")
            for _ in range(args.repeat)
        )
        ray.init(num_cpus=workers, include_dashboard=False, logging_level="ERROR")
        try:
            first = backend_rate(args.ray_domain, args.ray_n, args.ray_shard, workers, "ray")
            again = max(
                backend_rate(args.ray_domain, args.ray_n, args.ray_shard, workers, "ray")
                for _ in range(args.repeat)
            )
        finally:
            ray.shutdown()
        # Extra seconds per shard on each CPU, once the workers are up.
        overhead = (args.ray_n / again - args.ray_n / pool) * workers / shards
        print(f"{workers:>4} {pool:>8.1f} {first:>10.1f} {again:>10.1f} {overhead:>13.3f} s")


if __name__ == "__main__":
    main()
