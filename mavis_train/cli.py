"""The ``mavis-train`` command line: the four stages, all of them, evaluation."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from pydantic import ValidationError

from mavis_train.config import load_config
from mavis_train.data import DataError


def _stage1(cfg, args, out):
    from mavis_train import stage1_clip

    return stage1_clip.run(cfg, args.data, out, args.resume)


def _stage2(cfg, args, out):
    from mavis_train import stage2_align

    init = _need(args.init, "stage 1 (CLIP) directory")
    return stage2_align.run(cfg, args.data, init, out, args.resume)


def _stage3(cfg, args, out):
    from mavis_train import stage3_sft

    init = _need(args.init, "stage 2 model directory")
    return stage3_sft.run(cfg, args.data, init, out, args.resume)


def _stage4(cfg, args, out):
    from mavis_train import stage4_dpo

    init = _need(args.init, "stage 3 model directory")
    return stage4_dpo.run(cfg, args.data, init, out, args.resume)


STAGES = {"stage1": _stage1, "stage2": _stage2, "stage3": _stage3, "stage4": _stage4}


def _need(path: str | None, what: str) -> str:
    if not path or not Path(path).is_dir():
        raise FileNotFoundError(f"--init must name the {what}, got {path!r}")
    return path


def _summary(name: str, m: dict) -> str:
    def f(v):
        return "n/a" if v is None else f"{v:.3f}"

    base = "" if m.get("baseline") is None else f" (baseline {f(m['baseline'])})"
    return (
        f"{name}: held-out {m['metric']} {f(m['heldout_before'])} -> {f(m['heldout_after'])}"
        f"{base}; {m['steps']} steps of {m['global_batch']} rows in {m['seconds']:.0f} s"
    )


def _run_stage(cfg, args, name: str, out: Path) -> dict:
    """One stage, or its metrics when ``--resume`` finds it finished with this config."""
    from mavis_train import runs, vlm

    if args.resume:
        init = getattr(args, "init", None)
        record = runs.fingerprint(
            cfg, int(name[-1]), data=args.data, **({"init": init} if name != "stage1" else {})
        )
        done = runs.finished(out, record)
        if done is not None:
            _say(f"{name}: done already, kept ({out})")
            return done
    _say(f"{name}: {vlm.describe_batch(getattr(cfg, name))}")
    metrics = STAGES[name](cfg, args, out)
    _say(_summary(name, metrics))
    return metrics


def _say(line: str) -> None:
    """Print once, from the main process, however many processes train."""
    if int(os.environ.get("RANK", "0")) == 0:
        print(line)


def cmd_stage(args: argparse.Namespace) -> int:
    cfg = load_config(args.config, args.set)
    cfg.check_weights()
    _run_stage(cfg, args, args.command, Path(args.output))
    return 0


def cmd_all(args: argparse.Namespace) -> int:
    """Stages 1-4 into RUN/stage1 .. RUN/stage4, each starting from the previous one."""
    cfg = load_config(args.config, args.set)
    cfg.check_weights()
    run = Path(args.output)
    previous = None
    for name in STAGES:
        out = run / name
        args.init = str(previous) if previous else None
        _run_stage(cfg, args, name, out)
        previous = out
    _say(f"done: the final model is {run / 'stage4'} (AutoModelForImageTextToText)")
    return 0


def _heldout_share(model_dir: str, given: float | None) -> float:
    """The split the model was trained with (its run record), unless given."""
    if given is not None:
        return given
    record = Path(model_dir) / "run_config.json"
    return json.loads(record.read_text())["heldout"] if record.exists() else 0.1


def cmd_eval(args: argparse.Namespace) -> int:
    """Answer accuracy; under torchrun/accelerate the rows are split over the processes
    and the main process reports."""
    from mavis_train import evaluate, vlm

    model, processor = vlm.load(args.model)
    if args.benchmark == "mathverse":
        from mavis_train import mathverse

        report = mathverse.run(
            model,
            processor,
            args.data,
            args.query,
            args.max_new_tokens,
            args.batch_size,
            args.max_rows,
        )
        show, name = mathverse.print_report, "mathverse.json"
    else:
        share = 1.0 if args.all_rows else _heldout_share(args.model, args.heldout)
        rows = evaluate.heldout_problems(args.data, share, args.max_rows or 200)
        report = evaluate.accuracy(
            model, processor, rows, args.max_new_tokens, args.batch_size, across_processes=True
        )
        show, name = evaluate.print_report, "heldout_accuracy.json"
    if vlm.is_main_process():
        show(report)
        if args.output:
            out = Path(args.output)
            out.mkdir(parents=True, exist_ok=True)
            (out / name).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
            print(f"report: {out / name}")
    return 0


def cmd_mine(args: argparse.Namespace) -> int:
    from mavis_train.mine import mine

    result = mine(
        args.model, args.data, args.output, args.max_rows, args.max_new_tokens, args.batch_size
    )
    _say(
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

        sp.add_argument(
            "--resume",
            action="store_true",
            help="continue the run in OUTPUT (refused if its config differs); without it, "
            "an OUTPUT holding a run is refused",
        )

    for name in STAGES:
        sp = sub.add_parser(name, help=f"run {name}")
        common(sp)
        sp.add_argument("--init", help="the previous stage's directory (stages 2-4)")
        sp.set_defaults(func=cmd_stage)
    a = sub.add_parser("all", help="run the four stages into OUTPUT/stage1 .. stage4")
    common(a)
    a.set_defaults(func=cmd_all)
    e = sub.add_parser("eval", help="held-out answer accuracy beside its baselines")
    e.add_argument("--model", required=True)
    e.add_argument("--data", required=True, help="engine output, or MathVerse testmini's folder")
    e.add_argument("--benchmark", choices=("engine", "mathverse"), default="engine")
    e.add_argument(
        "--query",
        choices=("query_wo", "query_cot"),
        default="query_wo",
        help="mathverse: the prompt field",
    )
    e.add_argument(
        "--max-rows", type=int, default=None, help="engine: rows (default 200); mathverse: items"
    )
    e.add_argument("--max-new-tokens", type=int, default=1024, help="cap on the budget")
    e.add_argument("--batch-size", type=int, default=8)
    e.add_argument("--heldout", type=float, help="held-out share (default: the model's run record)")
    e.add_argument("--all-rows", action="store_true", help="every row, not only held-out ones")
    e.add_argument("--output", help="a folder: the report is written there as JSON")
    e.set_defaults(func=cmd_eval)
    m = sub.add_parser("mine-negatives", help="the model's wrong answers as DPO rejections")
    m.add_argument("--model", required=True, help="a stage-3 model directory")
    m.add_argument("--data", required=True, help="engine output with instruct shards")
    m.add_argument("--output", required=True, help="writes OUTPUT/preference/mined.parquet")
    m.add_argument("--max-rows", type=int, default=1000)
    m.add_argument("--max-new-tokens", type=int, default=512)
    m.add_argument("--batch-size", type=int, default=8)
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
