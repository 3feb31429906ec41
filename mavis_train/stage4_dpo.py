"""Stage 4, DPO with TRL's DPOTrainer on preference shards, LoRA only (the reference
model is the same weights with the adapters switched off). Measured by the reward
accuracy on held-out pairs (chosen preferred to rejected; chance is 0.5)."""

from __future__ import annotations

from pathlib import Path

from trl import DPOConfig, DPOTrainer

from mavis_train import data, evaluate, runs, vlm
from mavis_train.config import TrainConfig


def _convert(row: dict) -> dict:
    return {
        "images": [data.image(row["images"][0])],
        "prompt": [vlm.user_turn(row["prompt"][0]["content"])],
        "chosen": [vlm.assistant_turn(row["chosen"][-1]["content"])],
        "rejected": [vlm.assistant_turn(row["rejected"][-1]["content"])],
    }


def run(
    cfg: TrainConfig,
    data_dir: str | Path,
    model_dir: str | Path,
    out: str | Path,
    resume: bool = False,
) -> dict:
    """Preference-tune the stage-3 model; save the merged model, processor and metrics.
    ``data_dir`` may hold only preference shards (``mine-negatives`` output); answer
    accuracy is then left to ``mavis-train eval`` on the engine's instruct shards."""
    out, sc = Path(out), cfg.stage4
    if sc.lora_r == 0:
        raise ValueError("stage 4 trains LoRA only: set stage4.lora_r > 0")
    files = data.shard_files(data_dir, "preference")
    record = runs.fingerprint(cfg, 4, data=data_dir, init=model_dir)
    checkpoint = runs.start(out, record, resume, vlm.is_main_process())
    steps = vlm.train_steps(files, cfg, sc)
    heldout = data.heldout_sample(files, cfg.heldout, cfg.eval.loss_rows) if cfg.heldout else []
    args = DPOConfig(
        **vlm.common_args(cfg, sc, out, steps, bool(heldout)), beta=sc.beta, max_length=None
    )
    model, processor = vlm.load_for_training(model_dir, args)
    lora = vlm.lora(sc)
    trainer = DPOTrainer(
        model=model,
        args=args,
        train_dataset=vlm.stream(files, _convert, cfg, sc),
        eval_dataset=vlm.listed(heldout, _convert) if heldout else None,
        processing_class=processor,
        peft_config=lora,
    )
    with_instruct = cfg.heldout and data.has_kind(data_dir, "instruct")
    return vlm.train_and_save(
        trainer,
        cfg,
        out,
        4,
        checkpoint,
        lambda: vlm.save(trainer, processor, Path(model_dir), out, cfg.bf16, lora),
        evaluated=("heldout_reward_accuracy", "eval_rewards/accuracies") if heldout else None,
        baseline=0.5,
        after=(lambda saved: evaluate.after_stage(saved, data_dir, cfg)) if with_instruct else None,
    )
