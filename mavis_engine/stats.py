"""What a run directory holds, counted from its shards as they are on disk (the files the
dataset card's ``data_files`` globs give ``datasets``), streaming: only the columns a count
needs, a batch at a time, so memory does not grow with the run."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from mavis_engine import manifest as manifest_file
from mavis_engine.export.parquet import shard_files
from mavis_engine.export.schema import KINDS

ROW_KINDS = tuple(KINDS)  # caption, instruct, preference
VERSIONS = ("text_dominant", "text_lite", "vision_intensive", "vision_dominant", "vision_only")
BATCH = 1024

# MAVIS-Caption, the paper's Table 1 (arXiv 2407.08739): pairs, average caption length in
# words, vocabulary size, per domain.
MAVIS_CAPTIONS = {
    "plane_geometry": {"rows": 299_000, "avg_words": 69.8, "vocabulary": 195},
    "analytic_geometry": {"rows": 77_000, "avg_words": 39.6, "vocabulary": 158},
    "function": {"rows": 212_000, "avg_words": 61.5, "vocabulary": 149},
}

# Columns each count reads; the heavy ones (images, rationales) are never read.
COLUMNS = {
    "caption": ("domain", "generator", "engine_version", "language", "caption", "figure"),
    "instruct": ("domain", "generator", "engine_version", "language", "version", "target"),
    "preference": ("domain", "generator", "engine_version", "language"),
}


_HANZI = re.compile("[\u3400-\u9fff]")


def caption_words(caption: str, names: set[str], language: str = "en") -> tuple[int, set[str]]:
    """A caption's length in words (whitespace-separated, as MAVIS counts) and its
    vocabulary: lower-cased runs of letters, leaving out point and shape names (``A``,
    ``ABCD``, the ``DAB`` of ``∠DAB``), which are labels, not words. Chinese, written
    without spaces, counts characters: its length is its characters but spaces, and
    its vocabulary its distinct Chinese characters besides its Latin words."""
    letters = {n for n in names if len(n) == 1}
    vocab = set()
    chinese = language == "zh"
    length = len("".join(caption.split())) if chinese else len(caption.split())
    if chinese:
        vocab = set(_HANZI.findall(caption))
        caption = _HANZI.sub(" ", caption)
    # Runs of letters in any script (``x²`` gives ``x``; digits and symbols are no words).
    for word in "".join(ch if ch.isalpha() else " " for ch in caption).split():
        if word in names or (word.isupper() and set(word) <= letters):
            continue
        vocab.add(word.lower())
    return length, vocab


def _figure_names(figure: str | None) -> set[str]:
    if not figure:
        return set()
    fig = json.loads(figure)
    shapes = {s.get("name", "") for s in fig.get("shapes", [])}
    return set(fig.get("points", {})) | {s for s in shapes if s.isalnum()}


@dataclass
class CaptionStats:
    """Caption length and vocabulary of one domain and language."""

    rows: int = 0
    words: int = 0
    vocabulary: set[str] = field(default_factory=set)


@dataclass
class RunStats:
    """Counts of one run directory; ``examples`` locates a first row per (kind, domain,
    version) for the card's gallery as (file, row offset)."""

    out: Path
    manifest: dict[str, Any] | None
    rows: Counter = field(default_factory=Counter)
    files: Counter = field(default_factory=Counter)
    file_bytes: Counter = field(default_factory=Counter)  # on disk (compressed)
    data_bytes: Counter = field(default_factory=Counter)  # uncompressed, as Arrow holds it
    by_domain: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    by_language: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    by_version: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    by_question: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    captions: dict[tuple[str, str], CaptionStats] = field(
        default_factory=lambda: defaultdict(CaptionStats)
    )
    generators: set[str] = field(default_factory=set)
    engine_versions: set[str] = field(default_factory=set)
    examples: dict[tuple[str, str, str], tuple[Path, int]] = field(default_factory=dict)

    @property
    def kinds(self) -> list[str]:
        """Row kinds with at least one shard, in the contract's order."""
        return [k for k in ROW_KINDS if self.files[k]]

    @property
    def domains(self) -> list[str]:
        return sorted({d for c in self.by_domain.values() for d in c})

    @property
    def languages(self) -> list[str]:
        return sorted({lang for c in self.by_language.values() for lang in c})

    @property
    def versions(self) -> list[str]:
        found = {v for c in self.by_version.values() for v in c}
        return [v for v in VERSIONS if v in found] + sorted(found - set(VERSIONS))

    @property
    def rejections(self) -> dict[str, int]:
        """Rejected attempts by reason, over the shards the manifest records."""
        total: Counter = Counter()
        for shard in (self.manifest or {}).get("shards", []):
            total.update(shard.get("rejections", {}))
        return dict(sorted(total.items(), key=lambda kv: (-kv[1], kv[0])))

    @property
    def failed_samples(self) -> int:
        return sum(s.get("failed", 0) for s in (self.manifest or {}).get("shards", []))

    def caption_table(self) -> list[dict[str, Any]]:
        """One entry per domain and language: rows, average words, vocabulary, and MAVIS's
        figures for the domain (None where the paper has none)."""
        return [
            {
                "domain": domain,
                "language": language,
                "rows": c.rows,
                "avg_words": round(c.words / c.rows, 1) if c.rows else 0.0,
                "vocabulary": len(c.vocabulary),
                "mavis": MAVIS_CAPTIONS.get(domain) if language == "en" else None,
            }
            for (domain, language), c in sorted(self.captions.items())
        ]

    def to_json(self) -> dict[str, Any]:
        """Everything counted, as plain JSON (what ``stats --json`` prints)."""
        m = self.manifest or {}

        def plain(counters: dict[str, Counter]) -> dict[str, dict[str, int]]:
            return {k: dict(sorted(v.items())) for k, v in sorted(counters.items())}

        return {
            "directory": str(self.out),
            "run": m.get("run"),
            "status": m.get("status"),
            "kinds": self.kinds,
            "rows": {k: self.rows[k] for k in self.kinds},
            "files": {k: self.files[k] for k in self.kinds},
            "file_bytes": {k: self.file_bytes[k] for k in self.kinds},
            "generators": sorted(self.generators),
            "engine_versions": sorted(self.engine_versions),
            "by_domain": plain(self.by_domain),
            "by_language": plain(self.by_language),
            "by_version": plain(self.by_version),
            "by_question_kind": plain(self.by_question),
            "captions": self.caption_table(),
            "failed_samples": self.failed_samples,
            "rejections": self.rejections,
        }


def _batches(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, list]]]:
    """Column lists of ``path`` a batch at a time (columns the file lacks left out)."""
    file = pq.ParquetFile(path)
    present = [c for c in columns if c in file.schema_arrow.names]
    for batch in file.iter_batches(batch_size=BATCH, columns=present):
        yield batch.num_rows, {c: batch.column(c).to_pylist() for c in present}


def collect(out: Path) -> RunStats:
    """Count what ``out`` holds (a ValueError if its manifest is unreadable)."""
    out = Path(out)
    stats = RunStats(out, manifest_file.read(out))
    for kind in ROW_KINDS:
        for path in shard_files(out, kind):
            stats.files[kind] += 1
            stats.file_bytes[kind] += path.stat().st_size
            meta = pq.read_metadata(path)
            stats.data_bytes[kind] += sum(
                meta.row_group(g).total_byte_size for g in range(meta.num_row_groups)
            )
            offset = 0
            for n, cols in _batches(path, COLUMNS[kind]):
                _count(stats, kind, path, offset, n, cols)
                offset += n
    return stats


def _count(stats: RunStats, kind: str, path: Path, offset: int, n: int, cols: dict) -> None:
    # Rows written before the language column (contract v1.1) are English.
    languages = cols.get("language") or ["en"] * n
    versions = cols.get("version") or [""] * n
    stats.rows[kind] += n
    stats.generators.update(cols["generator"])
    stats.engine_versions.update(cols["engine_version"])
    for i in range(n):
        domain, language, version = cols["domain"][i], languages[i], versions[i]
        stats.by_domain[kind][domain] += 1
        stats.by_language[kind][language] += 1
        stats.examples.setdefault((kind, domain, version), (path, offset + i))
        if kind == "instruct":
            stats.by_version[domain][version] += 1
            stats.by_question[domain][json.loads(cols["target"][i]).get("kind", "?")] += 1
        elif kind == "caption":
            words, vocab = caption_words(
                cols["caption"][i], _figure_names(cols["figure"][i]), language
            )
            entry = stats.captions[domain, language]
            entry.rows += 1
            entry.words += words
            entry.vocabulary |= vocab


def read_row(path: Path, offset: int, columns: list[str]) -> dict[str, Any]:
    """Row ``offset`` of a shard, reading only the row group that holds it."""
    file = pq.ParquetFile(path)
    start = 0
    for group in range(file.num_row_groups):
        size = file.metadata.row_group(group).num_rows
        if offset < start + size:
            table = file.read_row_group(group, columns=columns)
            return table.slice(offset - start, 1).to_pylist()[0]
        start += size
    raise IndexError(f"{path} has no row {offset}")
