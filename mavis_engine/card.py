"""The dataset card, ``OUT/README.md`` (data contract 3.1): the YAML header the Hugging
Face Hub and ``datasets`` read (one config per row kind, with its ``data_files``, features
and row count), then what was generated, the counts, and a small gallery.

Everything comes from the shards on disk and the manifest (``stats.collect``), never from
what a run believes it wrote, so a card rewritten after a resumed, interrupted or mixed
run is right.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path
from typing import Any

import jinja2
import pyarrow.parquet as pq
import yaml

from mavis_engine.export.names import safe_name
from mavis_engine.export.parquet import shard_files
from mavis_engine.export.schema import features, yaml_features
from mavis_engine.stats import RunStats, collect, read_row
from mavis_engine.text.env import environment

CARD = "README.md"
GALLERY = "gallery"
TASKS = {"caption": "image-to-text", "instruct": "visual-question-answering"}


def _template(name: str) -> jinja2.Template:
    return environment(keep_trailing_newline=True).get_template(f"card/{name}")


def tables(stats: RunStats) -> str:
    """The counts and the caption table, as Markdown (the card's middle; ``stats`` prints it)."""
    return _template("tables.md.j2").render(s=stats, captions=stats.caption_table())


def _size_category(rows: int) -> str:
    """The Hub's ``size_categories`` bucket for ``rows``."""
    bounds = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K")]
    bounds += [(1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M")]
    return next((name for bound, name in bounds if rows < bound), "100M<n<1B")


def _file_features(stats: RunStats, kind: str) -> dict[str, Any]:
    """The features the kind's first shard declares (so the card describes the files as
    written, whichever engine wrote them); the contract's when it declares none."""
    metadata = pq.read_schema(shard_files(stats.out, kind)[0]).metadata or {}
    if b"huggingface" in metadata:
        return json.loads(metadata[b"huggingface"])["info"]["features"]
    return features(kind)


def header(stats: RunStats) -> dict[str, Any]:
    """The card's YAML header, as a mapping."""
    run = (stats.manifest or {}).get("run") or {}
    return {
        "pretty_name": f"mavis-engine {run.get('generator', 'run')}",
        "language": stats.languages,
        "tags": ["synthetic", "mathematics", "geometry", "mavis-engine"],
        "task_categories": sorted({TASKS[k] for k in stats.kinds if k in TASKS}),
        "size_categories": [_size_category(sum(stats.rows.values()))],
        "configs": [
            {"config_name": k, "data_files": [{"split": "train", "path": f"{k}/*.parquet"}]}
            for k in stats.kinds
        ],
        "dataset_info": [
            {
                "config_name": k,
                "features": yaml_features(_file_features(stats, k)),
                "splits": [
                    {
                        "name": "train",
                        "num_bytes": stats.data_bytes[k],
                        "num_examples": stats.rows[k],
                    }
                ],
                "download_size": stats.file_bytes[k],
                "dataset_size": stats.data_bytes[k],
            }
            for k in stats.kinds
        ],
    }


def write_gallery(stats: RunStats) -> dict[str, dict[str, str]]:
    """Write the first image of each domain (caption rows) and of each domain and problem
    version (instruct rows) into ``OUT/gallery/``; returns domain -> column -> file. Images
    left there by an earlier card are removed."""
    folder = stats.out / GALLERY
    cells: dict[str, dict[str, str]] = defaultdict(dict)
    written = set()
    for (kind, domain, version), (path, offset) in sorted(stats.examples.items()):
        if kind not in ("caption", "instruct"):
            continue  # preference rows show the instruct rows' images
        column = "image" if kind == "caption" else "images"
        value = read_row(path, offset, [column])[column]
        image = value if kind == "caption" else (value or [None])[0]
        if not image or not image.get("bytes"):
            continue
        name = f"{safe_name(domain)}-{safe_name(version or kind)}.png"
        folder.mkdir(exist_ok=True)
        _write_atomic(folder / name, image["bytes"])
        written.add(name)
        cells[domain][version or kind] = f"{GALLERY}/{name}"
    for old in folder.glob("*.png") if folder.is_dir() else ():
        if old.name not in written:
            old.unlink()
    return dict(sorted(cells.items()))


def _incomplete(stats: RunStats) -> str:
    """Why the run is not complete ('' when it is)."""
    m = stats.manifest
    if m is None:
        return "the directory has no manifest.json."
    if m.get("status") == "complete":
        return ""
    n = (m.get("run") or {}).get("n", 0)
    done = sum(s["stop"] - s["start"] for s in m.get("shards", []))
    return f"{done:,} of {n:,} samples are written."


def render(stats: RunStats, gallery: dict[str, dict[str, str]]) -> str:
    """The whole card: YAML header, then the Markdown body."""
    run = (stats.manifest or {}).get("run")
    versions = [v for v in stats.versions if any(v in c for c in gallery.values())]
    columns = [c for c in ("caption",) if any(c in g for g in gallery.values())] + versions
    body = _template("README.md.j2").render(
        title=f"mavis-engine: {run['generator']}" if run else "mavis-engine data",
        s=stats,
        run=run,
        status=(stats.manifest or {}).get("status", "no manifest"),
        incomplete=_incomplete(stats),
        engine_versions=", ".join(sorted(stats.engine_versions)) or "?",
        config_json=json.dumps(run["config"], indent=2) if run else "",
        tables=tables(stats).strip(),
        rejections=stats.rejections,
        gallery=gallery,
        gallery_columns=columns,
        gallery_versions=bool(versions),
    )
    head = yaml.safe_dump(header(stats), sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{head}---\n\n{body}"


def write_card(out: str | Path) -> Path:
    """(Re)write ``out/README.md`` and its gallery from what ``out`` holds now."""
    stats = collect(Path(out))
    if not stats.kinds:
        raise ValueError(f"{out} holds no caption/, instruct/ or preference/ shards")
    text = render(stats, write_gallery(stats))
    path = stats.out / CARD
    _write_atomic(path, text.encode())
    return path


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
