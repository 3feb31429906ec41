"""What stages 2-4 share: streaming conversational datasets, TRL arguments, LoRA,
saving a directory plain transformers loads, metrics from the trainer's log."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import datasets
import torch
from peft import LoraConfig
from transformers import AutoModelForImageTextToText, AutoProcessor

from mavis_train import data
from mavis_train.config import StageConfig, TrainConfig

DESCRIBE = "Describe the diagram."
HELDOUT = 0.1  # share of problems held out of stages 3-4 for answer accuracy


def user_turn(text: str) -> dict[str, Any]:
    return {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": text}]}


def assistant_turn(text: str) -> dict[str, Any]:
    return {"role": "assistant", "content": [{"type": "text", "text": text}]}


def streaming(
    files: list[Path],
    convert: Callable[[dict], dict],
    split: str = "all",
    heldout: float = 0.0,
    key: str = "id",
) -> datasets.IterableDataset:
    """A dataset that reads the shards as it goes (nothing loaded whole, nothing cached)."""

    def generate() -> Iterator[dict]:
        for row in data.rows(files):
            if split != "all" and data.is_heldout(row[key], heldout) != (split == "heldout"):
                continue
            yield convert(row)

    return datasets.IterableDataset.from_generator(generate)


def train_steps(files: list[Path], stage: StageConfig) -> int:
    """Optimizer steps over the rows not held out (``stage.max_steps`` when set)."""
    train_rows = int(data.count_rows(files) * (1 - HELDOUT))
    return stage.max_steps or data.steps_for(train_rows, stage.epochs, stage.batch_size)


def lora(stage: StageConfig, projector: bool = True) -> LoraConfig | None:
    """LoRA on the LM's attention projections; the projector trains alongside it."""
    if stage.lora_r == 0:
        return None
    return LoraConfig(
        r=stage.lora_r,
        lora_alpha=2 * stage.lora_r,
        lora_dropout=0.0,
        target_modules=r".*language_model.*\.(q_proj|k_proj|v_proj|o_proj)",
        modules_to_save=["multi_modal_projector"] if projector else None,
    )


def common_args(cfg: TrainConfig, stage: StageConfig, out: Path, steps: int) -> dict[str, Any]:
    """Trainer arguments every stage shares (bf16 on GPU, CPU otherwise)."""
    on_gpu = torch.cuda.is_available()
    return dict(
        output_dir=str(out / "checkpoints"),
        max_steps=steps,
        per_device_train_batch_size=stage.batch_size,
        learning_rate=stage.lr,
        lr_scheduler_type="constant",
        logging_steps=1,
        save_steps=max(1, steps // 2),
        save_total_limit=1,
        report_to=[],
        bf16=cfg.bf16 and on_gpu,
        use_cpu=not on_gpu,
        gradient_checkpointing=cfg.gradient_checkpointing,
        seed=cfg.seed,
        remove_unused_columns=False,
        dataloader_num_workers=0,
        disable_tqdm=False,
    )


def last_checkpoint(out: Path) -> str | None:
    """The checkpoint an interrupted run of this stage left, to resume from."""
    checkpoints = sorted(
        (out / "checkpoints").glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1])
    )
    return str(checkpoints[-1]) if checkpoints else None


def load(model_dir: str | Path):
    """A stage's model and processor, as plain transformers loads them."""
    return (
        AutoModelForImageTextToText.from_pretrained(model_dir),
        AutoProcessor.from_pretrained(model_dir),
    )


def save(trainer, processor, out: Path) -> None:
    """Merge LoRA (if any) and save model + processor: loadable with no project code."""
    model = trainer.model
    if hasattr(model, "merge_and_unload"):
        model = model.merge_and_unload()
    model.save_pretrained(out)
    processor.save_pretrained(out)


def train_and_save(
    trainer,
    processor,
    cfg: TrainConfig,
    out: Path,
    stage: int,
    samples: int,
    data_dir: str | Path | None = None,
) -> dict[str, Any]:
    """Train (resuming an interrupted run), save a loadable directory and its metrics;
    with ``data_dir``, add the saved model's answer accuracy on held-out problems."""
    from mavis_train import evaluate  # evaluate reads this module's turn helpers

    started = time.perf_counter()
    trainer.train(resume_from_checkpoint=last_checkpoint(out))
    metrics = {"stage": stage, **loss_metrics(trainer, started, samples)}
    save(trainer, processor, out)
    if data_dir is not None:
        merged, processor = load(out)
        metrics["heldout_accuracy"] = evaluate.accuracy(
            merged, processor, data_dir, cfg.eval.max_rows, cfg.eval.max_new_tokens
        )
    write_metrics(out, metrics)
    return metrics


def loss_metrics(trainer, started: float, samples: int) -> dict[str, Any]:
    losses = [e["loss"] for e in trainer.state.log_history if "loss" in e]
    seconds = time.perf_counter() - started
    return {
        "loss_first": losses[0],
        "loss_last": sum(losses[-3:]) / len(losses[-3:]),
        "steps": trainer.state.global_step,
        "seconds": round(seconds, 2),
        "samples_per_second": round(samples / seconds, 2),
    }


def write_metrics(out: Path, metrics: dict[str, Any]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
