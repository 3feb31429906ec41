"""Reading the engine's shards: discovery, schema checks, the held-out split, shuffled
streams for training and stratified held-out samples for evaluation.

Rows stream from Parquet row groups; nothing is loaded whole or copied into a cache, so a
run over a million rows needs the memory of a batch (and of a shuffle buffer).

The held-out split is by *sample*: ``generator/seed/index``, which a caption row, the five
instruct rows of its problem and its preference pair share. So a held-out problem is out
of every stage in every version, and so is its caption.
"""

from __future__ import annotations

import io
import json
import math
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from PIL import Image

KEY = ("generator", "seed", "index")
NEEDED = {
    "caption": {*KEY, "id", "domain", "image", "caption"},
    "instruct": {*KEY, "id", "domain", "version", "images", "question", "answer", "messages"},
    "preference": {*KEY, "id", "domain", "images", "prompt", "chosen", "rejected"},
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


def has_kind(data_dir: str | Path, kind: str) -> bool:
    """Whether ``data_dir`` holds any ``kind`` shards."""
    return any((Path(data_dir) / kind).glob("*.parquet"))


def count_rows(files: list[Path]) -> int:
    """Rows in the shards, from the Parquet footers (nothing is read)."""
    return sum(pq.read_metadata(f).num_rows for f in files)


def sample_key(row: dict[str, Any]) -> str:
    """What the split is decided on: the sample every kind of row is made from."""
    return f"{row['generator']}/{row['seed']}/{row['index']}"


def is_heldout(key: str, share: float) -> bool:
    """A stable split: the same sample is held out on every run and every process."""
    return zlib.crc32(key.encode()) / 2**32 < share


def in_split(row: dict[str, Any], split: str, share: float) -> bool:
    """Whether ``row`` belongs to ``split`` (all, train or heldout)."""
    return split == "all" or is_heldout(sample_key(row), share) == (split == "heldout")


def rows(
    files: list[Path],
    split: str = "all",
    heldout: float = 0.0,
    columns: list[str] | None = None,
) -> Iterator[dict[str, Any]]:
    """Stream rows of ``split`` in file order (``columns``: read only these)."""
    if columns is not None:
        columns = sorted({*columns, *KEY})
    for f in files:
        for batch in pq.ParquetFile(f).iter_batches(batch_size=64, columns=columns):
            for row in batch.to_pylist():
                if in_split(row, split, heldout):
                    yield row


def question_kind(row: dict[str, Any]) -> str:
    """What an instruct row asks (its target's kind), for reports and strata."""
    try:
        return str(json.loads(row.get("target") or "{}").get("kind", "unknown"))
    except json.JSONDecodeError:
        return "unknown"


def answer_form(row: dict[str, Any]) -> str:
    return "choice" if row.get("choices") else "free"


def instruct_stratum(row: dict[str, Any]) -> tuple[str, ...]:
    """Problems are sampled evenly over domain, question kind and answer form."""
    return (row["domain"], question_kind(row), answer_form(row))


def heldout_sample(
    files: list[Path],
    share: float,
    n: int,
    stratum: Callable[[dict[str, Any]], tuple[str, ...]] = lambda r: (r["domain"],),
    light: tuple[str, ...] = ("domain",),
) -> list[dict[str, Any]]:
    """About ``n`` held-out rows (whole samples: the last one taken may pass ``n``), a
    proportional stratified sample *by sample key*: rows that share a key (the five
    versions of a problem) come in or stay out together.

    Two passes: the first reads only the ``light`` columns to place every held-out sample
    in its stratum; then only the chosen rows are read whole.
    """
    where: dict[str, list[tuple[int, int]]] = defaultdict(list)
    strata: dict[tuple[str, ...], list[str]] = defaultdict(list)
    columns = sorted({*KEY, *light})
    for i, f in enumerate(files):
        offset = 0
        for batch in pq.ParquetFile(f).iter_batches(batch_size=4096, columns=columns):
            for j, row in enumerate(batch.to_pylist()):
                key = sample_key(row)
                if is_heldout(key, share):
                    if key not in where:
                        strata[stratum(row)].append(key)
                    where[key].append((i, offset + j))
            offset += batch.num_rows
    # Each stratum's samples in a stable pseudo-random order, spaced evenly over [0, 1):
    # any prefix of the merged order then holds every stratum in proportion to its size.
    order = []
    for name, keys in strata.items():
        keys.sort(key=lambda k: zlib.crc32(f"order/{k}".encode()))
        order += [((j + 0.5) / len(keys), name, k) for j, k in enumerate(keys)]
    chosen: dict[int, list[int]] = defaultdict(list)
    taken = 0
    for _, _, key in sorted(order):
        if taken >= n:
            break
        for i, j in where[key]:
            chosen[i].append(j)
        taken += len(where[key])
    picked = []
    for i, positions in sorted(chosen.items()):
        picked += pq.read_table(files[i]).take(sorted(positions)).to_pylist()
    return picked


def image(cell: dict[str, Any]) -> Image.Image:
    """An HF Image cell (``{bytes, path}``) as an RGB PIL image."""
    return Image.open(io.BytesIO(cell["bytes"])).convert("RGB")


def steps_for(n_rows: int, epochs: float, global_batch: int) -> int:
    """Optimiser steps for ``epochs`` over ``n_rows`` at ``global_batch`` rows a step."""
    return max(1, math.ceil(epochs * n_rows / global_batch))
