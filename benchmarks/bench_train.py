"""Training throughput per stage: step time, samples/s, tokens/s, peak memory and the
held-out figures, on shards the engine makes for the run.

    python benchmarks/bench_train.py --config tiny --steps 20          # CPU check
    python benchmarks/bench_train.py --config bench-1b --steps 60      # one GPU (gpu_check.sh)
    python benchmarks/bench_train.py --config bench-7b --steps 200     # GPU, bf16, 7B shapes

`bench-1b` and `bench-7b` build realistic architectures (CLIP ViT-L/14-336 with a 1.1B or
a Mistral-7B LM) from configs with random weights, so no weights are needed. Stages are
written to a temporary directory; ``--keep DIR`` keeps the final model (bf16 when the
config trains in it).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import tempfile
import time
from pathlib import Path

import torch

from mavis_engine import generate
from mavis_train import stage1_clip, stage2_align, stage3_sft, stage4_dpo
from mavis_train.config import load_config


def _peak_mib() -> float:
    if torch.cuda.is_available():
        return torch.cuda.max_memory_allocated() / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # process high-water


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="tiny")
    parser.add_argument("--steps", type=int, default=200, help="optimiser steps per stage")
    parser.add_argument("--samples", type=int, default=400, help="engine samples to train on")
    parser.add_argument("--workers", type=int, default=2, help="engine processes")
    parser.add_argument("--keep", type=Path, help="copy the final model here")
    args = parser.parse_args()
    device = torch.cuda.get_device_name() if torch.cuda.is_available() else "CPU"
    overrides = [f"stage{i}.max_steps={args.steps}" for i in range(1, 5)]
    cfg = load_config(args.config, overrides)
    print(f"config {cfg.name}, device {device}, {args.steps} steps per stage, bf16={cfg.bf16}")
    with tempfile.TemporaryDirectory() as tmp:
        data, run = Path(tmp) / "data", Path(tmp) / "run"
        started = time.perf_counter()
        generate("all", args.samples, 0, data, kind="all", workers=args.workers, progress=False)
        print(f"shards: {args.samples} samples in {time.perf_counter() - started:.1f} s")
        stages = [
            ("stage1", lambda: stage1_clip.run(cfg, data, run / "stage1")),
            ("stage2", lambda: stage2_align.run(cfg, data, run / "stage1", run / "stage2")),
            ("stage3", lambda: stage3_sft.run(cfg, data, run / "stage2", run / "stage3")),
            ("stage4", lambda: stage4_dpo.run(cfg, data, run / "stage3", run / "stage4")),
        ]
        results = {}
        for name, stage in stages:
            if torch.cuda.is_available():
                torch.cuda.reset_peak_memory_stats()
            m = stage()
            step = m["seconds"] / m["steps"]
            results[name] = {
                "step_seconds": round(step, 4),
                "samples_per_second": m["samples_per_second"],
                "tokens_per_second": m.get("tokens_per_second"),
                "peak_memory_mib": round(_peak_mib()),
                "steps": m["steps"],
                "global_batch": m["global_batch"],
                "saved_mib": m["saved_mib"],
                **{k: m[k] for k in ("metric", "heldout_before", "heldout_after", "baseline")},
            }
            if "heldout_accuracy" in m:
                results[name]["answer_accuracy"] = m["heldout_accuracy"]["generation"]["all"]
            print(
                f"{name}: {step * 1000:.1f} ms/step, {m['samples_per_second']} samples/s, "
                f"{m.get('tokens_per_second')} tokens/s, peak memory {_peak_mib():.0f} MiB "
                f"({m['steps']} steps of {m['global_batch']}); held-out {m['metric']} "
                f"{m['heldout_before']} -> {m['heldout_after']}, saved {m['saved_mib']} MiB"
            )
        if args.keep:
            shutil.copytree(run / "stage4", args.keep, dirs_exist_ok=True)
            print(f"final model kept in {args.keep}")
        print(json.dumps(results))


if __name__ == "__main__":
    main()
