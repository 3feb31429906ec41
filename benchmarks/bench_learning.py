"""Does training learn? The four stages of the ``cpu`` preset on engine shards, each
measured on held-out samples before and after, beside its baseline.

    python benchmarks/bench_learning.py                      # 1,500 mixed samples, ~10 min
    python benchmarks/bench_learning.py --data DIR --output RUN   # on shards you have

Prints, per stage, the held-out measure before -> after and whether it meets the target
(``mavis_train.evaluate.learning_checks``), then stage 3's answer accuracy by generation
and option likelihood beside the majority and random baselines.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from mavis_engine import generate
from mavis_train.cli import main as train
from mavis_train.evaluate import learning_checks, print_report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1500, help="engine samples (all domains)")
    parser.add_argument("--data", help="existing shards instead of generating")
    parser.add_argument("--output", help="run directory (default: a temporary one)")
    parser.add_argument("--config", default="cpu")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(args.data or Path(tmp) / "data")
        run = Path(args.output or Path(tmp) / "run")
        started = time.perf_counter()
        if not args.data:
            generate("all", args.samples, 0, data, kind="all", workers=2, progress=False)
            print(f"shards: {args.samples} samples in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        train(["all", "--config", args.config, "--data", str(data), "--output", str(run)])
        minutes = (time.perf_counter() - started) / 60
        metrics = {
            f"stage{i}": json.loads((run / f"stage{i}" / "metrics.json").read_text())
            for i in range(1, 5)
        }
        print(f"\nheld-out results ({args.config} preset, {minutes:.1f} min of training):")
        for stage, what, ok in learning_checks(metrics):
            print(f"  {stage}: {what}  {'met' if ok else 'NOT MET'}")
        print("\nstage 3 answers on held-out problems:")
        print_report(metrics["stage3"]["heldout_accuracy"])
        print(
            json.dumps(
                {
                    k: {m: v for m, v in x.items() if m != "heldout_accuracy"}
                    for k, x in metrics.items()
                }
            )
        )


if __name__ == "__main__":
    main()
