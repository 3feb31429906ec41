"""Models, tokenizers and processors: built tiny from configs, or loaded from local dirs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import torch
from transformers import (
    AutoModelForCausalLM,
    AutoTokenizer,
    CLIPConfig,
    CLIPImageProcessorPil,
    CLIPModel,
    CLIPTextConfig,
    CLIPVisionConfig,
    CLIPVisionModel,
    LlavaConfig,
    LlavaForConditionalGeneration,
    LlavaProcessor,
    MistralConfig,
    MistralForCausalLM,
    PreTrainedTokenizerFast,
)
from transformers.utils import logging as hf_logging

from mavis_train.config import TrainConfig

IMAGE_TOKEN = "<image>"

# One chat format for every stage. `{% generation %}` marks what the assistant says, so
# SFT supervises only those tokens (never the prompt, never the image placeholders).
CHAT_TEMPLATE = (
    "{% for m in messages %}<s>{{ m['role'] }}\n"
    "{% if m['content'] is string %}{% set parts = [{'type': 'text', 'text': m['content']}] %}"
    "{% else %}{% set parts = m['content'] %}{% endif %}"
    "{% for c in parts %}{% if c['type'] == 'image' %}<image>\n"
    "{% elif m['role'] == 'assistant' %}{% generation %}{{ c['text'] }}</s>{% endgeneration %}"
    "{% else %}{{ c['text'] }}{% endif %}{% endfor %}"
    "{% if m['role'] != 'assistant' %}</s>{% endif %}{% endfor %}"
    "{% if add_generation_prompt %}<s>assistant\n{% endif %}"
)


def train_tokenizer(
    texts: Iterable[str], vocab_size: int, append_eos: bool = False
) -> PreTrainedTokenizerFast:
    """A byte-level BPE tokenizer trained offline on the shards' own text. For CLIP it
    appends EOS, which HF CLIP pools at (without it the loss sits at ln(batch))."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    specials = ["<unk>", "<pad>", "<s>", "</s>", IMAGE_TOKEN]
    tok.train_from_iterator(
        texts,
        trainers.BpeTrainer(
            vocab_size=vocab_size,
            special_tokens=specials,
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        ),
    )
    if append_eos:
        tok.post_processor = processors.TemplateProcessing(
            single="$A </s>", special_tokens=[("</s>", tok.token_to_id("</s>"))]
        )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        unk_token="<unk>",
        pad_token="<pad>",
        bos_token="<s>",
        eos_token="</s>",
        extra_special_tokens={"image_token": IMAGE_TOKEN},
    )
    tokenizer.chat_template = CHAT_TEMPLATE
    return tokenizer


def tiny_clip(cfg: TrainConfig, tokenizer) -> CLIPModel:
    t = cfg.tiny
    vision = CLIPVisionConfig(
        image_size=t.image_size,
        patch_size=t.patch_size,
        hidden_size=t.hidden_size,
        intermediate_size=t.mlp_ratio * t.hidden_size,
        num_hidden_layers=t.layers,
        num_attention_heads=t.heads,
        projection_dim=t.hidden_size,
    )
    text_hidden = t.text_hidden_size or t.hidden_size
    text = CLIPTextConfig(
        vocab_size=len(tokenizer),
        hidden_size=text_hidden,
        intermediate_size=t.mlp_ratio * text_hidden,
        num_hidden_layers=t.text_layers or t.layers,
        num_attention_heads=t.heads,
        max_position_embeddings=128,
        projection_dim=t.hidden_size,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
    )
    torch.manual_seed(cfg.seed)
    return CLIPModel(
        CLIPConfig(
            text_config=text.to_dict(), vision_config=vision.to_dict(), projection_dim=t.hidden_size
        )
    )


def image_processor(cfg: TrainConfig, clip_dir: str | Path | None = None) -> CLIPImageProcessorPil:
    """CLIP's PIL-based image processor: no torchvision, which cannot import beside the
    CPU torch build."""
    if cfg.clip != "tiny":
        return CLIPImageProcessorPil.from_pretrained(clip_dir or cfg.clip)
    size = cfg.tiny.image_size
    # Diagrams are thin lines on white. Centred on the white background, empty patches are
    # zero and the lines carry the signal; with CLIP's photo mean a large constant remains
    # that LayerNorm washes the lines out of, and a tower trained from scratch collapses
    # (every image embedded alike: mean cosine 0.9999, held-out R@1 at chance).
    return CLIPImageProcessorPil(
        size={"shortest_edge": size},
        crop_size={"height": size, "width": size},
        image_mean=[1.0, 1.0, 1.0],
        image_std=[0.5, 0.5, 0.5],
    )


def lm_config(cfg: TrainConfig, tokenizer) -> MistralConfig:
    """The causal LM built from config (random weights) for ``lm: tiny``."""
    t = cfg.tiny
    lm_hidden = t.lm_hidden_size or 2 * t.hidden_size
    return MistralConfig(
        vocab_size=max(len(tokenizer), t.lm_vocab_size or 0),
        hidden_size=lm_hidden,
        intermediate_size=t.lm_intermediate_size or 2 * lm_hidden,
        num_hidden_layers=t.lm_layers or t.layers,
        num_attention_heads=t.lm_heads or t.heads,
        num_key_value_heads=t.lm_kv_heads or t.lm_heads or t.heads,
        max_position_embeddings=4096,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )


@contextmanager
def _quiet_loading() -> Iterator[None]:
    """No load reports while composing: the vision tower is read out of a whole CLIP
    directory (its text half is left out on purpose) and the projector is new."""
    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()
    try:
        yield
    finally:
        hf_logging.set_verbosity(verbosity)


def compose_llava(cfg: TrainConfig, clip_dir: Path, tokenizer) -> LlavaForConditionalGeneration:
    """LLaVA from the stage-1 vision tower, a 2-layer MLP projector and the causal LM,
    in fp32. Assembled by ``from_pretrained`` from the parts' weights, so only the new
    projector is initialised (seeded) and a 7B model is not first built at random."""
    with _quiet_loading():
        vision = CLIPVisionModel.from_pretrained(clip_dir, dtype=torch.float32)
        if cfg.lm == "tiny":
            torch.manual_seed(cfg.seed)
            lm = MistralForCausalLM(lm_config(cfg, tokenizer))
        else:
            lm = AutoModelForCausalLM.from_pretrained(cfg.lm, dtype=torch.float32)
            lm.resize_token_embeddings(len(tokenizer))
        config = LlavaConfig(
            vision_config=vision.config,
            text_config=lm.config,
            image_token_index=tokenizer.convert_tokens_to_ids(IMAGE_TOKEN),
            projector_hidden_act="gelu",
            vision_feature_layer=-2,
            vision_feature_select_strategy="default",
        )
        # The keys under which transformers' LLaVA holds each part.
        weights = {f"model.vision_tower.{k}": v for k, v in vision.state_dict().items()}
        weights |= {f"model.language_model.{k}": v for k, v in lm.model.state_dict().items()}
        weights |= {f"lm_head.{k}": v for k, v in lm.lm_head.state_dict().items()}
        torch.manual_seed(cfg.seed)
        return LlavaForConditionalGeneration.from_pretrained(
            None, config=config, state_dict=weights, dtype=torch.float32
        )


def lm_tokenizer(cfg: TrainConfig, texts: Iterable[str]) -> PreTrainedTokenizerFast:
    """The LM's tokenizer with the image token and the chat template (tiny: trained)."""
    if cfg.lm == "tiny":
        return train_tokenizer(texts, cfg.tiny.vocab_size)
    tokenizer = AutoTokenizer.from_pretrained(cfg.lm)
    tokenizer.add_special_tokens({"additional_special_tokens": [IMAGE_TOKEN]})
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    tokenizer.chat_template = CHAT_TEMPLATE.replace("<s>", "").replace("</s>", tokenizer.eos_token)
    return tokenizer


def llava_processor(
    image_proc: CLIPImageProcessorPil, tokenizer, patch_size: int
) -> LlavaProcessor:
    return LlavaProcessor(
        image_processor=image_proc,
        tokenizer=tokenizer,
        patch_size=patch_size,
        vision_feature_select_strategy="default",
        chat_template=CHAT_TEMPLATE,
        num_additional_image_tokens=1,
    )
