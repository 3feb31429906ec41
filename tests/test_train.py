"""mavis_train: the four stages end to end on engine shards (tiny preset, CPU), the
gathered contrastive loss across two processes, configs and errors. Skipped where the
``train`` extra is not installed."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("trl")
pytest.importorskip("peft")

from mavis_engine import generate  # noqa: E402
from mavis_train.cli import main  # noqa: E402
from mavis_train.config import CONFIGS, load_config  # noqa: E402


@pytest.fixture(scope="module")
def shards(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("shards")
    generate("plane-geometry", 200, 0, out, kind="all", workers=2, shard_size=100, progress=False)
    return out


def test_all_stages_on_tiny_models(shards, tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["all", "--config", "tiny", "--data", str(shards), "--output", str(run)]) == 0
    metrics = {
        n: json.loads((run / n / "metrics.json").read_text())
        for n in ("stage1", "stage2", "stage3", "stage4")
    }
    for name, m in metrics.items():
        assert m["loss_last"] < m["loss_first"], (name, m)
        assert m["steps"] > 0 and m["seconds"] > 0
    s1 = metrics["stage1"]
    assert s1["retrieval_r1_after"] > s1["retrieval_r1_before"]
    for name in ("stage3", "stage4"):
        acc = metrics[name]["heldout_accuracy"]
        assert acc["all"]["rows"] > 0
        assert {"version/text_dominant", "domain/plane_geometry"} <= set(acc)

    # The final directory is plain transformers: load it and generate on a shard's diagram.
    import pyarrow.parquet as pq
    from transformers import AutoModelForImageTextToText, AutoProcessor

    from mavis_train.data import image

    model = AutoModelForImageTextToText.from_pretrained(run / "stage4")
    processor = AutoProcessor.from_pretrained(run / "stage4")
    row = (
        pq.read_table(sorted((shards / "instruct").glob("*.parquet"))[0]).slice(0, 1).to_pylist()[0]
    )
    messages = [
        {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": row["question"]}]}
    ]
    prompt = processor.apply_chat_template(messages, add_generation_prompt=True)
    inputs = processor(text=prompt, images=[image(row["images"][0])], return_tensors="pt")
    out = model.generate(**inputs, max_new_tokens=5, do_sample=False)
    assert out.shape[1] > inputs["input_ids"].shape[1]

    # The paper's negatives: the stage-3 model's wrong answers, as a preference shard.
    mined = tmp_path / "mined"
    assert (
        main(
            [
                "mine-negatives",
                "--model",
                str(run / "stage3"),
                "--data",
                str(shards),
                "--output",
                str(mined),
                "--max-rows",
                "3",
                "--max-new-tokens",
                "8",
            ]
        )
        == 0
    )
    import datasets
    from PIL import Image

    pref = datasets.load_dataset("parquet", data_dir=str(mined / "preference"), split="train")
    assert 0 < len(pref) <= 3 and isinstance(pref[0]["images"][0], Image.Image)
    assert pref[0]["chosen"][0]["content"] != pref[0]["rejected"][0]["content"]

    # --resume keeps finished stages.
    capsys.readouterr()
    assert (
        main(["all", "--config", "tiny", "--data", str(shards), "--output", str(run), "--resume"])
        == 0
    )
    assert capsys.readouterr().out.count("done already") == 4


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gathered(rank: int, world: int, port: int, images, texts, out: str) -> None:
    import torch.distributed as dist

    from mavis_train.stage1_clip import contrastive_loss

    dist.init_process_group(
        "gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world
    )
    half = len(images) // world
    img = images[rank * half : (rank + 1) * half].clone().requires_grad_(True)
    txt = texts[rank * half : (rank + 1) * half].clone().requires_grad_(True)
    loss = contrastive_loss(img, txt, torch.tensor(10.0))
    loss.backward()
    torch.save(
        {"loss": loss.detach(), "img_grad": img.grad, "txt_grad": txt.grad}, f"{out}/rank{rank}.pt"
    )
    dist.destroy_process_group()


def test_gathered_contrastive_loss_equals_the_full_batch_loss(tmp_path):
    from mavis_train.stage1_clip import contrastive_loss

    gen = torch.Generator().manual_seed(0)
    images, texts = torch.randn(8, 16, generator=gen), torch.randn(8, 16, generator=gen)
    full_img, full_txt = images.clone().requires_grad_(True), texts.clone().requires_grad_(True)
    full = contrastive_loss(full_img, full_txt, torch.tensor(10.0), gather=False)
    full.backward()
    torch.multiprocessing.spawn(
        _gathered, args=(2, _free_port(), images, texts, str(tmp_path)), nprocs=2, join=True
    )
    parts = [torch.load(tmp_path / f"rank{r}.pt") for r in range(2)]
    for part in parts:
        torch.testing.assert_close(part["loss"], full.detach())
    # Each process holds the gradient of the global loss for its own rows (times the world
    # size, which DDP's averaging divides back out).
    grads = torch.cat([p["img_grad"] for p in parts]) / 2
    torch.testing.assert_close(grads, full_img.grad)


def test_presets_overrides_and_missing_weights():
    tiny = load_config("tiny", ["stage1.lr=2e-5", "stage3.lora_r=4"])
    assert tiny.stage1.lr == 2e-5 and tiny.stage3.lora_r == 4
    big = load_config("mavis-7b")
    assert big.stage3.lora_r == 128 and big.stage1.lr == 2e-6 and big.stage1.batch_size == 16
    with pytest.raises(FileNotFoundError, match="nothing is downloaded"):
        big.check_weights()
    with pytest.raises(FileNotFoundError, match="presets: "):
        load_config("nope")


def test_accelerate_configs_are_valid():
    import yaml

    folder = CONFIGS / "accelerate"
    expected = {
        "ddp.yaml": "MULTI_GPU",
        "zero2.yaml": "DEEPSPEED",
        "zero3.yaml": "DEEPSPEED",
        "fsdp.yaml": "FSDP",
    }
    for name, kind in expected.items():
        cfg = yaml.safe_load((folder / name).read_text())
        assert cfg["distributed_type"] == kind
        ds = cfg.get("deepspeed_config", {}).get("deepspeed_config_file")
        if ds:
            stage = json.loads((folder / ds).read_text())["zero_optimization"]["stage"]
            assert stage == (2 if "zero2" in name else 3)


def test_clear_errors_for_missing_or_wrong_data(tmp_path, capsys):
    assert main(["stage1", "--data", str(tmp_path), "--output", str(tmp_path / "o")]) == 2
    assert "no caption shards" in capsys.readouterr().err
    (tmp_path / "caption").mkdir()
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"x": [1]}), tmp_path / "caption" / "bad.parquet")
    assert main(["stage1", "--data", str(tmp_path), "--output", str(tmp_path / "o")]) == 2
    assert "missing columns" in capsys.readouterr().err
    assert main(["stage2", "--data", str(tmp_path), "--output", str(tmp_path / "o")]) == 2
    assert "--init must name" in capsys.readouterr().err


def test_answer_extraction_rule():
    from mavis_train.evaluate import extract_answer

    assert extract_answer("Step 1 ...\nAnswer: C") == "C"
    assert extract_answer("x Answer: 4√3.\n") == "4√3"
    assert extract_answer("no closing form") is None
    assert os.environ.get("WORLD_SIZE") is None  # tests run single-process


def test_bench_7b_shapes_are_the_mavis_7b_architectures():
    # Built on the meta device: shapes and parameter counts without allocating weights.
    from transformers import CLIPModel, MistralForCausalLM

    from mavis_train.models import lm_config, tiny_clip, train_tokenizer

    cfg = load_config("bench-7b")
    tokenizer = train_tokenizer(["a square ABCD", "Answer: C"], 300)
    with torch.device("meta"):
        lm = MistralForCausalLM(lm_config(cfg, tokenizer))
        clip = tiny_clip(cfg, tokenizer)
    assert isinstance(clip, CLIPModel)
    lm_params = sum(p.numel() for p in lm.parameters())
    vision_params = sum(p.numel() for p in clip.vision_model.parameters())
    assert 7.0e9 < lm_params < 7.5e9  # Mistral-7B: 7.24B
    assert 0.29e9 < vision_params < 0.32e9  # ViT-L/14: 303M


def test_local_weight_directories_are_used_as_given(shards, tmp_path):
    """The mavis-7b path (weights from local directories), exercised with small models
    saved to disk: CLIP with its tokenizer and processor, a causal LM with its tokenizer."""
    from transformers import MistralConfig, MistralForCausalLM

    from mavis_train import stage1_clip, stage2_align
    from mavis_train.models import image_processor, tiny_clip, train_tokenizer

    tiny = load_config("tiny")
    clip_dir, lm_dir = tmp_path / "clip", tmp_path / "lm"
    texts = ["a square ABCD with side 4", "Answer: C", "the area of ABCD is 16"] * 20
    clip_tok = train_tokenizer(texts, 300, append_eos=True)
    clip = tiny_clip(tiny, clip_tok)
    clip.save_pretrained(clip_dir)
    clip_tok.save_pretrained(clip_dir)
    image_processor(tiny).save_pretrained(clip_dir)
    lm_tok = train_tokenizer(texts, 300)
    lm = MistralForCausalLM(
        MistralConfig(
            vocab_size=len(lm_tok),
            hidden_size=32,
            intermediate_size=64,
            num_hidden_layers=1,
            num_attention_heads=2,
            num_key_value_heads=2,
        )
    )
    lm.save_pretrained(lm_dir)
    lm_tok.save_pretrained(lm_dir)

    cfg = load_config(
        "tiny", [f"clip={clip_dir}", f"lm={lm_dir}", "stage1.max_steps=3", "stage2.max_steps=3"]
    )
    cfg.check_weights()
    m1 = stage1_clip.run(cfg, shards, tmp_path / "s1")
    m2 = stage2_align.run(cfg, shards, tmp_path / "s1", tmp_path / "s2")
    assert m1["steps"] == 3 and m2["steps"] == 3
    from transformers import AutoModelForImageTextToText

    model = AutoModelForImageTextToText.from_pretrained(tmp_path / "s2")
    assert model.config.text_config.model_type == "mistral"
