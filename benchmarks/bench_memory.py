"""Peak memory of a run against its size: it should stay flat, since rows stream to disk.

Each size runs in a fresh process writing ONE shard of all its rows (the worst case for a
writer that buffered), and prints that process's peak resident memory.

    python benchmarks/bench_memory.py [--sizes 500 2000 8000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile

CHILD = """
import resource, sys
from mavis_engine import generate
n, out = int(sys.argv[1]), sys.argv[2]
m = generate("plane-geometry", n, 0, out, shard_size=n, progress=False)
peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{n} {m['rows']} {peak_mib:.0f} {m['samples_per_second']}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 8000])
    args = parser.parse_args()
    print(f"{'samples':>8} {'rows':>8} {'peak RSS MiB':>13} {'samples/s':>10}")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as out:
            line = subprocess.run(
                [sys.executable, "-c", CHILD, str(n), out],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()
        print(f"{line[0]:>8} {line[1]:>8} {line[2]:>13} {line[3]:>10}")


if __name__ == "__main__":
    main()
