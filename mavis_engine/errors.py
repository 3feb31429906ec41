"""The engine's errors: typed rejections (a sample attempt that fails says why, so runs
can count reasons), failed samples, and bad input to a run."""

from __future__ import annotations


class Rejected(Exception):
    """An attempt was rejected for ``reason`` (a short snake_case tag); ``inner`` counts
    the retries inside the attempt that were rejected before it gave up (by reason)."""

    def __init__(self, reason: str, detail: str = "", inner: dict[str, int] | None = None) -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.inner = dict(inner or {})


class SampleFailed(Exception):
    """Every attempt of a sample was rejected within the budget."""

    def __init__(self, seed: int, index: int, reasons: dict[str, int]) -> None:
        super().__init__(
            f"sample (seed={seed}, index={index}) rejected on every attempt: {reasons}"
        )
        self.reasons = reasons


class UsageError(ValueError):
    """Bad input to a run: reported as one line, before anything is written."""


class ShardsFailed(RuntimeError):
    """Some shard tasks of a run failed (after their retries) while the others were
    written; ``manifest`` is the run's manifest, its ``failed_shards`` say which and why.
    Rerunning the same run makes only the missing shards."""

    def __init__(self, manifest: dict) -> None:
        failures = manifest["failed_shards"]
        super().__init__(
            f"{len(failures)} shard(s) failed; rerun the same command to make them again"
        )
        self.manifest = manifest
