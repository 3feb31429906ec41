"""Stage 1, CLIP-Math: contrastive fine-tuning of CLIP on caption shards.

It runs on the transformers ``Trainer`` like the other stages (schedule, clipping,
accumulation, checkpoints, resume, accelerate/DDP). The vision tower and its projection
train; the text tower too with ``train_text`` (needed when CLIP starts from random
weights, as in the CPU presets). Features are gathered across processes *with*
gradients, so the loss on N processes is the full-batch loss and, after DDP averages the
gradients, so is the update. Training images get random crops, so the tower cannot
match captions by pixel-exact memory.
"""

from __future__ import annotations

import io
import random
from pathlib import Path
from typing import Any

import torch
import torch.distributed as dist
import torch.nn.functional as F
from PIL import Image
from torch.distributed.nn.functional import all_gather
from transformers import AutoTokenizer, CLIPModel, Trainer, TrainingArguments

from mavis_train import data, runs, vlm
from mavis_train.config import TrainConfig
from mavis_train.models import image_processor, tiny_clip, train_tokenizer

MAX_TEXT = 77  # CLIP's text length


def contrastive_loss(
    image_emb: torch.Tensor, text_emb: torch.Tensor, scale: torch.Tensor, gather: bool = True
) -> torch.Tensor:
    """Symmetric InfoNCE over the global batch (features gathered with gradients)."""
    image_emb = F.normalize(image_emb, dim=-1)
    text_emb = F.normalize(text_emb, dim=-1)
    if gather and dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1:
        image_emb = torch.cat(all_gather(image_emb))
        text_emb = torch.cat(all_gather(text_emb))
    logits = scale * image_emb @ text_emb.T
    labels = torch.arange(len(logits), device=logits.device)
    return (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2


def augment(img: Image.Image, rng: random.Random) -> Image.Image:
    """A random crop keeping at least 85% of each side (labels near the border may go:
    the caption must be matched by the figure, not by one pixel-exact picture)."""
    w, h = img.size
    cw, ch = int(w * rng.uniform(0.85, 1.0)), int(h * rng.uniform(0.85, 1.0))
    x, y = rng.randint(0, w - cw), rng.randint(0, h - ch)
    return img.crop((x, y, x + cw, y + ch))


class ClipBatcher:
    """Turns caption rows (image bytes and caption) into CLIP inputs."""

    def __init__(self, tokenizer, image_proc, augment_seed: int | None = None) -> None:
        self.tokenizer, self.image_proc = tokenizer, image_proc
        self.rng = random.Random(augment_seed) if augment_seed is not None else None

    def __call__(self, rows: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
        text = self.tokenizer(
            [r["caption"] for r in rows],
            padding=True,
            truncation=True,
            max_length=MAX_TEXT,
            return_tensors="pt",
        )
        images = [Image.open(io.BytesIO(r["image"]["bytes"])).convert("RGB") for r in rows]
        if self.rng is not None:
            images = [augment(im, self.rng) for im in images]
        pixels = self.image_proc(images, return_tensors="pt")["pixel_values"]
        return {
            "input_ids": text["input_ids"],
            "attention_mask": text["attention_mask"],
            "pixel_values": pixels,
        }


class ClipTrainer(Trainer):
    """The Trainer with CLIP's contrastive loss (learned temperature, clamped as CLIP's)."""

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        outputs = model(**inputs)
        scale = self.accelerator.unwrap_model(model).logit_scale.exp().clamp(max=100)
        loss = contrastive_loss(outputs.image_embeds, outputs.text_embeds, scale)
        return (loss, outputs) if return_outputs else loss


@torch.no_grad()
def retrieval(model: CLIPModel, batcher: ClipBatcher, rows: list[dict]) -> dict[str, float]:
    """Image-to-caption R@1 on held-out pairs (chance: 1 / pairs), and the mean pairwise
    cosine of the image embeddings (near 1: collapse, every image looks alike)."""
    model.eval()
    device = next(model.parameters()).device
    images, texts = [], []
    for i in range(0, len(rows), 64):
        b = {k: v.to(device) for k, v in batcher(rows[i : i + 64]).items()}
        # transformers 5 returns model outputs; the projected embedding is the pooler output.
        image = model.get_image_features(pixel_values=b["pixel_values"]).pooler_output
        text = model.get_text_features(
            input_ids=b["input_ids"], attention_mask=b["attention_mask"]
        ).pooler_output
        images.append(F.normalize(image.float(), dim=-1))
        texts.append(F.normalize(text.float(), dim=-1))
    image_emb, text_emb = torch.cat(images), torch.cat(texts)
    sims = image_emb @ text_emb.T
    n = len(sims)
    cos = image_emb @ image_emb.T
    return {
        "heldout_r1": float((sims.argmax(dim=1) == torch.arange(n, device=device)).float().mean()),
        "image_cosine": float((cos.sum() - cos.diagonal().sum()) / (n * (n - 1))),
    }


def _load(cfg: TrainConfig, files: list[Path]):
    if cfg.clip == "tiny":
        texts = (r["caption"] for r in data.rows(files, "train", cfg.heldout, ["caption"]))
        tokenizer = train_tokenizer(texts, cfg.tiny.vocab_size, append_eos=True)
        return tiny_clip(cfg, tokenizer), tokenizer
    return CLIPModel.from_pretrained(cfg.clip), AutoTokenizer.from_pretrained(cfg.clip)


def run(cfg: TrainConfig, data_dir: str | Path, out: str | Path, resume: bool = False) -> dict:
    """Train stage 1; save the CLIP model (with tokenizer and processor) and metrics."""
    out, sc = Path(out), cfg.stage1
    files = data.shard_files(data_dir, "caption")
    record = runs.fingerprint(cfg, 1, data=data_dir)
    checkpoint = runs.start(out, record, resume, vlm.is_main_process())
    torch.manual_seed(cfg.seed)
    model, tokenizer = _load(cfg, files)
    image_proc = image_processor(cfg)
    heldout = (
        data.heldout_sample(files, cfg.heldout, cfg.eval.retrieval_rows) if cfg.heldout else []
    )
    if cfg.heldout and len(heldout) < 2:
        raise data.DataError("stage 1 needs held-out caption rows: generate more samples")
    for name, p in model.named_parameters():
        p.requires_grad = name.startswith(("vision_model", "visual_projection", "logit_scale")) or (
            sc.train_text and name.startswith(("text_model", "text_projection"))
        )
    train = vlm.stream(files, lambda r: {"image": r["image"], "caption": r["caption"]}, cfg, sc)
    args = TrainingArguments(
        **vlm.common_args(cfg, sc, out, vlm.train_steps(files, cfg, sc)),
    )
    trainer = ClipTrainer(
        model=model,
        args=args,
        train_dataset=train,
        data_collator=ClipBatcher(tokenizer, image_proc, cfg.seed if sc.augment else None),
    )
    plain = ClipBatcher(tokenizer, image_proc)

    def save() -> str:
        if cfg.bf16:
            model.to(torch.bfloat16)
        if vlm.is_main_process():
            model.save_pretrained(out)
            tokenizer.save_pretrained(out)
            image_proc.save_pretrained(out)
        return vlm.digest(model)

    return vlm.train_and_save(
        trainer,
        cfg,
        out,
        1,
        checkpoint,
        save,
        measure=("heldout_r1", lambda: retrieval(model, plain, heldout)) if heldout else None,
        baseline=1 / len(heldout) if heldout else None,
        after=lambda _: {"heldout_pairs": len(heldout)},
    )
