"""Streaming writers of one row kind: a JSON file of records beside a folder of images
(``llava``, ``sharegpt``, ``jsonl``), or WebDataset tar shards. Each holds at most one row
in memory; file names list what it wrote, relative to the export's root."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from typing import Any

from mavis_engine.export import formats
from mavis_engine.export.names import safe_name

# Tar members carry no time or owner, so the same rows always make the same bytes.
_MEMBER_MODE = 0o444


def _dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, allow_nan=False)


class RecordsWriter:
    """Records of one kind to ``<kind>.json`` (a JSON array, what LLaVA's ``json.load``
    needs) or ``<kind>.jsonl`` (one per line, what ``datasets`` streams), and each row's
    images to ``images/<kind>/``."""

    def __init__(self, root: Path, kind: str, fmt: str) -> None:
        self.root, self.kind, self.fmt = root, kind, fmt
        self.array = fmt == "llava"
        self.name = f"{kind}.json" if self.array else f"{kind}.jsonl"
        self.images = root / "images" / kind
        self.images.mkdir(parents=True)
        # Closed in close().
        self._file = open(root / self.name, "w", encoding="utf-8")  # noqa: SIM115
        self._first = True
        if self.array:
            self._file.write("[\n")
        self.files = [self.name, f"images/{kind}/"]

    def write(self, row: dict[str, Any]) -> None:
        blobs = formats.images(row)
        paths = []
        for name, data in zip(formats.image_names(row["id"], len(blobs)), blobs, strict=True):
            try:
                # "x": a second row with the same id fails here instead of replacing the first.
                with open(self.images / name, "xb") as f:
                    f.write(data)
            except FileExistsError:
                raise ValueError(f"row id {row['id']!r} appears twice") from None
            paths.append(f"images/{self.kind}/{name}")
        record = getattr(formats, self.fmt)(self.kind, row, paths)
        if self.array:
            self._file.write(("" if self._first else ",\n") + _dumps(record))
        else:
            self._file.write(_dumps(record) + "\n")
        self._first = False

    def close(self) -> None:
        if self.array:
            self._file.write("\n]\n")
        self._file.close()


class TarWriter:
    """WebDataset shards ``<kind>-000000.tar``, ...: a new one after ``shard_size`` samples
    or before one would pass ``shard_bytes``. A sample is ``<key>.json`` then its images,
    ``<key>.png`` (``<key>.0.png``, ``<key>.1.png``, ... when it has several), where the
    key is the row id made safe (no dot: WebDataset splits the key at the first one)."""

    def __init__(self, root: Path, kind: str, shard_size: int | None, shard_bytes: int) -> None:
        self.root, self.kind = root, kind
        self.shard_size, self.shard_bytes = shard_size, shard_bytes
        self.files: list[str] = []
        self._tar: tarfile.TarFile | None = None
        self._count = self._bytes = 0

    def _next_shard(self) -> None:
        self._close_shard()
        name = f"{self.kind}-{len(self.files):06d}.tar"
        # Closed in _close_shard(); the PAX default format takes ids of any length.
        self._tar = tarfile.open(self.root / name, mode="w")  # noqa: SIM115
        self.files.append(name)
        self._count = self._bytes = 0

    def write(self, row: dict[str, Any]) -> None:
        key = safe_name(row["id"])
        blobs = formats.images(row)
        members = [(f"{key}.json", _dumps(formats.webdataset(self.kind, row)).encode())]
        members += [
            (name, data)
            for name, data in zip(formats.image_names(row["id"], len(blobs)), blobs, strict=True)
        ]
        size = sum(512 + len(data) for _, data in members)  # each member has a 512-byte header
        full = self.shard_size is not None and self._count >= self.shard_size
        if self._tar is None or full or (self._count and self._bytes + size > self.shard_bytes):
            self._next_shard()
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), _MEMBER_MODE
            self._tar.addfile(info, io.BytesIO(data))
        # TarFile keeps every member's header in a list, which would grow with the shard
        # (to some 100 MB for a 1 GB shard of small images); writing never reads it back.
        self._tar.members.clear()
        self._count += 1
        self._bytes += size

    def _close_shard(self) -> None:
        if self._tar is not None:
            self._tar.close()
            self._tar = None

    def close(self) -> None:
        self._close_shard()
