"""What stages 2-4 share: conversational turns, shuffled streaming datasets, TRL
arguments (schedule, clipping, accumulation, global batch), LoRA, held-out measures before
and after training, and saving a directory plain transformers loads."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import datasets
import torch
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForImageTextToText, AutoProcessor

from mavis_train import data, runs
from mavis_train.config import StageConfig, TrainConfig

DESCRIBE = "Describe the diagram."


def user_turn(text: str) -> dict[str, Any]:
    return {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": text}]}


def assistant_turn(text: str) -> dict[str, Any]:
    return {"role": "assistant", "content": [{"type": "text", "text": text}]}


def world_size() -> int:
    """Processes training together (set by ``accelerate launch`` / ``torchrun``)."""
    return int(os.environ.get("WORLD_SIZE", "1"))


def is_main_process() -> bool:
    return int(os.environ.get("RANK", "0")) == 0


def accumulation(stage: StageConfig) -> int:
    """Gradient accumulation steps: as configured, or what the global batch needs here."""
    if stage.global_batch is None:
        return stage.grad_accum
    per_step = stage.batch_size * world_size()
    if stage.global_batch % per_step:
        raise ValueError(
            f"global_batch {stage.global_batch} is not a multiple of {stage.batch_size} per "
            f"device x {world_size()} processes: change batch_size or the number of processes"
        )
    return stage.global_batch // per_step


def global_batch(stage: StageConfig) -> int:
    """Rows per optimizer step: per device x processes x accumulation."""
    return stage.batch_size * world_size() * accumulation(stage)


def describe_batch(stage: StageConfig) -> str:
    """The batch arithmetic, for the log."""
    return (
        f"global batch {global_batch(stage)} = {stage.batch_size} per device x "
        f"{world_size()} processes x {accumulation(stage)} accumulation"
    )


def train_steps(files: list[Path], cfg: TrainConfig, stage: StageConfig) -> int:
    """Optimizer steps over the rows not held out (``stage.max_steps`` when set)."""
    train_rows = max(1, round(data.count_rows(files) * (1 - cfg.heldout)))
    return stage.max_steps or data.steps_for(train_rows, stage.epochs, global_batch(stage))


def stream(
    files: list[Path], convert: Callable[[dict], dict], cfg: TrainConfig, stage: StageConfig
) -> datasets.IterableDataset:
    """Training rows, read as training goes: held-out samples left out, domains mixed as
    ``stage.mix`` says, shuffled through a buffer (re-shuffled each epoch), so the five
    versions of a problem and the rows of one domain do not arrive together."""

    def generate(domain: str | None = None) -> Iterator[dict]:
        for row in data.rows(files, "train", cfg.heldout):
            if domain is None or row["domain"] == domain:
                yield convert(row)

    if stage.mix:
        weights = {d: w for d, w in stage.mix.items() if w > 0}
        parts = [
            datasets.IterableDataset.from_generator(generate, gen_kwargs={"domain": d})
            for d in weights
        ]
        total = sum(weights.values())
        ds = datasets.interleave_datasets(
            parts,
            probabilities=[w / total for w in weights.values()],
            seed=cfg.seed,
            stopping_strategy="all_exhausted",
        )
    else:
        ds = datasets.IterableDataset.from_generator(generate)
    return ds.shuffle(seed=cfg.seed, buffer_size=stage.shuffle_buffer)


def listed(rows: list[dict], convert: Callable[[dict], dict]) -> datasets.IterableDataset:
    """Held-out rows (already chosen) in the form a trainer evaluates."""
    return datasets.IterableDataset.from_generator(lambda: (convert(r) for r in rows))


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


def common_args(
    cfg: TrainConfig, stage: StageConfig, out: Path, steps: int, heldout: bool = False
) -> dict[str, Any]:
    """Trainer arguments every stage shares (bf16 on GPU, CPU otherwise); with
    ``heldout`` (the trainer has held-out rows) the held-out loss is also logged every
    ``eval.every_steps`` steps."""
    periodic = heldout and cfg.eval.every_steps is not None
    on_gpu = torch.cuda.is_available()
    if "tensorboard" in cfg.report_to:
        # Beside the model, not under checkpoints/ (pruned once the stage succeeds).
        os.environ["TENSORBOARD_LOGGING_DIR"] = str(out / "logs")
    return dict(
        output_dir=str(out / "checkpoints"),
        max_steps=steps,
        per_device_train_batch_size=stage.batch_size,
        per_device_eval_batch_size=stage.batch_size,
        gradient_accumulation_steps=accumulation(stage),
        learning_rate=stage.lr,
        lr_scheduler_type=stage.scheduler,
        warmup_steps=stage.warmup_ratio,  # below 1: a share of the steps
        weight_decay=stage.weight_decay,
        max_grad_norm=stage.max_grad_norm,
        logging_steps=max(1, steps // 50),
        save_steps=max(1, steps // 2),
        save_total_limit=1,
        report_to=list(cfg.report_to),
        bf16=cfg.bf16 and on_gpu,
        use_cpu=not on_gpu,
        activation_checkpointing=cfg.gradient_checkpointing,
        seed=cfg.seed,
        remove_unused_columns=False,
        dataloader_num_workers=0,
        disable_tqdm=not is_main_process(),
        include_num_input_tokens_seen="non_padding",  # tokens/s in the metrics
        eval_on_start=heldout,  # the held-out figure before training (see train_and_save)
        eval_strategy="steps" if periodic else "no",
        eval_steps=cfg.eval.every_steps if periodic else None,
    )


def set_trainable(model, projector: bool = True, lm: bool = False) -> None:
    """Which parts learn (the vision tower never does after stage 1)."""
    for name, p in model.named_parameters():
        p.requires_grad = (projector and "multi_modal_projector" in name) or (
            lm and ("language_model" in name or name.startswith("lm_head"))
        )


def load(model_dir: str | Path):
    """A saved stage's model and processor for evaluation, as plain transformers loads
    them: on this process's GPU in the saved dtype (bf16 when the run used it), on a CPU
    in fp32."""
    on_gpu = torch.cuda.is_available()
    model = AutoModelForImageTextToText.from_pretrained(
        model_dir, dtype="auto" if on_gpu else torch.float32
    )
    if on_gpu:
        from accelerate import PartialState

        model = model.to(PartialState().device)
    return model, AutoProcessor.from_pretrained(model_dir)


def training_dtype(args) -> torch.dtype:
    """bf16 weights only under DeepSpeed, whose optimizer keeps fp32 master copies;
    otherwise the trainer's autocast computes in bf16 over fp32 weights (bf16 weights
    would round small updates away)."""
    deepspeed = getattr(args, "deepspeed_plugin", None) is not None
    return torch.bfloat16 if args.bf16 and deepspeed else torch.float32


def load_for_training(model_dir: str | Path, args):
    """The model a stage starts from, loaded once the trainer's arguments exist: under
    ZeRO-3 (``zero3_init_flag``) ``from_pretrained`` then partitions it as it loads instead
    of building the whole model in every process."""
    model = AutoModelForImageTextToText.from_pretrained(model_dir, dtype=training_dtype(args))
    return model, AutoProcessor.from_pretrained(model_dir)


@contextmanager
def one_process_loading() -> Iterator[None]:
    """Let one process load a whole model by itself: under ZeRO-3, transformers builds
    every model partitioned (a collective all processes must join), so that is switched
    off meanwhile. Nothing to do elsewhere."""
    from transformers.integrations import deepspeed as hf_deepspeed

    ref = hf_deepspeed._hf_deepspeed_config_weak_ref  # no public getter for the object
    hf_deepspeed.unset_hf_deepspeed_config()
    try:
        yield
    finally:
        hf_deepspeed._hf_deepspeed_config_weak_ref = ref


def saved_mib(out: Path) -> float:
    """The size of the weights written to ``out``."""
    return round(sum(f.stat().st_size for f in out.glob("*.safetensors")) / 2**20, 1)


def digest(model) -> str:
    """A fingerprint of a model's weights (names and bytes), to show that what was saved
    is what was trained."""
    h = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        h.update(name.encode())
        h.update(tensor.detach().cpu().contiguous().reshape(-1).view(torch.uint8).numpy().tobytes())
    return h.hexdigest()


def save(
    trainer, processor, init: Path, out: Path, bf16: bool, lora_config: LoraConfig | None
) -> str:
    """Write the trained model where plain transformers loads it; returns its digest.

    Every process takes part in gathering the weights (ZeRO-3 and FSDP hold them in
    shards); the main process alone then rebuilds the model on CPU from the directory the
    stage started from, loads the gathered weights, merges LoRA and writes safetensors
    shards (bf16 when the run trains in it: half the disk of fp32) with the processor."""
    # The wrapped model: under DeepSpeed the engine, which gathers ZeRO-3 shards.
    state = trainer.accelerator.get_state_dict(trainer.model_wrapped)
    if not is_main_process():
        return ""
    with one_process_loading():
        model = AutoModelForImageTextToText.from_pretrained(init, dtype=torch.float32)
    if lora_config is not None:
        model = get_peft_model(model, lora_config)
    model.load_state_dict(state)  # strict: the rebuilt model has exactly the trained keys
    if lora_config is not None:
        model = model.merge_and_unload()  # in fp32, then rounded once
    if bf16:
        model = model.to(torch.bfloat16)
    model.save_pretrained(out, max_shard_size="5GB")
    processor.save_pretrained(out)
    return digest(model)


Measure = tuple[str, Callable[[], dict[str, float]]]


def first_evaluation(trainer, key: str) -> float:
    """The held-out figure the trainer logged before its first step (``eval_on_start``;
    a resumed run keeps it in the checkpoint's log history)."""
    return next(e[key] for e in trainer.state.log_history if key in e)


def train_and_save(
    trainer,
    cfg: TrainConfig,
    out: Path,
    stage: int,
    checkpoint: str | None,
    save: Callable[[], str],
    measure: Measure | None = None,
    evaluated: tuple[str, str] | None = None,
    baseline: float | None = None,
    after: Callable[[Path], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Train (from ``checkpoint`` when resuming), save, and write the stage's metrics,
    with the stage's held-out measure before and after training, so the metrics say what
    the stage changed on data it never saw.

    ``measure`` (stage 1) names the measure and a function taking it (a dict with that
    name and any companion figures), run before and after training. ``evaluated``
    (stages 2-4) names it and its key in the trainer's evaluation metrics: the trainer
    evaluates at the start of ``train`` and once after, never before ``train`` (DeepSpeed
    must prepare the model in ``train`` first). ``after`` adds reports on the saved
    directory (answer accuracy)."""
    name, take = measure if measure else (evaluated[0] if evaluated else "none", None)
    before = take() if take else {}
    started = time.perf_counter()
    trainer.train(resume_from_checkpoint=checkpoint)
    # Training time: the held-out evaluations of this ``train`` call are left out (a
    # resumed run's log also holds those of the run it resumes, at earlier steps).
    first_step = int(checkpoint.rsplit("-", 1)[1]) if checkpoint else 0
    evaluating = sum(
        e.get("eval_runtime", 0) for e in trainer.state.log_history if e["step"] >= first_step
    )
    seconds = time.perf_counter() - started - evaluating
    if evaluated:
        key = evaluated[1]
        before, now = {name: first_evaluation(trainer, key)}, {name: trainer.evaluate()[key]}
    else:
        now = take() if take else {}
    losses = [e["loss"] for e in trainer.state.log_history if "loss" in e]
    batch = global_batch(getattr(cfg, f"stage{stage}"))
    steps = trainer.state.global_step
    metrics: dict[str, Any] = {
        "stage": stage,
        "metric": name,
        "heldout_before": before.get(name),
        "heldout_after": now.get(name),
        "baseline": baseline,
        **{f"{k}_before": v for k, v in before.items() if k != name},
        **{f"{k}_after": v for k, v in now.items() if k != name},
        "steps": steps,
        "global_batch": batch,
        "train_loss_first": losses[0] if losses else None,
        "train_loss_last": losses[-1] if losses else None,
        "seconds": round(seconds, 2),
        "samples_per_second": round(steps * batch / seconds, 2),
        "tokens_per_second": round(trainer.state.num_input_tokens_seen / seconds, 1),
    }
    metrics["weights_sha256"] = save()
    trainer.accelerator.wait_for_everyone()  # the directory is written
    metrics["saved_mib"] = saved_mib(out)
    if after is not None:
        with one_process_loading():  # each process answers with a whole model
            metrics.update(after(out))
    runs.finish(out, metrics, is_main_process())
    trainer.accelerator.wait_for_everyone()  # no process leaves while another works
    return metrics
