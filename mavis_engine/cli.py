"""The ``mavis-engine`` command line: generate, preview, verify, card, stats, export, list."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from mavis_engine import cli_run as run_commands
from mavis_engine import registry
from mavis_engine._version import __version__
from mavis_engine.check_run import verify_run
from mavis_engine.errors import SampleFailed, ShardsFailed, UsageError
from mavis_engine.generator import language_tag
from mavis_engine.pipeline import INT64_MAX, generate
from mavis_engine.ray_backend import RayOptions


def _domain(name: str) -> str:
    if name not in registry.names():
        raise UsageError(f"unknown domain {name!r}; available: {', '.join(registry.names())}")
    return name


def _config(args: argparse.Namespace) -> dict[str, Any]:
    config: dict[str, Any] = {}
    if args.config:
        try:
            config = json.loads(Path(args.config).read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise UsageError(f"cannot read --config {args.config}: {exc}") from None
        if not isinstance(config, dict):
            raise UsageError(
                f"--config {args.config} must hold a JSON object of settings, "
                f"not a {type(config).__name__}"
            )
    if getattr(args, "depth", None):
        config["depth"] = tuple(args.depth)
    if getattr(args, "image_size", None) is not None:
        config["image_size"] = args.image_size
    if getattr(args, "language", None) is not None:
        config.pop("language", None)
        config["languages"] = args.language
    return config


def _validation_message(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "config"
    return f"invalid {where}: {err['msg']}"


def cmd_generate(args: argparse.Namespace) -> int:
    cores = os.cpu_count() or 1
    if args.workers > cores:
        print(
            f"mavis-engine: warning: --workers {args.workers} exceeds the {cores} cores here",
            file=sys.stderr,
        )
    try:
        manifest = generate(
            _domain(args.domain),
            n=args.n,
            seed=args.seed,
            out=args.out,
            config=_config(args),
            workers=args.workers,
            kind=args.kind,
            shard_size=args.shard_size,
            progress=not args.quiet,
            backend=args.backend,
            ray_options=_ray_options(args),
        )
    except ShardsFailed as exc:
        _summary(exc.manifest, args.out)
        for f in exc.manifest["failed_shards"]:
            files = ", ".join(f["paths"].values())
            print(
                f"mavis-engine: shard {f['start']}..{f['stop'] - 1} failed ({files}): {f['error']}",
                file=sys.stderr,
            )
        print(f"mavis-engine: {exc}", file=sys.stderr)
        return 1
    if manifest.get("nothing_to_do"):
        rows = ", ".join(f"{v} {k}" for k, v in manifest["rows"].items())
        print(f"nothing to do: {args.out} already holds this run ({rows} rows)")
        return 0
    _summary(manifest, args.out)
    return 0


def _ray_options(args: argparse.Namespace) -> RayOptions | None:
    """Ray settings when the ray backend or any Ray option was asked for (an option
    without the backend is refused by generate)."""
    given = {
        "address": args.address,
        "cpus_per_task": args.ray_cpus_per_task,
        "max_retries": args.ray_max_retries,
    }
    given = {k: v for k, v in given.items() if v is not None}
    return RayOptions(**given) if given or args.backend == "ray" else None


def _summary(manifest: dict[str, Any], out: str) -> None:
    rows = ", ".join(f"{v} {k}" for k, v in manifest["rows"].items())
    rej = ", ".join(f"{k}: {v}" for k, v in manifest["rejections"].items()) or "none"
    print(
        f"wrote {rows} rows in {len(manifest['shards'])} shards under {out} "
        f"({manifest['seconds']:.1f} s, {manifest['samples_per_second']:.0f} samples/s); "
        f"failed samples: {manifest['failed_samples']}; rejected attempts: {rej}"
    )


def _sample(args: argparse.Namespace, problems: bool):
    if not (0 <= args.index <= INT64_MAX and 0 <= args.seed <= INT64_MAX):
        raise UsageError("--seed and --index must be between 0 and 2**63 - 1")
    generator = registry.get(_domain(args.domain))(**_config(args))
    if problems and "instruct" not in generator.problem_kinds:
        raise UsageError(f"generator {args.domain!r} makes no instruct rows")
    unwritten = generator.unwritten_languages(problems)
    if unwritten:
        what = "problems" if generator.unwritten_languages(False) != unwritten else "text"
        raise UsageError(
            f"generator {args.domain!r} cannot write its {what} in {', '.join(unwritten)} yet"
        )
    try:
        return generator.sample(args.seed, args.index, problems)
    except SampleFailed as exc:
        raise UsageError(str(exc)) from None


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc}") from None


def cmd_preview(args: argparse.Namespace) -> int:
    if args.kind not in ("caption", "instruct"):
        raise UsageError(f"--kind {args.kind!r} cannot be previewed; use caption or instruct")
    sample = _sample(args, problems=args.kind == "instruct")
    out = Path(args.out)
    if args.kind == "instruct":
        for row in sample.rows("instruct"):
            png = out / f"{row['version']}{language_tag(row['language'])}.png"
            _write(png, row["images"][0]["bytes"])
            print(f"== {row['version']} ({png})\n{row['question']}\n")
        print(f"== rationale\n{row['rationale']}\n")
        pref = sample.rows("preference")[0]
        print(f"== rejected ({pref['perturbation']})\n{pref['rejected'][0]['content']}")
        return 0
    _write(out, sample.image)
    print(f"image: {out} ({sample.figure['width']}x{sample.figure['height']})")
    print(f"id: {sample.id}")
    for text in (sample, *sample.translations):
        tag = f" ({text.language})" if sample.translations else ""
        print(f"caption{tag}: {text.caption}")
        print(f"construction{tag}: {text.construction}")
    print("facts:")
    for fact in sample.facts:
        of = " ".join(fact["of"])
        print(f"  {fact['kind']:<10} {of:<22} {fact['exact']:<28} = {fact['value']:.6g}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    out = Path(args.dir)
    if not out.is_dir():
        raise UsageError(f"{out} is not a directory")
    if args.workers < 1:
        raise UsageError(f"--workers must be at least 1, got {args.workers}")
    report = verify_run(out, args.workers, progress=not (args.quiet or args.json))
    if not report["kinds"]:
        raise UsageError(f"{out} holds no caption/, instruct/ or preference/ shards")
    if args.json:
        print(json.dumps(report, indent=2))
        return 0 if report["ok"] else 1
    for kind, r in report["kinds"].items():
        files = f", {r['bad_files']} damaged files" if r["bad_files"] else ""
        print(f"{kind}: {r['rows']} rows checked, {r['bad_rows']} with problems{files}")
    for rel, why in report["files"].items():
        print(f"  {rel}: {why}")
    for kind, entry in report["problems"].items():
        print(f"  {entry['count']} x {kind}")
        for example in entry["examples"]:
            print(f"      {example}")
    return 0 if report["ok"] else 1


def cmd_list(args: argparse.Namespace) -> int:
    for name in registry.names():
        cls = registry.get(name)
        doc = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
        print(f"{name:<20} {cls.domain:<18} {doc}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="mavis-engine", description=__doc__)
    p.add_argument("--version", action="version", version=f"mavis-engine {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    def generator_options(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("domain", help="generator name, e.g. plane-geometry (see `list`)")
        sp.add_argument("--seed", type=int, default=0)
        sp.add_argument("--config", help="JSON file of generator settings")
        sp.add_argument(
            "--depth",
            type=int,
            nargs=2,
            metavar=("MIN", "MAX"),
            help="number of shapes (plane geometry)",
        )
        sp.add_argument("--image-size", type=int, help="long side of the image in pixels")
        sp.add_argument("--kind", default="caption", help="caption, instruct or all")
        sp.add_argument(
            "--language",
            help="languages of the text, e.g. en,zh: each gives its own rows (default en)",
        )

    g = sub.add_parser(
        "generate",
        help="generate a dataset of Parquet shards (rerunning the same command resumes it)",
        description="Generate a dataset of Parquet shards. Rerunning the same command "
        "into the same --out resumes it: shards whose row counts and checksums match the "
        "manifest are kept, the rest are made again.",
    )
    generator_options(g)
    g.add_argument("--n", type=int, required=True, help="number of samples")
    g.add_argument("--out", required=True, help="output directory")
    g.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes (with --backend ray and no --address: CPUs of the local Ray)",
    )
    g.add_argument(
        "--shard-size",
        type=int,
        help="samples per shard (default 1000, fewer so that every worker gets a shard)",
    )
    g.add_argument("--quiet", action="store_true", help="no progress bar")
    g.add_argument(
        "--backend",
        default="process",
        help="process (local process pool, the default) or ray (Ray tasks; docs/scale.md)",
    )
    g.add_argument(
        "--address",
        help="Ray cluster to join: 'auto' or HOST:PORT (default: start a local Ray instance)",
    )
    g.add_argument(
        "--ray-cpus-per-task", type=float, help="CPUs Ray reserves per shard task (default 1)"
    )
    g.add_argument(
        "--ray-max-retries",
        type=int,
        help="times a shard task is rerun after its worker died or it raised (default 3)",
    )
    g.set_defaults(func=cmd_generate)

    v = sub.add_parser("preview", help="write one sample's PNG and print its text and facts")
    generator_options(v)
    v.add_argument("--index", type=int, default=0)
    v.add_argument(
        "--out",
        default="sample.png",
        help="PNG path (caption) or directory (instruct: one PNG per version)",
    )
    v.set_defaults(func=cmd_preview)

    c = sub.add_parser("verify", help="re-check written shards; exit 1 if any row is wrong")
    c.add_argument("dir", help="output directory of a run")
    c.add_argument("--json", action="store_true", help="the report as JSON")
    c.add_argument("--workers", type=int, default=1, help="processes checking files")
    c.add_argument("--quiet", action="store_true", help="no progress bar")
    c.set_defaults(func=cmd_verify)

    run_commands.add(sub)  # card, stats, export (cli_run.py)

    ls = sub.add_parser("list", help="list registered generators")
    ls.set_defaults(func=cmd_list)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"mavis-engine: error: {exc}", file=sys.stderr)
    except ValidationError as exc:
        print(f"mavis-engine: error: {_validation_message(exc)}", file=sys.stderr)
    except KeyboardInterrupt:
        print("mavis-engine: interrupted; rerun the same command to resume", file=sys.stderr)
        return 130
    return 2


if __name__ == "__main__":
    sys.exit(main())
