"""Runs: shard tasks (pure functions of generator, config, seed and index range), worker
processes, progress, and the manifest that makes a run resumable and checkable."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import queue
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from mavis_engine import registry
from mavis_engine._version import __version__
from mavis_engine.errors import SampleFailed
from mavis_engine.export.parquet import ShardWriter
from mavis_engine.export.schema import KINDS as SCHEMAS

MANIFEST = "manifest.json"
PLANNED_KINDS = ("instruct", "all")  # accepted by the CLI's grammar; built by later work
PROGRESS_EVERY = 16


class UsageError(ValueError):
    """Bad input to a run: reported as one line, before anything is written."""


@dataclass(frozen=True)
class ShardTask:
    """One shard: samples ``start`` .. ``stop - 1`` of a run, written under ``out/kind``."""

    generator: str
    config: dict[str, Any]
    seed: int
    start: int
    stop: int
    kind: str
    out: str

    @property
    def path(self) -> Path:
        return (
            Path(self.out)
            / self.kind
            / f"{self.generator}-{self.start:010d}-{self.stop:010d}.parquet"
        )


@dataclass
class ShardResult:
    """What one shard task did."""

    path: str
    start: int
    stop: int
    rows: int
    failed: int
    rejections: dict[str, int] = field(default_factory=dict)


def run_shard(task: ShardTask, progress: Callable[[int], None] | None = None) -> ShardResult:
    """Generate and write one shard; the same task always writes the same rows."""
    generator = registry.get(task.generator)(**task.config)
    rejections: Counter = Counter()
    failed = pending = 0
    with ShardWriter(task.path, task.kind) as writer:
        for index in range(task.start, task.stop):
            try:
                sample = generator.sample(task.seed, index)
            except SampleFailed as failure:
                failed += 1
                rejections.update(failure.reasons)
            else:
                rejections.update(sample.rejections)
                writer.write(sample.caption_row())
            pending += 1
            if progress and pending >= PROGRESS_EVERY:
                progress(pending)
                pending = 0
    if progress and pending:
        progress(pending)
    return ShardResult(
        str(task.path.relative_to(task.out)),
        task.start,
        task.stop,
        writer.count,
        failed,
        dict(rejections),
    )


_progress_queue: Any = None


def _init_worker(progress_queue: Any) -> None:
    global _progress_queue
    _progress_queue = progress_queue


def _run_in_worker(task: ShardTask) -> ShardResult:
    return run_shard(task, _progress_queue.put if _progress_queue is not None else None)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n")
    os.replace(tmp, path)


def _check_out_dir(out: Path, spec: dict[str, Any]) -> dict[str, Any] | None:
    """The existing manifest if ``out`` holds this same run; raise if it holds anything else."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"output path {out} exists and is not a directory")
    manifest_path = out / MANIFEST
    if manifest_path.exists():
        try:
            manifest = json.loads(manifest_path.read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise UsageError(f"{manifest_path} is unreadable: {exc}") from None
        if manifest.get("run") != spec:
            raise UsageError(f"output directory {out} holds a different run; choose another --out")
        return manifest
    if out.exists() and any(out.iterdir()):
        raise UsageError(f"output directory {out} is not empty and holds no mavis-engine run")
    probe = out if out.exists() else next((p for p in out.parents if p.exists()), Path("."))
    if not os.access(probe, os.W_OK | os.X_OK):
        raise UsageError(f"output directory {out} is not writable")
    return None


def plan(
    generator: str, config: dict[str, Any], n: int, seed: int, kind: str, shard_size: int, out: Path
) -> list[ShardTask]:
    """The shard tasks of a run (another executor may run them in any order)."""
    return [
        ShardTask(generator, config, seed, start, min(start + shard_size, n), kind, str(out))
        for start in range(0, n, shard_size)
    ]


def generate(
    generator: str,
    n: int,
    seed: int,
    out: str | Path,
    *,
    config: dict[str, Any] | None = None,
    workers: int = 1,
    kind: str = "caption",
    shard_size: int = 1000,
    progress: bool = True,
) -> dict[str, Any]:
    """Generate ``n`` samples into ``out``; returns the manifest. Resumes a matching run."""
    if n < 1:
        raise UsageError(f"--n must be a positive number of samples, got {n}")
    if seed < 0:
        raise UsageError(f"--seed must be non-negative, got {seed}")
    if workers < 1:
        raise UsageError(f"--workers must be at least 1, got {workers}")
    if shard_size < 1:
        raise UsageError(f"--shard-size must be at least 1, got {shard_size}")
    if kind in PLANNED_KINDS:
        raise UsageError(f"--kind {kind} is not available yet; available: {', '.join(SCHEMAS)}")
    if kind not in SCHEMAS:
        raise UsageError(f"unknown --kind {kind!r}; available: {', '.join(SCHEMAS)}")
    try:
        gen_cls = registry.get(generator)
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from None
    # Validating the config here makes a bad value fail before anything is written.
    full_config = gen_cls(**(config or {})).config.model_dump(mode="json")
    out = Path(out)
    spec = {
        "generator": generator,
        "config": full_config,
        "seed": seed,
        "n": n,
        "kind": kind,
        "shard_size": shard_size,
        "engine_version": __version__,
    }
    previous = _check_out_dir(out, spec)

    tasks = plan(generator, full_config, n, seed, kind, shard_size, out)
    done = {s["path"]: s for s in (previous or {}).get("shards", []) if (out / s["path"]).exists()}
    todo = [t for t in tasks if str(t.path.relative_to(out)) not in done]
    (out / kind).mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {"status": "running", "run": spec, "shards": list(done.values())}
    _write_json(out / MANIFEST, manifest)

    started = time.perf_counter()
    bar = tqdm(
        total=n,
        initial=sum(s["stop"] - s["start"] for s in done.values()),
        unit="sample",
        disable=not progress,
        smoothing=0.1,
    )

    def finished(result: ShardResult) -> None:
        manifest["shards"].append(asdict(result))
        manifest["shards"].sort(key=lambda s: s["start"])
        _write_json(out / MANIFEST, manifest)

    try:
        if workers == 1 or len(todo) <= 1:
            for task in todo:
                finished(run_shard(task, bar.update))
        else:
            _run_pool(todo, workers, bar, finished)
    finally:
        bar.close()

    elapsed = time.perf_counter() - started
    shards = manifest["shards"]
    rejections: Counter = Counter()
    for s in shards:
        rejections.update(s["rejections"])
    manifest.update(
        status="complete",
        rows=sum(s["rows"] for s in shards),
        failed_samples=sum(s["failed"] for s in shards),
        seed=seed,
        index_range=[0, n],
        engine_version=__version__,
        rejections=dict(sorted(rejections.items())),
        seconds=round(elapsed, 3),
        samples_per_second=round(sum(t.stop - t.start for t in todo) / max(elapsed, 1e-9), 2),
    )
    _write_json(out / MANIFEST, manifest)
    return manifest


def _run_pool(
    tasks: list[ShardTask], workers: int, bar: tqdm, finished: Callable[[ShardResult], None]
) -> None:
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    context = mp.get_context(method)
    progress_queue = context.Queue()
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(progress_queue,)
    )
    try:
        pending = {pool.submit(_run_in_worker, task) for task in tasks}
        while pending:
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            _drain(progress_queue, bar)
            for future in done:
                finished(future.result())
        _drain(progress_queue, bar)
    finally:
        # On an error or Ctrl-C, drop the shards not started; finished ones stay for resume.
        pool.shutdown(wait=True, cancel_futures=True)


def _drain(progress_queue: Any, bar: tqdm) -> None:
    while True:
        try:
            bar.update(progress_queue.get_nowait())
        except queue.Empty:
            return
