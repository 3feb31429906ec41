"""Stage 1, CLIP-Math: contrastive fine-tuning of CLIP on caption shards.

The vision tower (and its projection) trains; the text tower is frozen. Features are
gathered across processes *with* gradients, so the loss on N processes is the full-batch
loss and, after DDP averages the gradients, so is the update.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.distributed.nn.functional import all_gather
from tqdm import tqdm
from transformers import AutoTokenizer, CLIPModel

from mavis_train import data
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


class ClipBatcher:
    """Turns caption rows into CLIP inputs."""

    def __init__(self, tokenizer, image_proc) -> None:
        self.tokenizer, self.image_proc = tokenizer, image_proc

    def __call__(self, rows: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
        text = self.tokenizer(
            [r["caption"] for r in rows],
            padding=True,
            truncation=True,
            max_length=MAX_TEXT,
            return_tensors="pt",
        )
        pixels = self.image_proc([data.image(r["image"]) for r in rows], return_tensors="pt")[
            "pixel_values"
        ]
        return {
            "input_ids": text["input_ids"],
            "attention_mask": text["attention_mask"],
            "pixel_values": pixels,
        }


@torch.no_grad()
def retrieval_r1(model: CLIPModel, batcher: ClipBatcher, rows: list[dict]) -> float:
    """Image-to-caption retrieval: the share of images whose nearest caption is their own."""
    model.eval()
    images, texts = [], []
    for i in range(0, len(rows), 64):
        b = batcher(rows[i : i + 64])
        # transformers 5 returns model outputs; the projected embedding is the pooler output.
        image = model.get_image_features(pixel_values=b["pixel_values"]).pooler_output
        text = model.get_text_features(
            input_ids=b["input_ids"], attention_mask=b["attention_mask"]
        ).pooler_output
        images.append(F.normalize(image, dim=-1))
        texts.append(F.normalize(text, dim=-1))
    sims = torch.cat(images) @ torch.cat(texts).T
    return float((sims.argmax(dim=1) == torch.arange(len(sims))).float().mean())


def _load(cfg: TrainConfig, files: list[Path]):
    if cfg.clip == "tiny":
        texts = (r["caption"] for r in data.rows(files))
        tokenizer = train_tokenizer(texts, cfg.tiny.vocab_size, append_eos=True)
        return tiny_clip(cfg, tokenizer), tokenizer
    return CLIPModel.from_pretrained(cfg.clip), AutoTokenizer.from_pretrained(cfg.clip)


def run(cfg: TrainConfig, data_dir: str | Path, out: str | Path) -> dict:
    """Train stage 1; save the CLIP model (with tokenizer and processor) and metrics."""
    out = Path(out)
    sc = cfg.stage1
    files = data.shard_files(data_dir, "caption")
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    if world > 1 and not dist.is_initialized():
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    device = torch.device(
        f"cuda:{int(os.environ.get('LOCAL_RANK', 0))}" if torch.cuda.is_available() else "cpu"
    )
    torch.manual_seed(cfg.seed)
    model, tokenizer = _load(cfg, files)
    image_proc = image_processor(cfg)
    batcher = ClipBatcher(tokenizer, image_proc)
    heldout = list(data.rows(files, "heldout", sc.heldout, limit=500))
    if len(heldout) < 2:
        raise data.DataError("stage 1 needs held-out caption rows: generate more samples")
    # The text tower stays frozen: only the vision half learns (the paper's CLIP-Math).
    for name, p in model.named_parameters():
        p.requires_grad = name.startswith(("vision_model", "visual_projection"))
    r1_before = retrieval_r1(model, batcher, heldout)
    model.to(device)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=sc.lr)
    n_train = data.count_rows(files) - len(heldout)
    steps = sc.max_steps or data.steps_for(n_train, sc.epochs, sc.batch_size, world)
    losses: list[float] = []
    started = time.perf_counter()
    ddp = torch.nn.parallel.DistributedDataParallel(model) if world > 1 else model
    bar = tqdm(total=steps, desc="stage1 clip", disable=rank != 0)
    step = 0
    while step < steps:
        batch: list[dict] = []
        for row in data.rows(files, "train", sc.heldout, rank, world):
            batch.append(row)
            if len(batch) < sc.batch_size:
                continue
            b = {k: v.to(device) for k, v in batcher(batch).items()}
            batch = []
            with torch.autocast(
                device.type, dtype=torch.bfloat16, enabled=cfg.bf16 and device.type == "cuda"
            ):
                outputs = ddp(**b)
            loss = contrastive_loss(
                outputs.image_embeds, outputs.text_embeds, model.logit_scale.exp().detach()
            )
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(float(loss))
            step += 1
            bar.update(1)
            bar.set_postfix(loss=f"{losses[-1]:.3f}")
            if step >= steps:
                break
    bar.close()
    seconds = time.perf_counter() - started
    model.cpu()
    metrics = {
        "stage": 1,
        "loss_first": losses[0],
        "loss_last": sum(losses[-5:]) / len(losses[-5:]),
        "steps": len(losses),
        "seconds": round(seconds, 2),
        "samples_per_second": round(len(losses) * sc.batch_size * world / seconds, 2),
        "retrieval_r1_before": r1_before,
        "retrieval_r1_after": retrieval_r1(model, batcher, heldout),
        "heldout_rows": len(heldout),
    }
    if rank == 0:
        out.mkdir(parents=True, exist_ok=True)
        model.save_pretrained(out)
        tokenizer.save_pretrained(out)
        image_proc.save_pretrained(out)
        (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    return metrics
