"""Export speed and peak memory per format, beside reading the same shards.

A small real run (every domain and kind) is tiled to ``--rows`` rows of each kind (new
ids, the same rows otherwise), so the benchmark does not wait on generation. Each export
runs in a fresh process and prints that process's peak resident memory: it should not grow
with the number of rows (run ``--rows 1000 10000`` to see).

    python benchmarks/bench_export.py [--rows 10000] [--kinds caption instruct]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from itertools import count, islice
from pathlib import Path

import pyarrow.parquet as pq

from mavis_engine.card import write_card
from mavis_engine.export.parquet import shard_files, write_shard
from mavis_engine.pipeline import generate

# The child's own high-water mark: getrusage's ru_maxrss would carry over this parent's.
PEAK = """
def peak_mib():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM")) / 1024
"""

EXPORT = (
    PEAK
    + """
import sys, time
from mavis_engine.export.exporter import export
src, fmt, out, kinds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(",")
t = time.perf_counter()
summary = export(src, fmt, out, kinds=kinds, progress=False)
rows = sum(k["rows"] for k in summary["kinds"].values())
peak = peak_mib()
print(rows, time.perf_counter() - t, peak)
"""
)

READ_ARROW = (
    PEAK
    + """
import sys, time
import pyarrow.parquet as pq
from mavis_engine.export.parquet import shard_files
src, kinds = sys.argv[1], sys.argv[4].split(",")
t, rows = time.perf_counter(), 0
for kind in kinds:
    for path in shard_files(src, kind):
        for batch in pq.ParquetFile(path).iter_batches(batch_size=64):
            rows += len(batch.to_pylist())
peak = peak_mib()
print(rows, time.perf_counter() - t, peak)
"""
)

READ_DATASETS = (
    PEAK
    + """
import sys, time
import datasets
src, out, kinds = sys.argv[1], sys.argv[3], sys.argv[4].split(",")
t, rows = time.perf_counter(), 0
for kind in kinds:
    ds = datasets.load_dataset(src, kind, split="train", cache_dir=out)
    for row in ds:  # images decoded to PIL, as a training loop reads them
        rows += 1
peak = peak_mib()
print(rows, time.perf_counter() - t, peak)
"""
)


def tile(seed_run: Path, out: Path, kind: str, rows: int, per_shard: int = 1000) -> None:
    """Write ``rows`` rows of ``kind`` to ``out``, cycling the seed run's rows with new ids."""
    source = [r for p in shard_files(seed_run, kind) for r in pq.read_table(p).to_pylist()]

    def rows_iter():
        for n in count():
            for row in source:
                yield {**row, "id": f"{row['id']}#{n}"}

    it = rows_iter()
    (out / kind).mkdir(parents=True)
    for start in range(0, rows, per_shard):
        chunk = islice(it, min(per_shard, rows - start))
        write_shard(out / kind / f"tiled-{start:010d}.parquet", kind, chunk)


def measure(
    script: str, src: Path, fmt: str, out: Path, kinds: list[str]
) -> tuple[int, float, float]:
    line = subprocess.run(
        [sys.executable, "-c", script, str(src), fmt, str(out), ",".join(kinds)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return int(line[0]), float(line[1]), float(line[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000])
    parser.add_argument("--kinds", nargs="+", default=["caption", "instruct"])
    parser.add_argument(
        "--formats", nargs="+", default=["llava", "sharegpt", "webdataset", "jsonl"]
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        generate("all", 40, 0, tmp / "seed", kind="all", progress=False)
        print(f"{'rows':>7} {'what':<22} {'seconds':>8} {'rows/s':>8} {'peak RSS MiB':>13}")
        for n in args.rows:
            src = tmp / f"src{n}"
            for kind in args.kinds:
                tile(tmp / "seed", src, kind, n)
            started = time.perf_counter()
            write_card(src)  # the export does not need it; datasets+PIL below does
            seconds = time.perf_counter() - started
            print(f"{n * len(args.kinds):>7} {'card (in process)':<22} {seconds:>8.2f}")
            jobs = [("read: pyarrow", READ_ARROW, "-"), ("read: datasets+PIL", READ_DATASETS, "-")]
            jobs += [(f"export: {f}", EXPORT, f) for f in args.formats]
            for i, (what, script, fmt) in enumerate(jobs):
                rows, seconds, peak = measure(script, src, fmt, tmp / f"out{n}-{i}", args.kinds)
                print(f"{rows:>7} {what:<22} {seconds:>8.2f} {rows / seconds:>8.0f} {peak:>13.0f}")


if __name__ == "__main__":
    main()
