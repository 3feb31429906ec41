"""Stage 2, diagram-language alignment: LLaVA composed from the stage-1 vision tower, a
2-layer MLP projector and the causal LM, trained to caption diagrams. The projector trains
(and LoRA on the LM when ``lora_r`` > 0); the vision tower stays frozen."""

from __future__ import annotations

from pathlib import Path

from trl import SFTConfig, SFTTrainer

from mavis_train import data, vlm
from mavis_train.config import TrainConfig
from mavis_train.models import compose_llava, image_processor, llava_processor, lm_tokenizer


def _convert(row: dict) -> dict:
    return {
        "messages": [vlm.user_turn(vlm.DESCRIBE), vlm.assistant_turn(row["caption"])],
        "images": [data.image(row["image"])],
    }


def _texts(data_dir: Path):
    for kind, fields in (("caption", ("caption",)), ("instruct", ("question", "rationale"))):
        try:
            files = data.shard_files(data_dir, kind)
        except data.DataError:
            continue
        for row in data.rows(files):
            for f in fields:
                yield row[f]


def run(cfg: TrainConfig, data_dir: str | Path, clip_dir: str | Path, out: str | Path) -> dict:
    """Train stage 2 from the stage-1 CLIP directory; save a LLaVA directory + metrics."""
    out, data_dir, sc = Path(out), Path(data_dir), cfg.stage2
    files = data.shard_files(data_dir, "caption")
    tokenizer = lm_tokenizer(cfg, _texts(data_dir))
    model = compose_llava(cfg, Path(clip_dir), tokenizer)
    processor = llava_processor(
        image_processor(cfg, clip_dir), tokenizer, model.config.vision_config.patch_size
    )
    # Only the projector (and LoRA, if asked for) learns here.
    for name, p in model.named_parameters():
        p.requires_grad = "multi_modal_projector" in name
    steps = sc.max_steps or data.steps_for(data.count_rows(files), sc.epochs, sc.batch_size)
    args = SFTConfig(
        **vlm.common_args(cfg, sc, out, steps), max_length=None, assistant_only_loss=True
    )
    trainer = SFTTrainer(
        model=model,
        args=args,
        train_dataset=vlm.streaming(files, _convert),
        processing_class=processor,
        peft_config=vlm.lora(sc),
    )
    samples = steps * sc.batch_size
    return vlm.train_and_save(trainer, processor, cfg, out, 2, samples)
