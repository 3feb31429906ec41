"""The ``mavis-train`` command line: the four stages, all of them, evaluation."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pydantic import ValidationError

from mavis_train.config import load_config
from mavis_train.data import DataError


def _stage1(cfg, args, out):
    from mavis_train import stage1_clip

    return stage1_clip.run(cfg, args.data, out)


def _stage2(cfg, args, out):
    from mavis_train import stage2_align

    return stage2_align.run(cfg, args.data, _need(args.init, "stage 1 (CLIP) directory"), out)


def _stage3(cfg, args, out):
    from mavis_train import stage3_sft

    return stage3_sft.run(cfg, args.data, _need(args.init, "stage 2 model directory"), out)


def _stage4(cfg, args, out):
    from mavis_train import stage4_dpo

    return stage4_dpo.run(cfg, args.data, _need(args.init, "stage 3 model directory"), out)


STAGES = {"stage1": _stage1, "stage2": _stage2, "stage3": _stage3, "stage4": _stage4}


def _need(path: str | None, what: str) -> str:
    if not path or not Path(path).is_dir():
        raise FileNotFoundError(f"--init must name the {what}, got {path!r}")
    return path


def cmd_stage(args: argparse.Namespace) -> int:
    cfg = load_config(args.config, args.set)
    cfg.check_weights()
    metrics = STAGES[args.command](cfg, args, Path(args.output))
    print(json.dumps({k: v for k, v in metrics.items() if k != "heldout_accuracy"}))
    return 0


def cmd_all(args: argparse.Namespace) -> int:
    """Stages 1-4 into RUN/stage1 .. RUN/stage4, each starting from the previous one."""
    cfg = load_config(args.config, args.set)
    cfg.check_weights()
    run = Path(args.output)
    previous = None
    for name in STAGES:
        out = run / name
        if args.resume and (out / "metrics.json").exists():
            print(f"{name}: done already, kept ({out})")
        else:
            args.init = str(previous) if previous else None
            metrics = STAGES[name](cfg, args, out)
            print(
                f"{name}: loss {metrics['loss_first']:.3f} -> {metrics['loss_last']:.3f} "
                f"in {metrics['steps']} steps ({metrics['seconds']:.0f} s)"
            )
        previous = out
    print(f"done: the final model is {run / 'stage4'} (AutoModelForImageTextToText)")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from mavis_train import evaluate, vlm

    model, processor = vlm.load(args.model)
    report = evaluate.accuracy(
        model,
        processor,
        args.data,
        args.max_rows,
        args.max_new_tokens,
        heldout=1.0 if args.all_rows else vlm.HELDOUT,
    )
    for key, r in report.items():
        print(f"{key:<28} {r['accuracy']:.3f}  ({r['rows']} rows)")
    return 0


def cmd_mine(args: argparse.Namespace) -> int:
    from mavis_train.mine import mine

    result = mine(args.model, args.data, args.output, args.max_rows, args.max_new_tokens)
    print(
        f"asked {result['asked']} problems, {result['wrong']} wrong answers kept as "
        f"rejected in {result['path']}"
    )
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="mavis-train", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--config", default="tiny", help="preset (tiny, mavis-7b) or YAML file")
        sp.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="override a config value, e.g. stage1.lr=1e-5 (repeatable)",
        )
        sp.add_argument("--data", required=True, help="a mavis-engine output directory")
        sp.add_argument("--output", required=True, help="where the stage (or run) is written")

    for name in STAGES:
        sp = sub.add_parser(name, help=f"run {name}")
        common(sp)
        sp.add_argument("--init", help="the previous stage's directory (stages 2-4)")
        sp.set_defaults(func=cmd_stage)
    a = sub.add_parser("all", help="run the four stages into OUTPUT/stage1 .. stage4")
    common(a)
    a.add_argument("--resume", action="store_true", help="keep stages already finished")
    a.set_defaults(func=cmd_all)
    e = sub.add_parser("eval", help="answer accuracy by domain and version")
    e.add_argument("--model", required=True)
    e.add_argument("--data", required=True)
    e.add_argument("--max-rows", type=int, default=200)
    e.add_argument("--max-new-tokens", type=int, default=512)
    e.add_argument("--all-rows", action="store_true", help="every row, not only held-out ones")
    e.set_defaults(func=cmd_eval)
    m = sub.add_parser("mine-negatives", help="the model's wrong answers as DPO rejections")
    m.add_argument("--model", required=True, help="a stage-3 model directory")
    m.add_argument("--data", required=True, help="engine output with instruct shards")
    m.add_argument("--output", required=True, help="writes OUTPUT/preference/mined.parquet")
    m.add_argument("--max-rows", type=int, default=1000)
    m.add_argument("--max-new-tokens", type=int, default=512)
    m.set_defaults(func=cmd_mine)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (DataError, FileNotFoundError, ValueError) as exc:
        message = (
            str(exc).splitlines()[0]
            if not isinstance(exc, ValidationError)
            else (f"invalid config: {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}")
        )
        print(f"mavis-train: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
