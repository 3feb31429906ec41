"""Stage 2, diagram-language alignment: LLaVA composed from the stage-1 vision tower, a
2-layer MLP projector and the causal LM, trained to caption diagrams. The projector trains
(LoRA on the LM when ``lora_r`` > 0, the whole LM with ``full``); the vision tower stays
frozen. Measured by the caption loss per token on held-out samples."""

from __future__ import annotations

import shutil
from pathlib import Path

import torch
from trl import SFTConfig, SFTTrainer

from mavis_train import data, runs, vlm
from mavis_train.config import TrainConfig
from mavis_train.models import compose_llava, image_processor, llava_processor, lm_tokenizer


def _convert(row: dict) -> dict:
    return {
        "messages": [vlm.user_turn(vlm.DESCRIBE), vlm.assistant_turn(row["caption"])],
        "images": [data.image(row["image"])],
    }


def _texts(data_dir: Path, cfg: TrainConfig):
    """Training text for a tokenizer trained on the shards (held-out samples left out)."""
    for kind, fields in (("caption", ("caption",)), ("instruct", ("question", "rationale"))):
        if data.has_kind(data_dir, kind):
            files = data.shard_files(data_dir, kind)
            for row in data.rows(files, "train", cfg.heldout, columns=list(fields)):
                yield from (row[f] for f in fields)


def _compose(cfg: TrainConfig, data_dir: Path, clip_dir: Path, init: Path) -> None:
    """Write the untrained LLaVA (and its processor) the stage's processes load, in bf16
    when the run trains in it; written aside and renamed, so it is whole or absent."""
    tokenizer = lm_tokenizer(cfg, _texts(data_dir, cfg))
    model = compose_llava(cfg, clip_dir, tokenizer)
    processor = llava_processor(
        image_processor(cfg, clip_dir), tokenizer, model.config.vision_config.patch_size
    )
    partial = init.with_name(init.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    model.to(torch.bfloat16 if cfg.bf16 else torch.float32).save_pretrained(partial)
    processor.save_pretrained(partial)
    partial.rename(init)


def run(
    cfg: TrainConfig,
    data_dir: str | Path,
    clip_dir: str | Path,
    out: str | Path,
    resume: bool = False,
) -> dict:
    """Train stage 2 from the stage-1 CLIP directory; save a LLaVA directory + metrics."""
    out, data_dir, sc = Path(out), Path(data_dir), cfg.stage2
    files = data.shard_files(data_dir, "caption")
    record = runs.fingerprint(cfg, 2, data=data_dir, init=clip_dir)
    checkpoint = runs.start(out, record, resume, vlm.is_main_process())
    steps = vlm.train_steps(files, cfg, sc)
    heldout = data.heldout_sample(files, cfg.heldout, cfg.eval.loss_rows) if cfg.heldout else []
    args = SFTConfig(
        **vlm.common_args(cfg, sc, out, steps, bool(heldout)),
        max_length=None,
        assistant_only_loss=True,
    )
    init = out / "checkpoints" / "composed"  # pruned with the checkpoints
    with args.main_process_first(local=False, desc="composing LLaVA"):
        if not (init / "config.json").is_file():  # the main process composes, once
            with vlm.one_process_loading():
                _compose(cfg, data_dir, Path(clip_dir), init)
    model, processor = vlm.load_for_training(init, args)
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
        2,
        checkpoint,
        lambda: vlm.save(trainer, processor, init, out, cfg.bf16, lora),
        evaluated=("heldout_caption_loss", "eval_loss") if heldout else None,
    )
