"""The Ray backend: a run's shard tasks as Ray tasks, on a local Ray instance or a cluster.

A shard task is a pure function of (generator, config, seed, index range), so a Ray worker
anywhere writes the same bytes as a local process. The worker writes its shard files to
the output location itself (atomically, as every shard is written) and returns what it
wrote; only the driver records shards in the manifest, so resuming works the same with
either backend. Ray is imported only when this backend runs: the engine works without it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from mavis_engine.errors import UsageError

INSTALL_HINT = 'the ray backend needs Ray: pip install "mavis-engine[ray]"'
POLL_SECONDS = 0.2
CANCEL_GRACE_SECONDS = 10.0  # time for cancelled tasks to drop their temporary files


class Task(Protocol):
    """What the backend needs of a shard task (pipeline.ShardTask has it)."""

    start: int
    stop: int


@dataclass(frozen=True)
class RayOptions:
    """Where and how shard tasks run on Ray.

    ``address``: None starts a local Ray instance with ``workers`` CPUs; ``"auto"`` or a
    cluster address (``"10.0.0.1:6379"``, ``"ray://head:10001"``) joins a running cluster.
    ``cpus_per_task``: CPUs Ray reserves for each shard task. ``max_retries``: how often a
    task is run again after its worker died or it raised, before it counts as failed.
    In a process that has already called ``ray.init`` the runs use that connection (and
    leave it open): ``address`` and the local instance's CPUs are then not used.
    """

    address: str | None = None
    cpus_per_task: float = 1.0
    max_retries: int = 3

    def check(self) -> None:
        """Raise UsageError on a value Ray would refuse later, mid-run."""
        if not self.cpus_per_task > 0:
            raise UsageError(f"--ray-cpus-per-task must be positive, got {self.cpus_per_task}")
        if self.max_retries < 0:
            raise UsageError(f"--ray-max-retries must be 0 or more, got {self.max_retries}")
        if self.address is not None and not self.address.strip():
            raise UsageError("--address must name a Ray cluster (or 'auto')")


def require_ray() -> Any:
    """The ``ray`` module, or a one-line UsageError saying how to install it."""
    try:
        import ray
    except ImportError:
        raise UsageError(INSTALL_HINT) from None
    return ray


class _Progress:
    """A small actor the workers tell how far each shard has got. Counts are absolute
    per shard, so a retried task starting again from zero moves the bar back, not on."""

    def __init__(self) -> None:
        self.counts: dict[int, int] = {}

    def report(self, start: int, done: int) -> None:
        self.counts[start] = done

    def take(self) -> dict[int, int]:
        return self.counts


def _on_worker(shard_fn: Callable, task: Task, tracker: Any) -> Any:
    """Run one shard task on a Ray worker, reporting progress to ``tracker``."""
    done = 0

    def progress(samples: int) -> None:
        nonlocal done
        done += samples
        tracker.report.remote(task.start, done)

    tracker.report.remote(task.start, 0)
    return shard_fn(task, progress)


def _reason(exc: BaseException) -> str:
    """One line: the task's own exception where Ray carries it, else Ray's."""
    cause = getattr(exc, "cause", None)
    if isinstance(cause, BaseException):
        exc = cause
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else ''}".rstrip(": ")


class RayRunner:
    """Connects to Ray when made (so a bad address fails before anything is written) and
    runs shard tasks with ``run``; ``close`` shuts down only a Ray instance it started."""

    def __init__(self, workers: int, options: RayOptions) -> None:
        options.check()
        self.ray = require_ray()
        self.options = options
        self.started_here = not self.ray.is_initialized()
        if self.started_here:
            quiet = {"logging_level": logging.ERROR, "log_to_driver": False}
            try:
                if options.address is None:
                    self.ray.init(num_cpus=workers, include_dashboard=False, **quiet)
                else:
                    self.ray.init(address=options.address, **quiet)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                where = options.address or "a local instance"
                raise UsageError(f"cannot start or join Ray ({where}): {_reason(exc)}") from None

    def slots(self) -> int:
        """Shard tasks the cluster can run at once (read each time: nodes may join)."""
        cpus = self.ray.cluster_resources().get("CPU", 0)
        return max(1, int(cpus // self.options.cpus_per_task))

    def run(
        self,
        tasks: Iterable[Task],
        shard_fn: Callable[[Task, Callable[[int], None]], Any],
        bar: Any,
        finished: Callable[[Any], None],
        failed: Callable[[Task, str], None],
    ) -> None:
        """Run ``tasks`` (``shard_fn(task, progress)`` on a worker), no more submitted than
        the cluster runs at once: on an error or Ctrl-C nothing new starts, the running
        tasks are cancelled and those that already landed are still recorded. A task
        still failing after its retries goes to ``failed`` and the run goes on."""
        ray = self.ray
        tracker = ray.remote(num_cpus=0)(_Progress).remote()
        remote = ray.remote(
            num_cpus=self.options.cpus_per_task,
            max_retries=self.options.max_retries,
            retry_exceptions=True,
        )(_on_worker)
        shard_ref = ray.put(shard_fn)  # sent once, not with each task (it may carry a class)
        running: dict[Any, Task] = {}
        state = {"base": bar.n}  # samples done before this run plus shards landed since

        def collect(timeout: float) -> None:
            ready, _ = ray.wait(list(running), num_returns=len(running), timeout=timeout)
            for ref in ready:
                task = running.pop(ref)
                try:
                    result = ray.get(ref)
                except ray.exceptions.RayError as exc:
                    failed(task, _reason(exc))
                else:
                    state["base"] += task.stop - task.start
                    finished(result)
            counts = ray.get(tracker.take.remote())
            now = state["base"] + sum(counts.get(t.start, 0) for t in running.values())
            bar.update(now - bar.n)

        try:
            for task in tasks:
                while len(running) >= self.slots():
                    collect(POLL_SECONDS)
                running[remote.remote(shard_ref, task, tracker)] = task
            while running:
                collect(POLL_SECONDS)
        finally:
            self._stop(running, finished)
            ray.kill(tracker)

    def _stop(self, running: dict[Any, Task], finished: Callable[[Any], None]) -> None:
        """After an error or interrupt: record the tasks that landed, cancel the rest
        (KeyboardInterrupt in the task, so its shard writer drops its temporary files)."""
        if not running:
            return
        ray = self.ray
        ready, pending = ray.wait(list(running), num_returns=len(running), timeout=0)
        for ref in ready:
            # One that failed is not recorded; a rerun makes it again.
            with contextlib.suppress(ray.exceptions.RayError):
                finished(ray.get(ref))
        for ref in pending:
            ray.cancel(ref)
        if pending:
            ray.wait(pending, num_returns=len(pending), timeout=CANCEL_GRACE_SECONDS)

    def close(self) -> None:
        """Shut down the local Ray instance if this runner started it."""
        if self.started_here:
            self.ray.shutdown()
