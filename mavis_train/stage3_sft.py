"""Stage 3, instruction tuning on instruct shards with TRL's SFTTrainer: loss on the
assistant's tokens only, projector + LoRA by default, the whole LM with ``full``."""

from __future__ import annotations

from pathlib import Path

from trl import SFTConfig, SFTTrainer

from mavis_train import data, vlm
from mavis_train.config import TrainConfig


def _convert(row: dict) -> dict:
    return {
        "messages": [vlm.user_turn(row["question"]), vlm.assistant_turn(row["rationale"])],
        "images": [data.image(row["images"][0])],
    }


def run(cfg: TrainConfig, data_dir: str | Path, model_dir: str | Path, out: str | Path) -> dict:
    """Tune the stage-2 model; save the merged model, processor and metrics."""
    out, sc = Path(out), cfg.stage3
    files = data.shard_files(data_dir, "instruct")
    model, processor = vlm.load(model_dir)
    for name, p in model.named_parameters():
        p.requires_grad = sc.full and "vision_tower" not in name
    steps = vlm.train_steps(files, sc)
    args = SFTConfig(
        **vlm.common_args(cfg, sc, out, steps), max_length=None, assistant_only_loss=True
    )
    train = vlm.streaming(files, _convert, "train", vlm.HELDOUT, key="problem_id")
    trainer = SFTTrainer(
        model=model,
        args=args,
        train_dataset=train,
        processing_class=processor,
        peft_config=None if sc.full else vlm.lora(sc),
    )
    samples = steps * sc.batch_size
    return vlm.train_and_save(trainer, processor, cfg, out, 3, samples, data_dir)
