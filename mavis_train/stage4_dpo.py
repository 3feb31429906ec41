"""Stage 4, DPO with TRL's DPOTrainer on preference shards, LoRA only (the reference
model is the same weights with the adapters switched off)."""

from __future__ import annotations

from pathlib import Path

from trl import DPOConfig, DPOTrainer

from mavis_train import data, vlm
from mavis_train.config import TrainConfig


def _convert(row: dict) -> dict:
    return {
        "images": [data.image(row["images"][0])],
        "prompt": [vlm.user_turn(row["prompt"][0]["content"])],
        "chosen": [vlm.assistant_turn(row["chosen"][-1]["content"])],
        "rejected": [vlm.assistant_turn(row["rejected"][-1]["content"])],
    }


def run(cfg: TrainConfig, data_dir: str | Path, model_dir: str | Path, out: str | Path) -> dict:
    """Preference-tune the stage-3 model; save the merged model, processor and metrics."""
    out, sc = Path(out), cfg.stage4
    if sc.lora_r == 0:
        raise ValueError("stage 4 trains LoRA only: set stage4.lora_r > 0")
    files = data.shard_files(data_dir, "preference")
    model, processor = vlm.load(model_dir)
    steps = vlm.train_steps(files, sc)
    args = DPOConfig(**vlm.common_args(cfg, sc, out, steps), beta=sc.beta, max_length=None)
    train = vlm.streaming(files, _convert, "train", vlm.HELDOUT, key="problem_id")
    trainer = DPOTrainer(
        model=model,
        args=args,
        train_dataset=train,
        processing_class=processor,
        peft_config=vlm.lora(sc),
    )
    samples = steps * sc.batch_size
    return vlm.train_and_save(trainer, processor, cfg, out, 4, samples, data_dir)
