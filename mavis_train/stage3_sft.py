"""Stage 3, instruction tuning on instruct shards with TRL's SFTTrainer: loss on the
assistant's tokens only, projector + LoRA by default, the whole LM with ``full``.
Measured by the rationale loss per token on held-out problems, then by answer accuracy
(generation and option likelihood) beside the baselines of the same held-out set."""

from __future__ import annotations

from pathlib import Path

from trl import SFTConfig, SFTTrainer

from mavis_train import data, evaluate, runs, vlm
from mavis_train.config import TrainConfig


def _convert(row: dict) -> dict:
    return {
        "messages": [vlm.user_turn(row["question"]), vlm.assistant_turn(row["rationale"])],
        "images": [data.image(row["images"][0])],
    }


def run(
    cfg: TrainConfig,
    data_dir: str | Path,
    model_dir: str | Path,
    out: str | Path,
    resume: bool = False,
) -> dict:
    """Tune the stage-2 model; save the merged model, processor and metrics."""
    out, sc = Path(out), cfg.stage3
    files = data.shard_files(data_dir, "instruct")
    record = runs.fingerprint(cfg, 3, data=data_dir, init=model_dir)
    checkpoint = runs.start(out, record, resume, vlm.is_main_process())
    steps = vlm.train_steps(files, cfg, sc)
    heldout = (
        data.heldout_sample(
            files,
            cfg.heldout,
            cfg.eval.loss_rows,
            data.instruct_stratum,
            evaluate.STRATUM_COLUMNS,
        )
        if cfg.heldout
        else []
    )
    args = SFTConfig(
        **vlm.common_args(cfg, sc, out, steps, bool(heldout)),
        max_length=None,
        assistant_only_loss=True,
    )
    model, processor = vlm.load_for_training(model_dir, args)
    vlm.set_trainable(model, projector=True, lm=sc.full)
    lora = None if sc.full else vlm.lora(sc)
    trainer = SFTTrainer(
        model=model,
        args=args,
        train_dataset=vlm.stream(files, _convert, cfg, sc),
        eval_dataset=vlm.listed(heldout, _convert) if heldout else None,
        processing_class=processor,
        peft_config=lora,
    )
    return vlm.train_and_save(
        trainer,
        cfg,
        out,
        3,
        checkpoint,
        lambda: vlm.save(trainer, processor, Path(model_dir), out, cfg.bf16, lora),
        evaluated=("heldout_rationale_loss", "eval_loss") if heldout else None,
        after=(lambda saved: evaluate.after_stage(saved, data_dir, cfg)) if heldout else None,
    )
