"""mavis_train on CPU: the pipeline end to end (tiny preset), each stage overfitting one
batch, the held-out split and its stratified samples, resume rules, the mined-negatives
recipe, configs and errors. Learning on held-out data is tested in test_learning.py."""

from __future__ import annotations

import json
import os
import socket
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest
import torch

from mavis_engine import generate
from mavis_train import data, evaluate, runs
from mavis_train.cli import main
from mavis_train.config import CONFIGS, load_config


@pytest.fixture(scope="module")
def shards(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("shards")
    generate("all", 120, 0, out, kind="all", workers=2, shard_size=60, progress=False)
    return out


@pytest.fixture(scope="module")
def few(tmp_path_factory) -> Path:
    """Eight samples: one fixed batch for the overfit tests."""
    out = tmp_path_factory.mktemp("few")
    generate("plane-geometry", 8, 0, out, kind="all", progress=False)
    return out


def _metrics(run: Path, name: str) -> dict:
    return json.loads((run / name / "metrics.json").read_text())


@pytest.mark.slow
def test_tiny_pipeline_end_to_end_with_resume_and_mined_negatives(shards, tmp_path, capsys):
    run = tmp_path / "run"
    args = ["all", "--config", "tiny", "--data", str(shards), "--output", str(run)]
    assert main(args) == 0
    for n, metric in enumerate(
        ("heldout_r1", "heldout_caption_loss", "heldout_rationale_loss", "heldout_reward_accuracy"),
        start=1,
    ):
        m = _metrics(run, f"stage{n}")
        assert m["metric"] == metric and m["steps"] > 0
        assert m["heldout_before"] is not None and m["heldout_after"] is not None
        assert not (run / f"stage{n}" / "checkpoints").exists()  # pruned after success
    assert _metrics(run, "stage1")["baseline"] == pytest.approx(
        1 / _metrics(run, "stage1")["heldout_pairs"]
    )
    acc = _metrics(run, "stage3")["heldout_accuracy"]
    assert acc["generation"]["all"]["rows"] > 0
    assert {"majority", "random", "accuracy"} <= set(acc["generation"]["all"])
    assert any(k.startswith("kind/") for k in acc["generation"])

    # The final directory is plain transformers: load it and generate on a diagram.
    from transformers import AutoModelForImageTextToText, AutoProcessor

    model = AutoModelForImageTextToText.from_pretrained(run / "stage4")
    processor = AutoProcessor.from_pretrained(run / "stage4")
    row = next(data.rows(data.shard_files(shards, "instruct")))
    inputs = evaluate.prompt_inputs(processor, [row])
    out = model.generate(**inputs, max_new_tokens=5, do_sample=False)
    assert out.shape[1] > inputs["input_ids"].shape[1]

    # Rerunning into a run's directory needs --resume; resuming keeps finished stages and
    # refuses a changed config.
    capsys.readouterr()
    assert main(args) == 2
    assert "pass --resume" in capsys.readouterr().err
    assert main([*args, "--resume"]) == 0
    assert capsys.readouterr().out.count("done already") == 4
    assert main([*args, "--resume", "--set", "stage1.lr=5e-4"]) == 2
    assert "config differs in settings.lr" in capsys.readouterr().err

    # The paper's negatives: the stage-3 model's wrong answers, then stage 4 on them alone.
    mined = tmp_path / "mined"
    mine = ["mine-negatives", "--model", str(run / "stage3"), "--data", str(shards)]
    assert main([*mine, "--output", str(mined), "--max-rows", "40", "--max-new-tokens", "8"]) == 0
    import datasets
    from PIL import Image

    pref = datasets.load_dataset("parquet", data_dir=str(mined / "preference"), split="train")
    assert 0 < len(pref) <= 40 and isinstance(pref[0]["images"][0], Image.Image)
    assert pref[0]["chosen"][0]["content"] != pref[0]["rejected"][0]["content"]
    stage4 = ["stage4", "--config", "tiny", "--data", str(mined), "--init", str(run / "stage3")]
    assert main([*stage4, "--output", str(tmp_path / "dpo-mined")]) == 0
    m = json.loads((tmp_path / "dpo-mined" / "metrics.json").read_text())
    assert m["metric"] == "heldout_reward_accuracy" and m["steps"] > 0


def _train_losses(out: Path) -> list[float]:
    """The logged training losses of a stage whose checkpoints are kept by the caller."""
    state = sorted(out.glob("checkpoints/checkpoint-*/trainer_state.json"))[-1]
    return [e["loss"] for e in json.loads(state.read_text())["log_history"] if "loss" in e]


@pytest.mark.parametrize("stage", [1, 2, 3, 4])
def test_each_stage_overfits_one_batch(stage, few, tmp_path, monkeypatch):
    """Eight samples, one batch, many steps: the loss must fall below 0.3 x its start,
    which proves gradients reach what the stage trains."""
    monkeypatch.setattr(runs, "finish", lambda out, metrics, main_process=True: None)
    cfg = load_config(
        "tiny",
        [
            "heldout=0",
            "stage1.batch_size=8",
            "stage1.augment=false",
            "stage2.full=true",
            "stage3.full=true",
            "stage4.lora_r=16",
            *(f"stage{s}.{k}" for s in (1, 2, 3, 4) for k in ("max_steps=40", "warmup_ratio=0")),
            *(f"stage{s}.scheduler=constant" for s in (1, 2, 3, 4)),
            *(f"stage{s}.shuffle_buffer=1" for s in (1, 2, 3, 4)),
            "stage2.batch_size=8",
            "stage3.batch_size=8",
            "stage3.max_steps=80",  # eight long rationales take longer to learn by heart
            "stage4.batch_size=8",
        ],
    )
    from mavis_train import stage1_clip, stage2_align, stage3_sft, stage4_dpo

    dirs = [tmp_path / f"s{i}" for i in range(5)]
    # Each stage starts from the one before (run with few steps: only shapes matter there).
    quick = cfg.model_copy(
        update={
            f"stage{s}": getattr(cfg, f"stage{s}").model_copy(update={"max_steps": 1})
            for s in (1, 2, 3)
        }
    )
    runners = [
        lambda c, o: stage1_clip.run(c, few, o),
        lambda c, o: stage2_align.run(c, few, dirs[1], o),
        lambda c, o: stage3_sft.run(c, few, dirs[2], o),
        lambda c, o: stage4_dpo.run(c, few, dirs[3], o),
    ]
    for s in range(1, stage):
        runners[s - 1](quick, dirs[s])
    runners[stage - 1](cfg, dirs[stage])
    losses = _train_losses(dirs[stage])
    assert len(losses) >= 20
    assert losses[-1] < 0.3 * losses[0], losses


def test_split_is_by_sample_and_samples_are_stratified(shards):
    files = {k: data.shard_files(shards, k) for k in ("caption", "instruct", "preference")}
    held = {k: {data.sample_key(r) for r in data.rows(f, "heldout", 0.2)} for k, f in files.items()}
    train = {k: {data.sample_key(r) for r in data.rows(f, "train", 0.2)} for k, f in files.items()}
    # A held-out sample is held out as a caption, as a problem (all versions) and as a pair.
    assert held["caption"] and held["instruct"] <= held["caption"]
    assert held["preference"] <= held["caption"]
    for kind in files:
        assert not held[kind] & set().union(*train.values())
    rows = data.heldout_sample(
        files["instruct"], 0.2, 60, data.instruct_stratum, evaluate.STRATUM_COLUMNS
    )
    per_problem = Counter(r["problem_id"] for r in rows)
    assert set(per_problem.values()) == {5}  # whole problems, every version
    assert len(rows) >= 60
    # Proportional over (domain, question kind, answer form): 12 problems hold every domain
    # with held-out problems (6 did not once solid geometry joined the mix: four domains
    # spread over more strata than there were problems).
    domains = Counter(r["domain"] for r in data.rows(files["instruct"], "heldout", 0.2))
    assert {r["domain"] for r in rows} == set(domains)


def test_majority_and_random_baselines():
    rows = [
        {"answer": a, "choices": c, "domain": "d", "version": "v", "target": "{}"}
        for a, c in [("A", ["1", "2"]), ("A", ["1", "2"]), ("B", ["1", "2"]), ("5", []), ("5", [])]
    ]
    report = evaluate._summarise(rows, [True, False, False, False, True])
    assert report["all"] == {"rows": 5, "accuracy": 0.4, "majority": 0.8, "random": 0.3}


def test_resume_rules(tmp_path):
    cfg = load_config("tiny")
    record = runs.fingerprint(cfg, 2, data=tmp_path)
    assert runs.start(tmp_path / "s", record, resume=False) is None
    with pytest.raises(runs.RunError, match="pass --resume"):
        runs.start(tmp_path / "s", record, resume=False)
    (tmp_path / "s" / "checkpoints" / "checkpoint-3").mkdir(parents=True)
    assert runs.start(tmp_path / "s", record, resume=True).endswith("checkpoint-3")
    changed = runs.fingerprint(load_config("tiny", ["stage2.lr=1"]), 2, data=tmp_path)
    with pytest.raises(runs.RunError, match=r"differs in settings\.lr"):
        runs.start(tmp_path / "s", changed, resume=True)


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
    from pydantic import ValidationError

    tiny = load_config("tiny", ["stage1.lr=2e-5", "stage3.lora_r=4"])
    assert tiny.stage1.lr == 2e-5 and tiny.stage3.lora_r == 4
    cpu = load_config("cpu")
    assert cpu.stage2.full and cpu.stage1.train_text and cpu.stage1.scheduler == "cosine"
    big = load_config("mavis-7b")
    assert big.stage3.lora_r == 128 and big.stage1.lr == 2e-6 and big.stage1.global_batch == 16
    from mavis_train import vlm

    # The recipe's global batches hold on 1 and 8 GPUs; a batch that cannot is refused.
    for gpus, accumulation in ((1, (8, 8, 8, 8)), (8, (1, 1, 1, 1))):
        with pytest.MonkeyPatch.context() as env:
            env.setenv("WORLD_SIZE", str(gpus))
            stages = (big.stage1, big.stage2, big.stage3, big.stage4)
            assert tuple(vlm.accumulation(s) for s in stages) == accumulation
            assert [vlm.global_batch(s) for s in stages] == [16, 256, 128, 64]
            if gpus == 8:
                with pytest.raises(ValueError, match="not a multiple of 32 per device x 8"):
                    vlm.accumulation(big.stage2.model_copy(update={"global_batch": 128}))
    with pytest.raises(ValidationError, match="global_batch or grad_accum"):
        load_config("tiny", ["stage2.global_batch=32", "stage2.grad_accum=2"])
    with pytest.raises(FileNotFoundError, match="nothing is downloaded"):
        big.check_weights()
    with pytest.raises(FileNotFoundError, match="presets: "):
        load_config("nope")

    with pytest.raises(ValidationError, match="mix"):
        load_config("tiny", ["stage3.mix={planes: 1}"])
    with pytest.raises(ValidationError, match="scheduler"):
        load_config("tiny", ["stage3.scheduler=sawtooth"])
    mixed = load_config("tiny", ["stage3.mix={plane_geometry: 2, function: 1}"])
    assert mixed.stage3.mix == {"plane_geometry": 2, "function": 1}


def test_domain_mix_and_shuffle(shards):
    from mavis_train import vlm

    cfg = load_config("tiny", ["stage3.mix={function: 1}", "stage3.shuffle_buffer=50"])
    files = data.shard_files(shards, "instruct")
    only = list(vlm.stream(files, lambda r: {"d": r["domain"], "id": r["id"]}, cfg, cfg.stage3))
    assert only and {r["d"] for r in only} == {"function"}
    plain = load_config("tiny", ["stage3.shuffle_buffer=50"])
    ids = [r["id"] for r in vlm.stream(files, lambda r: {"id": r["id"]}, plain, plain.stage3)]
    in_order = [r["id"] for r in data.rows(files, "train", plain.heldout)]
    assert sorted(ids) == sorted(in_order) and ids != in_order
    # The five versions of a problem no longer arrive side by side.
    problems = [i.rsplit("/", 1)[0] for i in ids]
    assert sum(a == b for a, b in pairwise(problems)) < len(ids) / 4


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
        "tiny",
        [
            f"clip={clip_dir}",
            f"lm={lm_dir}",
            "stage1.max_steps=3",
            "stage2.max_steps=3",
            "report_to=[tensorboard]",
            "bf16=true",
            "eval.every_steps=1",
        ],
    )
    cfg.check_weights()
    m1 = stage1_clip.run(cfg, shards, tmp_path / "s1")
    m2 = stage2_align.run(cfg, shards, tmp_path / "s1", tmp_path / "s2")
    assert m1["steps"] == 3 and m2["steps"] == 3
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    from transformers import AutoModelForImageTextToText

    from mavis_train import vlm

    events = EventAccumulator(str(tmp_path / "s2" / "logs"))
    events.Reload()
    assert {"train/loss", "eval/loss"} <= set(events.Tags()["scalars"])  # held-out loss too
    model = AutoModelForImageTextToText.from_pretrained(tmp_path / "s2", dtype=torch.bfloat16)
    assert model.config.text_config.model_type == "mistral"
    # Weights on disk in bf16 (the run's dtype), exactly the ones trained.
    assert {p.dtype for p in model.parameters()} == {torch.bfloat16}
    assert vlm.digest(model) == m2["weights_sha256"] and m2["saved_mib"] > 0


def test_saved_weights_are_the_trained_ones(few, tmp_path, monkeypatch):
    """The save path (weights gathered, the model rebuilt on CPU from the stage's start,
    LoRA merged there, rounded to bf16) writes exactly what merging the in-memory trained
    model gives, for LoRA with the projector (stage 2) and for the whole LM (stage 3)."""
    from transformers import AutoModelForImageTextToText

    from mavis_train import stage1_clip, stage2_align, stage3_sft, vlm

    in_memory = {}
    real_save = vlm.save

    def save(trainer, processor, init, out, bf16, lora_config):
        written = real_save(trainer, processor, init, out, bf16, lora_config)
        model = trainer.model.merge_and_unload() if lora_config else trainer.model
        in_memory[out.name] = vlm.digest(model.to(torch.bfloat16))
        return written

    monkeypatch.setattr(vlm, "save", save)
    steps = [f"stage{s}.max_steps=2" for s in (1, 2, 3)]
    settings = ["heldout=0", "bf16=true", "stage2.lora_r=4", "stage3.full=true"]
    cfg = load_config("tiny", [*steps, *settings])
    stage1_clip.run(cfg, few, tmp_path / "s1")
    for name, stage in (("s2", stage2_align), ("s3", stage3_sft)):
        m = stage.run(cfg, few, tmp_path / f"s{int(name[1]) - 1}", tmp_path / name)
        saved = AutoModelForImageTextToText.from_pretrained(tmp_path / name, dtype=torch.bfloat16)
        assert vlm.digest(saved) == m["weights_sha256"] == in_memory[name]
    assert not (tmp_path / "s2" / "checkpoints").exists()  # the composed start is pruned too


def test_mathverse_harness_on_a_fixture_in_its_layout(shards, tmp_path, capsys):
    from mavis_train import mathverse, stage1_clip, stage2_align

    rows = evaluate.heldout_problems(shards, 1.0, 20)
    folder = tmp_path / "mathverse"
    mathverse.write_fixture(rows, folder)
    items, root = mathverse.load_items(folder)
    assert len(items) == len(rows) and (root / items[0]["image"]).is_file()
    mc = next(i for i, r in zip(items, rows, strict=True) if r["choices"])
    ff = next(i for i, r in zip(items, rows, strict=True) if not r["choices"])
    gold = mathverse.options(mc["question"])[ord(mc["answer"]) - 65]
    wrong = chr(65 + (ord(mc["answer"]) - 64) % len(mathverse.options(mc["question"])))
    for said in (mc["answer"], f"({mc['answer']})", f"{mc['answer']}: {gold}"):
        assert mathverse.is_right(mc, said), said
    assert not mathverse.is_right(mc, wrong) and not mathverse.is_right(mc, None)
    assert mathverse.is_right(ff, ff["answer"]) and not mathverse.is_right(ff, "no idea")

    cfg = load_config("tiny", ["stage1.max_steps=1", "stage2.max_steps=1"])
    stage1_clip.run(cfg, shards, tmp_path / "s1")
    stage2_align.run(cfg, shards, tmp_path / "s1", tmp_path / "s2")
    args = ["eval", "--benchmark", "mathverse", "--data", str(folder), "--model"]
    assert (
        main(
            [*args, str(tmp_path / "s2"), "--max-new-tokens", "8", "--output", str(tmp_path / "o")]
        )
        == 0
    )
    report = json.loads((tmp_path / "o" / "mathverse.json").read_text())
    assert report["items"] == len(items) == len(report["predictions"])
    assert set(report["by_version"]) <= set(mathverse.VERSIONS.values())
    assert sum(v["items"] for v in report["by_subject"].values()) == len(items)
    assert 0 <= report["majority_baseline"] <= 1
    assert "majority baseline" in capsys.readouterr().out


@pytest.mark.slow
def test_two_processes_step_by_the_global_batch_and_save_what_they_trained(shards, tmp_path):
    """Stages 2-4 under torchrun with two CPU processes (gloo): steps follow the global
    batch (per device x processes), one process reports, and the saved directory holds
    exactly the weights that were trained (their digest, taken in memory at save time).
    Then evaluation split over two processes matches one process's report."""
    import math
    import subprocess
    import sys

    from transformers import AutoModelForImageTextToText

    from mavis_train import vlm

    run = tmp_path / "run"
    settings = ["stage3.epochs=0.25", "stage2.global_batch=32"]  # stage 2: 8 x 2 x 2
    one = ["--config", "tiny", "--data", str(shards), *(x for s in settings for x in ("--set", s))]
    assert main(["stage1", *one, "--set", "stage1.max_steps=2", "--output", str(run / "s1")]) == 0
    cfg = load_config("tiny", settings)
    for n, kind in ((2, "caption"), (3, "instruct"), (4, "preference")):
        command = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2"]
        command += ["--master_port", str(_free_port()), "-m", "mavis_train.cli", f"stage{n}"]
        command += [*one, "--init", str(run / f"s{n - 1}"), "--output", str(run / f"s{n}")]
        done = subprocess.run(command, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stderr[-3000:]
        assert done.stdout.count(f"stage{n}: held-out") == 1
        m = _metrics(run, f"s{n}")
        stage = getattr(cfg, f"stage{n}")
        train_rows = round(data.count_rows(data.shard_files(shards, kind)) * (1 - cfg.heldout))
        rows_per_step = stage.global_batch or 2 * stage.batch_size
        assert m["global_batch"] == rows_per_step
        assert m["steps"] == math.ceil(stage.epochs * train_rows / rows_per_step)
        assert done.stdout.count(f"stage{n}: global batch {rows_per_step} = ") == 1
        saved = AutoModelForImageTextToText.from_pretrained(run / f"s{n}")
        assert vlm.digest(saved) == m["weights_sha256"]

    # Evaluation split over two processes gives the report one process gives.
    ask = ["eval", "--model", str(run / "s4"), "--data", str(shards), "--max-rows", "20"]
    ask += ["--batch-size", "1", "--max-new-tokens", "8", "--output"]
    assert main([*ask, str(tmp_path / "one")]) == 0
    command = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2"]
    command += ["--master_port", str(_free_port()), "-m", "mavis_train.cli"]
    done = subprocess.run([*command, *ask, str(tmp_path / "two")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    one, two = ((tmp_path / d / "heldout_accuracy.json").read_text() for d in ("one", "two"))
    assert json.loads(one) == json.loads(two) and json.loads(one)["generation"]["all"]["rows"] >= 20


@pytest.mark.slow
def test_deepspeed_zero2_and_zero3_on_two_processes(shards, tmp_path):
    """Stages 2-4 as the README launches them (stage 2 under DeepSpeed ZeRO-2, stages
    3-4 under ZeRO-3, the model partitioned as it loads), on two CPU processes: the model
    loaded in shards is the model (its held-out loss before training equals one
    process's), steps follow the global batch, one process reports, and the gathered,
    merged weights are saved whole."""
    import math
    import subprocess
    import sys

    import yaml
    from transformers import AutoModelForImageTextToText

    from mavis_train import stage1_clip, stage2_align, stage3_sft, vlm

    settings = ["stage3.epochs=0.25", "stage1.max_steps=2", "stage2.max_steps=2"]
    cfg = load_config("tiny", [*settings, "stage4.max_steps=2"])
    stage1_clip.run(cfg, shards, tmp_path / "s1")
    stage2_align.run(cfg, shards, tmp_path / "s1", tmp_path / "s2")
    single = stage3_sft.run(cfg, shards, tmp_path / "s2", tmp_path / "s3-one-process")

    for zero in ("zero2", "zero3"):  # the README's configs, on two CPU processes
        accelerate = yaml.safe_load((CONFIGS / "accelerate" / f"{zero}.yaml").read_text())
        json_file = str(CONFIGS / "accelerate" / f"{zero}.json")
        accelerate["deepspeed_config"]["deepspeed_config_file"] = json_file
        accelerate.update(num_processes=2, use_cpu=True)
        (tmp_path / f"{zero}.yaml").write_text(yaml.safe_dump(accelerate))
    env = {**os.environ, "DS_ACCELERATOR": "cpu"}
    one = ["--config", "tiny", "--data", str(shards)]
    one += [x for s in (*settings, "stage4.max_steps=2") for x in ("--set", s)]
    for n, start, zero in ((2, "s1", "zero2"), (3, "s2", "zero3"), (4, "z3", "zero3")):
        command = [sys.executable, "-m", "accelerate.commands.launch", "--config_file"]
        command += [str(tmp_path / f"{zero}.yaml"), "--main_process_port", str(_free_port())]
        command += ["-m", "mavis_train.cli", f"stage{n}", *one, "--init", str(tmp_path / start)]
        command += ["--output", str(tmp_path / f"z{n}")]
        done = subprocess.run(command, capture_output=True, text=True, timeout=900, env=env)
        assert done.returncode == 0, done.stderr[-3000:]
        assert done.stdout.count(f"stage{n}: held-out") == 1
        m = _metrics(tmp_path, f"z{n}")
        saved = AutoModelForImageTextToText.from_pretrained(tmp_path / f"z{n}")
        assert vlm.digest(saved) == m["weights_sha256"]
        assert m["global_batch"] == 2 * getattr(cfg, f"stage{n}").batch_size
    m = _metrics(tmp_path, "z3")
    train_rows = round(data.count_rows(data.shard_files(shards, "instruct")) * (1 - cfg.heldout))
    assert m["steps"] == math.ceil(cfg.stage3.epochs * train_rows / m["global_batch"])
    # Equal up to padding: eight rows are collated together, then split between processes.
    assert m["heldout_before"] == pytest.approx(single["heldout_before"], rel=1e-3)
