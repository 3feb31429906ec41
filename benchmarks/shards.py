"""What the benchmarks share: timing shard tasks exactly as a run executes them."""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace

from mavis_engine import registry
from mavis_engine.pipeline import plan, run_shard


def shard_rates(generator: str, n: int, kind: str = "caption") -> list[tuple[float, dict]]:
    """Samples/s (and rows/s per kind) of two consecutive shards of ``n`` samples each:
    the first with cold caches, the second warm."""
    config = registry.get(generator)().config.model_dump(mode="json")
    out = []
    with tempfile.TemporaryDirectory() as folder:
        (task,) = plan(generator, config, 2 * n, 0, kind, 2 * n, folder)
        for row_kind in task.row_kinds:
            task.path(row_kind).parent.mkdir(parents=True)
        for start in (0, n):
            started = time.perf_counter()
            result = run_shard(replace(task, start=start, stop=start + n))
            seconds = time.perf_counter() - started
            out.append((n / seconds, {k: v / seconds for k, v in result.rows.items()}))
    return out
