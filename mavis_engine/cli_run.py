"""The commands that work on a run already written: ``card``, ``stats`` and ``export``
(``cli.py`` adds them to its parser)."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from mavis_engine.card import tables, write_card
from mavis_engine.errors import UsageError
from mavis_engine.export.exporter import FORMATS, export
from mavis_engine.stats import collect


def _run_dir(path: str) -> Path:
    out = Path(path)
    if not out.is_dir():
        raise UsageError(f"{out} is not a directory")
    return out


def cmd_card(args: argparse.Namespace) -> int:
    try:
        path = write_card(_run_dir(args.dir))
    except ValueError as exc:  # no shards, or an unreadable manifest
        raise UsageError(str(exc)) from None
    print(f"wrote {path}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    try:
        stats = collect(_run_dir(args.dir))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if not stats.kinds:
        raise UsageError(f"{args.dir} holds no caption/, instruct/ or preference/ shards")
    if args.json:
        print(json.dumps(stats.to_json(), indent=2))
        return 0
    print(tables(stats).strip())
    rejected = ", ".join(f"{k}: {v}" for k, v in stats.rejections.items()) or "none"
    print(f"\nfailed samples: {stats.failed_samples}; rejected attempts: {rejected}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    kinds = None
    if args.kind and args.kind != "all":
        kinds = [k.strip() for k in args.kind.split(",") if k.strip()]
    started = time.perf_counter()
    try:
        summary = export(
            _run_dir(args.dir),
            args.format,
            args.out,
            kinds=kinds,
            shard_size=args.shard_size,
            overwrite=args.overwrite,
            progress=not args.quiet,
        )
    except ValueError as exc:  # a row the format cannot hold; nothing was written
        raise UsageError(f"{exc}; nothing written to {args.out}") from None
    rows = ", ".join(f"{v['rows']} {k}" for k, v in summary["kinds"].items())
    skipped = summary["skipped"]
    note = f"; left out {', '.join(skipped)} (no {args.format} layout)" if skipped else ""
    seconds = time.perf_counter() - started
    print(f"exported {rows} rows to {args.out} as {args.format} ({seconds:.1f} s){note}")
    return 0


def add(sub: argparse._SubParsersAction) -> None:
    """Add ``card``, ``stats`` and ``export`` to the ``mavis-engine`` subcommands."""
    cd = sub.add_parser("card", help="(re)write a run's dataset card, DIR/README.md")
    cd.add_argument("dir", help="output directory of a run")
    cd.set_defaults(func=cmd_card)

    st = sub.add_parser("stats", help="print a run's counts and caption table (as its card)")
    st.add_argument("dir", help="output directory of a run")
    st.add_argument("--json", action="store_true", help="everything counted, as JSON")
    st.set_defaults(func=cmd_stats)

    ex = sub.add_parser(
        "export",
        help="write a run's rows for LLaVA, LLaMA-Factory (sharegpt), WebDataset or as JSONL",
        description="Write a run's rows in a training framework's format (docs/export.md). "
        "Streams, so memory stays flat; writes beside --out and renames at the end, so an "
        "error leaves nothing half-written.",
    )
    ex.add_argument("dir", help="output directory of a run")
    ex.add_argument("--format", required=True, choices=list(FORMATS))
    ex.add_argument("--out", required=True, help="folder to write (must be empty or absent)")
    ex.add_argument(
        "--kind",
        help="row kinds, comma-separated (caption,instruct,preference) or all; default: "
        "every kind the run has that the format can hold",
    )
    ex.add_argument(
        "--shard-size", type=int, help="webdataset: samples per tar (default: about 1 GB a tar)"
    )
    ex.add_argument("--overwrite", action="store_true", help="replace a non-empty --out")
    ex.add_argument("--quiet", action="store_true", help="no progress bar")
    ex.set_defaults(func=cmd_export)
