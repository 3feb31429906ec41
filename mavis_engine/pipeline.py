"""Runs: shard tasks (pure functions of generator, config, seed and index range), worker
processes, progress, and the manifest that makes a run resumable and checkable."""

from __future__ import annotations

import functools
import json
import multiprocessing as mp
import os
import queue
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from mavis_engine import manifest as manifest_file
from mavis_engine import registry
from mavis_engine._version import __version__
from mavis_engine.card import CARD, write_card
from mavis_engine.errors import SampleFailed, ShardsFailed, UsageError
from mavis_engine.export.parquet import ShardWriter
from mavis_engine.generator import Generator
from mavis_engine.manifest import MANIFEST, file_sha256, shard_mismatch
from mavis_engine.ray_backend import RayOptions, RayRunner, require_ray

PROGRESS_EVERY = 16
INT64_MAX = 2**63 - 1  # seeds and sample indexes are stored as int64


BACKENDS = ("process", "ray")

# What each --kind writes.
ROW_KINDS = {
    "caption": ("caption",),
    "instruct": ("instruct", "preference"),
    "all": ("caption", "instruct", "preference"),
}


@dataclass(frozen=True)
class ShardTask:
    """One shard: samples ``start`` .. ``stop - 1`` of a run, one file per row kind."""

    generator: str
    config: dict[str, Any]
    seed: int
    start: int
    stop: int
    kind: str
    out: str

    @property
    def row_kinds(self) -> tuple[str, ...]:
        return ROW_KINDS[self.kind]

    def path(self, row_kind: str) -> Path:
        name = f"{self.generator}-{self.start:010d}-{self.stop:010d}.parquet"
        return Path(self.out) / row_kind / name

    @property
    def paths(self) -> dict[str, str]:
        """Each row kind's file, relative to the output directory."""
        return {k: str(self.path(k).relative_to(self.out)) for k in self.row_kinds}


@dataclass
class ShardResult:
    """What one shard task did."""

    paths: dict[str, str]
    start: int
    stop: int
    rows: dict[str, int]
    failed: int
    rejections: dict[str, int] = field(default_factory=dict)
    sha256: dict[str, str] = field(default_factory=dict)


def run_shard(
    task: ShardTask,
    progress: Callable[[int], None] | None = None,
    generator_cls: type[Generator] | None = None,
) -> ShardResult:
    """Generate and write one shard; the same task always writes the same rows.

    ``generator_cls`` stands in for the registry: a Ray worker is a fresh process, where a
    generator registered at run time by the driver (a script's own class) is unknown."""
    generator = (generator_cls or registry.get(task.generator))(**task.config)
    problems = "instruct" in task.row_kinds
    rejections: Counter = Counter()
    failed = pending = 0
    with ExitStack() as stack:
        writers = {k: stack.enter_context(ShardWriter(task.path(k), k)) for k in task.row_kinds}
        for index in range(task.start, task.stop):
            try:
                sample = generator.sample(task.seed, index, problems)
            except SampleFailed as failure:
                failed += 1
                rejections.update(failure.reasons)
            else:
                rejections.update(sample.rejections)
                for kind, writer in writers.items():
                    for row in sample.rows(kind):
                        writer.write(row)
            pending += 1
            if progress and pending >= PROGRESS_EVERY:
                progress(pending)
                pending = 0
    if progress and pending:
        progress(pending)
    rows = {k: w.count for k, w in writers.items()}
    sums = {k: file_sha256(task.path(k)) for k in task.row_kinds}
    return ShardResult(task.paths, task.start, task.stop, rows, failed, dict(rejections), sums)


def _run_remote(
    task: ShardTask, progress: Callable[[int], None], generator_cls: type[Generator], version: str
) -> ShardResult:
    """run_shard on another machine, which must hold the driver's engine version (the
    rows would differ, and carry another ``engine_version``, under any other)."""
    if __version__ != version:
        raise RuntimeError(f"this worker has mavis-engine {__version__}; the run needs {version}")
    return run_shard(task, progress, generator_cls)


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
    try:
        manifest = manifest_file.read(out)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if manifest is not None:
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
) -> Iterator[ShardTask]:
    """The shard tasks of a run, made as they are taken, so memory does not grow with
    ``n`` (another executor may run them in any order)."""
    for start in range(0, n, shard_size):
        yield ShardTask(generator, config, seed, start, min(start + shard_size, n), kind, str(out))


SHARD_SIZE = 1000


def default_shard_size(n: int, workers: int) -> int:
    """Samples per shard when the user does not say: 1000, or fewer so that every worker
    has a shard (a shard is the unit of work a worker takes)."""
    return max(1, min(SHARD_SIZE, -(-n // workers)))


def _recorded_shard_size(out: Path) -> int | None:
    """The shard size a run in ``out`` recorded (so that resuming it with another worker
    count, or one written before shard sizes adapted, keeps its shards)."""
    try:
        manifest = manifest_file.read(out) if out.is_dir() else None
    except ValueError:
        return None  # _check_out_dir says what is wrong with it
    size = ((manifest or {}).get("run") or {}).get("shard_size")
    return size if isinstance(size, int) and size >= 1 else None


def generate(
    generator: str,
    n: int,
    seed: int,
    out: str | Path,
    *,
    config: dict[str, Any] | None = None,
    workers: int = 1,
    kind: str = "caption",
    shard_size: int | None = None,
    progress: bool = True,
    backend: str = "process",
    ray_options: RayOptions | None = None,
    languages: str | Sequence[str] | None = None,
) -> dict[str, Any]:
    """Generate ``n`` samples into ``out``; returns the manifest. Resumes a matching run.

    ``backend``: ``"process"`` runs shard tasks in this process or a pool of ``workers``
    processes; ``"ray"`` runs them as Ray tasks (``ray_options`` says where and how; by
    default a local Ray instance with ``workers`` CPUs). Either backend writes the same
    bytes and may resume the other's run. A shard task that fails (with Ray, after its
    retries) is recorded in the manifest's ``failed_shards`` while the others go on, and
    ShardsFailed is raised at the end. ``languages`` (``"en,zh"`` or a list; default
    the config's, English) gives each sample's rows in every language named.
    ``shard_size`` None: what a run being resumed recorded, else ``default_shard_size``.
    """
    if n < 1:
        raise UsageError(f"--n must be a positive number of samples, got {n}")
    if not 0 <= seed <= INT64_MAX:
        raise UsageError(f"--seed must be between 0 and 2**63 - 1, got {seed}")
    if n - 1 > INT64_MAX:
        raise UsageError(f"--n must be at most 2**63 (indexes are stored as int64), got {n}")
    if workers < 1:
        raise UsageError(f"--workers must be at least 1, got {workers}")
    if shard_size is not None and shard_size < 1:
        raise UsageError(f"--shard-size must be at least 1, got {shard_size}")
    if kind not in ROW_KINDS:
        raise UsageError(f"unknown --kind {kind!r}; available: {', '.join(ROW_KINDS)}")
    if backend not in BACKENDS:
        raise UsageError(f"unknown --backend {backend!r}; available: {', '.join(BACKENDS)}")
    if ray_options is not None and backend != "ray":
        raise UsageError("Ray options (--address, --ray-*) need --backend ray")
    if backend == "ray":
        ray_options = ray_options or RayOptions()
        ray_options.check()
        require_ray()  # missing Ray: one line before anything is written
    try:
        gen_cls = registry.get(generator)
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from None
    missing = set(ROW_KINDS[kind]) - {"caption", *gen_cls.problem_kinds}
    if missing:
        raise UsageError(f"generator {generator!r} makes no {'/'.join(sorted(missing))} rows")
    if languages is not None:
        config = {**(config or {}), "languages": languages}
    # Validating the config here makes a bad value fail before anything is written.
    gen = gen_cls(**(config or {}))
    unwritten = gen.unwritten_languages("instruct" in ROW_KINDS[kind])
    if unwritten:
        what = "problems" if gen.unwritten_languages(False) != unwritten else "text"
        raise UsageError(
            f"generator {generator!r} cannot write its {what} in {', '.join(unwritten)} yet"
        )
    full_config = gen.config.model_dump(mode="json")
    out = Path(out)
    if shard_size is None:
        shard_size = _recorded_shard_size(out) or default_shard_size(n, workers)
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

    done, stale = {}, []
    for shard in (previous or {}).get("shards", []):
        why = shard_mismatch(out, shard)
        if why is None:
            done[shard["start"]] = shard
        else:
            stale.append(why)
    for why in stale:
        print(f"mavis-engine: regenerating a shard: {why}", file=sys.stderr)
    shards_total = -(-n // shard_size)
    if previous and previous.get("status") == "complete" and len(done) == shards_total:
        if not (out / CARD).exists():
            write_card(out)
        return {**previous, "nothing_to_do": True}
    # Absolute, since a Ray worker resolves a relative path from its own directory.
    tasks = plan(generator, full_config, n, seed, kind, shard_size, out.absolute())
    todo = (t for t in tasks if t.start not in done)
    todo_samples = n - sum(s["stop"] - s["start"] for s in done.values())
    # Ray is joined before the first write, so a bad address leaves nothing behind.
    runner = RayRunner(workers, ray_options) if ray_options is not None else None
    for row_kind in ROW_KINDS[kind]:
        (out / row_kind).mkdir(parents=True, exist_ok=True)
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

    failures: list[dict[str, Any]] = []

    def failed(task: ShardTask, error: str) -> None:
        failures.append(
            {"start": task.start, "stop": task.stop, "paths": task.paths, "error": error}
        )

    try:
        if runner is not None:
            shard_fn = functools.partial(_run_remote, generator_cls=gen_cls, version=__version__)
            runner.run(todo, shard_fn, bar, finished, failed)
        elif workers == 1 or shards_total - len(done) <= 1:
            for task in todo:
                try:
                    finished(run_shard(task, bar.update))
                except Exception as exc:  # a bug in a generator: the other shards go on
                    failed(task, _failure(exc))
        else:
            _run_pool(todo, workers, bar, finished, failed)
    finally:
        bar.close()
        if runner is not None:
            runner.close()

    elapsed = time.perf_counter() - started
    shards = manifest["shards"]
    rejections: Counter = Counter()
    for s in shards:
        rejections.update(s["rejections"])
    manifest.update(
        status="failed" if failures else "complete",
        rows={k: sum(s["rows"][k] for s in shards) for k in ROW_KINDS[kind]},
        failed_samples=sum(s["failed"] for s in shards),
        seed=seed,
        index_range=[0, n],
        engine_version=__version__,
        rejections=dict(sorted(rejections.items())),
        seconds=round(elapsed, 3),
        samples_per_second=round(todo_samples / max(elapsed, 1e-9), 2),
    )
    if failures:
        manifest["failed_shards"] = sorted(failures, key=lambda f: f["start"])
    _write_json(out / MANIFEST, manifest)
    # From the files on disk, so the card is right after a resumed or mixed run too.
    write_card(out)
    if failures:
        raise ShardsFailed(manifest)
    return manifest


def _run_pool(
    tasks: Iterator[ShardTask],
    workers: int,
    bar: tqdm,
    finished: Callable[[ShardResult], None],
    failed: Callable[[ShardTask, str], None],
) -> None:
    """Run shard tasks on ``workers`` processes, no more submitted than are running: a
    shard that raises is reported to ``failed`` and the others go on; on Ctrl-C no new
    shard starts, and the shards that finish meanwhile are still recorded (they are
    whole on disk)."""
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    context = mp.get_context(method)
    progress_queue = context.Queue()
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(progress_queue,)
    )
    running: dict = {}  # future -> its task
    try:
        for task in tasks:
            while len(running) >= workers:
                _collect(running, progress_queue, bar, finished, failed)
            running[pool.submit(_run_in_worker, task)] = task
        while running:
            _collect(running, progress_queue, bar, finished, failed)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        for future in running:  # finished while an interrupt was handled
            if not future.cancelled() and future.exception() is None:
                finished(future.result())


def _collect(
    running: dict, progress_queue: Any, bar: tqdm, finished: Callable, failed: Callable
) -> None:
    """Wait a little for the running shards; take those that finished out of ``running``
    and record them, or their failure."""
    done, _ = wait(running, timeout=0.2, return_when=FIRST_COMPLETED)
    _drain(progress_queue, bar)
    for future in done:
        task = running.pop(future)
        error = future.exception()
        if error is None:
            finished(future.result())
        elif isinstance(error, Exception):
            failed(task, _failure(error))
        else:  # KeyboardInterrupt and the like stop the run
            raise error


def _failure(error: BaseException) -> str:
    """A failed shard's error for the manifest; its traceback goes to stderr now, since a
    bug in a generator is found from it."""
    traceback.print_exception(error, file=sys.stderr)
    return "".join(traceback.format_exception_only(error)).strip()


def _drain(progress_queue: Any, bar: tqdm) -> None:
    while True:
        try:
            bar.update(progress_queue.get_nowait())
        except queue.Empty:
            return
