"""``mavis-engine export``: a run's rows in a training framework's format.

Rows stream from the shards a batch at a time (memory stays flat whatever the run's size)
into a staging folder beside the target, renamed into place only once every row is
written: an error or Ctrl-C leaves no half-written export.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from tqdm import tqdm

from mavis_engine._version import __version__
from mavis_engine.errors import UsageError
from mavis_engine.export import formats
from mavis_engine.export.parquet import shard_files
from mavis_engine.export.schema import KINDS
from mavis_engine.export.writers import RecordsWriter, TarWriter

# The row kinds each format can say (LLaVA has no preference layout).
FORMATS = {
    "llava": ("caption", "instruct"),
    "sharegpt": tuple(KINDS),
    "webdataset": tuple(KINDS),
    "jsonl": tuple(KINDS),
}
READ_BATCH = 64  # rows decoded at a time: a few MB of images
SHARD_BYTES = 1 << 30  # WebDataset's customary shard of about 1 GB
SUMMARY = "export.json"
LLAMA_FACTORY_INFO = "dataset_info.json"


def _kinds(src: Path, fmt: str, asked: list[str] | None) -> tuple[list[str], list[str]]:
    """The kinds to export and those left out (the run has them, the format cannot say
    them, and none were named)."""
    present = [k for k in KINDS if shard_files(src, k)]
    if not present:
        raise UsageError(f"{src} holds no caption/, instruct/ or preference/ shards")
    can = FORMATS[fmt]
    if asked is None:
        return [k for k in present if k in can], [k for k in present if k not in can]
    unknown = [k for k in asked if k not in KINDS]
    if unknown:
        raise UsageError(f"unknown --kind {', '.join(unknown)}; available: {', '.join(KINDS)}")
    absent = [k for k in asked if k not in present]
    if absent:
        raise UsageError(f"{src} has no {', '.join(absent)} rows")
    unsaid = [k for k in asked if k not in can]
    if unsaid:
        raise UsageError(
            f"--format {fmt} has no layout for {', '.join(unsaid)} rows; use sharegpt or jsonl"
        )
    return [k for k in KINDS if k in asked], []


def _check_target(src: Path, out: Path, overwrite: bool) -> None:
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} exists and is not a directory")
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise UsageError(f"--out {out} is not empty; pass --overwrite to replace it")
    resolved = out.resolve()
    if resolved == src.resolve() or resolved in src.resolve().parents:
        raise UsageError(f"--out {out} would replace the run it exports; choose another")


@contextmanager
def _staged(out: Path) -> Iterator[Path]:
    """A fresh folder beside ``out``; on success it replaces ``out``, on any error it is
    removed and ``out`` is left as it was."""
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = out.with_name(f".{out.name}.{secrets.token_hex(4)}.partial")
    stage.mkdir()
    try:
        yield stage
        if out.exists():  # empty, or --overwrite: move it aside, then swap
            old = out.with_name(f".{out.name}.{secrets.token_hex(4)}.old")
            os.rename(out, old)
            os.rename(stage, out)
            shutil.rmtree(old)
        else:
            os.rename(stage, out)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def _batches(src: Path, kind: str) -> Iterator[list[dict[str, Any]]]:
    for path in shard_files(src, kind):
        for batch in pq.ParquetFile(path).iter_batches(batch_size=READ_BATCH):
            yield batch.to_pylist()


def export(
    src: str | Path,
    fmt: str,
    out: str | Path,
    *,
    kinds: list[str] | None = None,
    shard_size: int | None = None,
    shard_bytes: int = SHARD_BYTES,
    overwrite: bool = False,
    progress: bool = True,
) -> dict[str, Any]:
    """Write the rows of the run in ``src`` to ``out`` in format ``fmt`` (one of
    ``FORMATS``); ``kinds`` defaults to every kind the run has that the format can say.
    Returns the summary also written to ``out/export.json``."""
    src, out = Path(src), Path(out)
    if fmt not in FORMATS:
        raise UsageError(f"unknown --format {fmt!r}; available: {', '.join(FORMATS)}")
    if not src.is_dir():
        raise UsageError(f"{src} is not a directory")
    if shard_size is not None and shard_size < 1:
        raise UsageError(f"--shard-size must be at least 1, got {shard_size}")
    chosen, skipped = _kinds(src, fmt, kinds)
    _check_target(src, out, overwrite)
    expected = {k: sum(pq.read_metadata(p).num_rows for p in shard_files(src, k)) for k in chosen}
    summary: dict[str, Any] = {
        "format": fmt,
        "source": str(src.resolve()),
        "engine_version": __version__,
        "kinds": {},
        "skipped": skipped,
    }
    bar = tqdm(total=sum(expected.values()), unit="row", disable=not progress, smoothing=0.1)
    with bar, _staged(out) as stage:
        for kind in chosen:
            if fmt == "webdataset":
                writer: RecordsWriter | TarWriter = TarWriter(stage, kind, shard_size, shard_bytes)
            else:
                writer = RecordsWriter(stage, kind, fmt)
            rows = 0
            try:
                for batch in _batches(src, kind):
                    for row in batch:
                        writer.write(row)
                    rows += len(batch)
                    bar.update(len(batch))
            finally:
                writer.close()
            if rows != expected[kind]:  # shards changed under us (a run still writing?)
                raise RuntimeError(f"{kind}: read {rows} rows, the shards held {expected[kind]}")
            summary["kinds"][kind] = {"rows": rows, "files": writer.files}
            if fmt == "webdataset":  # the brace pattern WebDataset's loaders take
                last = len(writer.files) - 1
                summary["kinds"][kind]["urls"] = f"{kind}-{{000000..{last:06d}}}.tar"
        if fmt == "sharegpt":
            info = {
                f"mavis_{k}": formats.sharegpt_info(k, v["files"][0])
                for k, v in summary["kinds"].items()
            }
            (stage / LLAMA_FACTORY_INFO).write_text(json.dumps(info, indent=2) + "\n")
        (stage / SUMMARY).write_text(json.dumps(summary, indent=2) + "\n")
    return summary
