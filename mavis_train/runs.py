"""A stage's output directory: what run it holds, resuming it, pruning checkpoints.

A stage writes ``run_config.json`` (what decides its result: the models, the split, the
stage's settings, the data and init directories) before training. Rerunning into a
directory that holds a run needs ``--resume``, and resuming is refused when that record
differs, so an old run's checkpoints and losses are never taken for a new one's.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from mavis_train.config import TrainConfig

RECORD = "run_config.json"


class RunError(ValueError):
    """The output directory holds a run this command may not continue."""


def fingerprint(cfg: TrainConfig, stage: int, **paths: str | Path | None) -> dict[str, Any]:
    """Everything that decides stage ``stage``'s result."""
    shared = cfg.model_dump(include={"name", "clip", "lm", "tiny", "bf16", "seed", "heldout"})
    return {
        "stage": stage,
        **shared,
        "settings": cfg.model_dump()[f"stage{stage}"],
        **{k: str(Path(v).resolve()) if v else None for k, v in paths.items()},
    }


def _differences(old: dict, new: dict, prefix: str = "") -> list[str]:
    keys = sorted(set(old) | set(new))
    out = []
    for k in keys:
        a, b = old.get(k), new.get(k)
        if isinstance(a, dict) and isinstance(b, dict):
            out += _differences(a, b, f"{prefix}{k}.")
        elif a != b:
            out.append(f"{prefix}{k}")
    return out


def last_checkpoint(out: Path) -> str | None:
    """The newest checkpoint an interrupted run of this stage left."""
    checkpoints = sorted(
        (out / "checkpoints").glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1])
    )
    return str(checkpoints[-1]) if checkpoints else None


def finished(out: Path, record: dict[str, Any]) -> dict[str, Any] | None:
    """The metrics of a finished run of exactly this stage, or None."""
    saved, metrics = out / RECORD, out / "metrics.json"
    if saved.exists() and metrics.exists() and json.loads(saved.read_text()) == record:
        return json.loads(metrics.read_text())
    return None


def start(out: Path, record: dict[str, Any], resume: bool, main_process: bool = True) -> str | None:
    """Check ``out`` before a stage trains; returns the checkpoint to resume from.
    Only the main process checks and writes (the others would find its record)."""
    if not main_process:
        return last_checkpoint(out) if resume else None
    saved = out / RECORD
    earlier = saved.exists() or (out / "metrics.json").exists() or last_checkpoint(out)
    if earlier and not resume:
        raise RunError(
            f"{out} holds an earlier run: pass --resume to continue it, or choose another --output"
        )
    if resume and saved.exists():
        changed = _differences(json.loads(saved.read_text()), record)
        if changed:
            raise RunError(f"cannot resume {out}: its config differs in {', '.join(changed)}")
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").unlink(missing_ok=True)
    saved.write_text(json.dumps(record, indent=2) + "\n")
    return last_checkpoint(out) if resume else None


def finish(out: Path, metrics: dict[str, Any], main_process: bool = True) -> None:
    """Write the metrics and drop the checkpoints: the stage's model is in ``out``."""
    if main_process:
        (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
        shutil.rmtree(out / "checkpoints", ignore_errors=True)
