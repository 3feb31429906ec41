"""Training configuration: presets (tiny, cpu, mavis-7b) or a YAML file, validated by pydantic."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

CONFIGS = Path(__file__).parent / "configs"
DOMAINS = ("plane_geometry", "analytic_geometry", "function", "solid_geometry")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StageConfig(_Strict):
    """Optimisation and data settings of one stage."""

    epochs: float = Field(1, gt=0)
    batch_size: int = Field(8, ge=1, description="per device")
    grad_accum: int = Field(1, ge=1, description="gradient accumulation steps")
    global_batch: int | None = Field(
        None,
        ge=1,
        description="rows per optimizer step over all processes; when set, the accumulation "
        "is derived from it (global / (per device x processes)), so a recipe keeps its "
        "batch on any number of GPUs",
    )
    lr: float = Field(1e-4, gt=0)
    scheduler: Literal["cosine", "linear", "constant"] = "cosine"
    warmup_ratio: float = Field(0.05, ge=0, lt=1)
    weight_decay: float = Field(0.0, ge=0)
    max_grad_norm: float = Field(1.0, gt=0)
    max_steps: int | None = Field(None, ge=1, description="overrides epochs when set")
    lora_r: int = Field(0, ge=0, description="0: no LoRA")
    full: bool = Field(False, description="stages 2-3: tune the whole LM (else LoRA or frozen)")
    train_text: bool = Field(False, description="stage 1: train the text tower too")
    augment: bool = Field(True, description="stage 1: random crops and brightness")
    beta: float = Field(0.1, gt=0, description="stage 4: DPO beta")
    shuffle_buffer: int = Field(1000, ge=1, description="rows shuffled together while streaming")
    mix: dict[str, float] | None = Field(
        None, description="domain weights, e.g. {plane_geometry: 2, function: 1}; None: as written"
    )

    @field_validator("mix")
    @classmethod
    def _known_domains(cls, mix: dict[str, float] | None) -> dict[str, float] | None:
        if mix is not None:
            unknown = sorted(set(mix) - set(DOMAINS))
            if unknown or min(mix.values(), default=0) < 0 or not sum(mix.values()):
                raise ValueError(
                    f"give non-negative weights, not all zero, over {', '.join(DOMAINS)} "
                    f"(unknown: {', '.join(unknown) or 'none'})"
                )
        return mix

    @model_validator(mode="after")
    def _one_way_to_accumulate(self) -> StageConfig:
        if self.global_batch is not None and self.grad_accum != 1:
            raise ValueError("set global_batch or grad_accum, not both")
        return self


class TinyShapes(_Strict):
    """Sizes of the models built from configs with random weights (``clip``/``lm`` set to
    ``tiny``): the tiny and cpu presets', or, for benchmarks, the real architectures' shapes."""

    image_size: int = 32
    patch_size: int = 8
    hidden_size: int = 32  # CLIP towers
    layers: int = 2
    heads: int = 2
    mlp_ratio: int = 2  # CLIP towers' MLP width / hidden size (4 in real CLIP)
    text_hidden_size: int | None = None  # CLIP text tower, if it differs from the vision one
    text_layers: int | None = None
    vocab_size: int = 600  # tokenizer trained on the shards
    lm_hidden_size: int | None = None  # default: 2 × hidden_size
    lm_intermediate_size: int | None = None  # default: 2 × lm_hidden_size
    lm_layers: int | None = None
    lm_heads: int | None = None
    lm_kv_heads: int | None = None
    lm_vocab_size: int | None = None  # embedding rows (at least the tokenizer's)


class EvalConfig(_Strict):
    """Held-out evaluation after stages 3-4 and by ``mavis-train eval``."""

    max_rows: int = Field(200, ge=1, description="instruct rows answered by generation")
    max_new_tokens: int = Field(
        1024, ge=1, description="cap; the budget is the longest held-out rationale plus a margin"
    )
    batch_size: int = Field(8, ge=1, description="rows generated together")
    loss_rows: int = Field(200, ge=1, description="held-out rows for losses and DPO rewards")
    retrieval_rows: int = Field(200, ge=2, description="stage 1: held-out image-caption pairs")
    every_steps: int | None = Field(
        None, ge=1, description="stages 2-4: held-out loss every N steps during training"
    )


class TrainConfig(_Strict):
    """A whole MAVIS run: models, the held-out split, and each stage's settings."""

    name: str
    clip: str = Field(description="'tiny' or a local directory holding a CLIPModel")
    lm: str = Field(description="'tiny' or a local directory holding a causal LM")
    tiny: TinyShapes = TinyShapes()
    bf16: bool = False
    gradient_checkpointing: bool = False
    seed: int = 0
    report_to: list[str] = Field(
        default_factory=list,
        description="where trainers log besides metrics.json: any of transformers' "
        "integrations, e.g. [tensorboard] (its logs go to STAGE/logs)",
    )
    heldout: float = Field(
        0.1,
        ge=0,
        lt=1,
        description="share of samples held out of every stage (all five versions of a "
        "problem and its caption together); 0: no held-out evaluation",
    )
    stage1: StageConfig = StageConfig()
    stage2: StageConfig = StageConfig()
    stage3: StageConfig = StageConfig(lora_r=8)
    stage4: StageConfig = StageConfig(lora_r=8)
    eval: EvalConfig = EvalConfig()

    def check_weights(self) -> None:
        """A clear message when a preset names weight directories that are not there."""
        for what, path, holds in (
            ("clip", self.clip, "a CLIPModel (config.json, weights, tokenizer, preprocessor)"),
            ("lm", self.lm, "a causal LM with its tokenizer"),
        ):
            if path != "tiny" and not Path(path).is_dir():
                raise FileNotFoundError(
                    f"{what}: {path} is not a directory. Put {holds} there (nothing is "
                    f"downloaded), or pass --set {what}=/path/to/weights."
                )


def load_config(name_or_path: str, overrides: list[str] | None = None) -> TrainConfig:
    """A preset name (``tiny``, ``cpu``, ``mavis-7b``) or a YAML path, plus ``key=value``
    overrides (dotted keys reach into stages: ``stage1.lr=1e-5``)."""
    path = Path(name_or_path)
    if not path.is_file():
        path = CONFIGS / f"{name_or_path}.yaml"
    if not path.is_file():
        presets = sorted(p.stem for p in CONFIGS.glob("*.yaml"))
        raise FileNotFoundError(f"no config {name_or_path!r}; presets: {', '.join(presets)}")
    data: dict[str, Any] = yaml.safe_load(path.read_text())
    for item in overrides or []:
        key, _, value = item.partition("=")
        target = data
        *parents, leaf = key.split(".")
        for p in parents:
            target = target.setdefault(p, {})
        target[leaf] = yaml.safe_load(value)
    return TrainConfig(**data)
