"""A run's manifest: what each shard holds (rows, checksums), and checking files against it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

MANIFEST = "manifest.json"


def read(out: Path) -> dict[str, Any] | None:
    """The manifest of the run in ``out``, if there is one (unreadable: ValueError)."""
    path = out / MANIFEST
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path} is unreadable: {exc}") from None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def shard_mismatch(out: Path, shard: dict[str, Any]) -> str | None:
    """Why a recorded shard's files are not what the manifest says (None: they are):
    missing, unreadable, another row count or another checksum."""
    for kind, rel in shard["paths"].items():
        path = out / rel
        if not path.is_file():
            return f"{rel}: missing"
        try:
            rows = pq.ParquetFile(path).metadata.num_rows
        except Exception as exc:  # pyarrow raises several types for damaged files
            return f"{rel}: unreadable ({type(exc).__name__}: {exc})"
        if rows != shard["rows"][kind]:
            return f"{rel}: {rows} rows, the manifest recorded {shard['rows'][kind]}"
        recorded = shard.get("sha256", {}).get(kind)
        if recorded is None:
            return f"{rel}: no checksum recorded"
        if file_sha256(path) != recorded:
            return f"{rel}: checksum differs from the manifest's"
    return None
