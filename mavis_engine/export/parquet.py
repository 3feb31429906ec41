"""Parquet shards: the writer streams row groups and renames into place only when complete;
the reader finds a kind's shards as ``datasets`` does."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from mavis_engine.export.columns import table
from mavis_engine.export.schema import arrow_schema

ROW_GROUP = 256


class ShardWriter:
    """Write one shard to ``path`` atomically: rows go to a temporary file, renamed on close.

    Memory stays bounded by one row group, whatever the shard size.
    """

    def __init__(self, path: Path, kind: str) -> None:
        self.path = Path(path)
        self.tmp = self.path.with_name(f".{self.path.name}.tmp")
        self.schema = arrow_schema(kind)
        self._writer = pq.ParquetWriter(self.tmp, self.schema, compression="zstd")
        self._rows: list[dict[str, Any]] = []
        self.count = 0

    def write(self, row: dict[str, Any]) -> None:
        self._rows.append(row)
        if len(self._rows) >= ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            self._writer.write_table(table(self._rows, self.schema))
            self.count += len(self._rows)
            self._rows = []

    def close(self) -> None:
        """Finish the file and move it into place."""
        self._flush()
        self._writer.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        """Drop the temporary file; nothing reaches ``path``."""
        self._writer.close()
        self.tmp.unlink(missing_ok=True)

    def __enter__(self) -> ShardWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def write_shard(path: Path, kind: str, rows: Iterable[dict[str, Any]]) -> int:
    """Write ``rows`` as one shard; returns the row count."""
    with ShardWriter(path, kind) as writer:
        for row in rows:
            writer.write(row)
    return writer.count


def shard_files(out: Path, kind: str) -> list[Path]:
    """A kind's shards, as the dataset card's ``<kind>/*.parquet`` glob finds them
    (``datasets`` skips hidden files, such as a shard still being written)."""
    return sorted(p for p in (Path(out) / kind).glob("*.parquet") if not p.name.startswith("."))
