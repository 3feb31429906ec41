"""Training learns: the ``cpu`` preset's four stages on 1,500 engine samples (all three
domains), each judged on held-out samples against its target and baseline (the same run
and checks as benchmarks/bench_learning.py; about 15 minutes on 2 cores)."""

from __future__ import annotations

import json

import pytest

from mavis_engine import generate
from mavis_train import data, evaluate
from mavis_train.cli import main


@pytest.mark.slow
def test_cpu_preset_learns_on_heldout_data(tmp_path):
    shards, run = tmp_path / "data", tmp_path / "run"
    generate("all", 1500, 0, shards, kind="all", workers=2, progress=False)
    assert main(["all", "--config", "cpu", "--data", str(shards), "--output", str(run)]) == 0
    metrics = {
        f"stage{i}": json.loads((run / f"stage{i}" / "metrics.json").read_text())
        for i in range(1, 5)
    }
    checks = evaluate.learning_checks(metrics)
    assert all(ok for _, _, ok in checks), checks
    # Stage 3 reports answer accuracy beside both baselines, by both methods.
    acc = metrics["stage3"]["heldout_accuracy"]
    assert acc["generation"]["all"]["rows"] >= 50
    assert {"accuracy", "majority", "random"} <= set(acc["likelihood"]["all"])

    # The final model is plain transformers and still writes an answer.
    from transformers import AutoModelForImageTextToText, AutoProcessor

    model = AutoModelForImageTextToText.from_pretrained(run / "stage4")
    processor = AutoProcessor.from_pretrained(run / "stage4")
    rows = evaluate.heldout_problems(shards, 0.1, 5)
    text = evaluate.generate(model, processor, rows[:2], 400, 2)
    assert all(t.strip() for t in text)
    assert data.sample_key(rows[0]) not in {
        data.sample_key(r) for r in data.rows(data.shard_files(shards, "caption"), "train", 0.1)
    }
