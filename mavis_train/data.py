"""Reading the engine's shards: discovery, schema checks, streaming rows, held-out split.

Rows stream from Parquet row groups; nothing is loaded whole or copied into a cache, so a
run over a million rows needs the memory of a batch.
"""

from __future__ import annotations

import io
import math
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from PIL import Image

NEEDED = {
    "caption": {"id", "domain", "image", "caption"},
    "instruct": {"id", "domain", "version", "images", "question", "answer", "messages"},
    "preference": {"id", "domain", "images", "prompt", "chosen", "rejected"},
}


class DataError(ValueError):
    """The data directory does not hold usable shards of the kind a stage needs."""


def shard_files(data_dir: str | Path, kind: str) -> list[Path]:
    """The ``kind`` shards under ``data_dir`` (checked for the columns a stage reads)."""
    folder = Path(data_dir) / kind
    files = sorted(folder.glob("*.parquet"))
    if not files:
        raise DataError(
            f"no {kind} shards in {folder} (generate them with mavis-engine "
            f"generate ... --kind {'all' if kind != 'caption' else 'caption'})"
        )
    for f in files:
        missing = NEEDED[kind] - set(pq.read_schema(f).names)
        if missing:
            raise DataError(f"{f} is not a {kind} shard: missing columns {sorted(missing)}")
    return files


def count_rows(files: list[Path]) -> int:
    """Rows in the shards, from the Parquet footers (nothing is read)."""
    return sum(pq.read_metadata(f).num_rows for f in files)


def is_heldout(row_id: str, share: float) -> bool:
    """A stable split: the same row is held out on every run and every process."""
    return zlib.crc32(row_id.encode()) / 2**32 < share


def rows(
    files: list[Path],
    split: str = "all",
    heldout: float = 0.0,
    rank: int = 0,
    world: int = 1,
    limit: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Stream rows (``split``: all, train or heldout), this process's share of them."""
    seen = kept = 0
    for f in files:
        for batch in pq.ParquetFile(f).iter_batches(batch_size=64):
            for row in batch.to_pylist():
                if split != "all" and is_heldout(row["id"], heldout) != (split == "heldout"):
                    continue
                seen += 1
                if (seen - 1) % world != rank:
                    continue
                yield row
                kept += 1
                if limit is not None and kept >= limit:
                    return


def image(cell: dict[str, Any]) -> Image.Image:
    """An HF Image cell (``{bytes, path}``) as an RGB PIL image."""
    return Image.open(io.BytesIO(cell["bytes"])).convert("RGB")


def steps_for(n_rows: int, epochs: float, batch_size: int, world: int = 1) -> int:
    """Optimiser steps for ``epochs`` over ``n_rows``."""
    return max(1, math.ceil(epochs * n_rows / (batch_size * world)))
