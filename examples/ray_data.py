"""Ray Data recipe: engine rows inside your own pipeline (docs/scale.md).

    python examples/ray_data.py OUT_DIR [N] [GENERATOR] [KIND]   # KIND: caption, instruct

`ray.data.range(n)` gives the sample indexes; each batch of indexes becomes the engine's
rows (a sample is a pure function of seed and index, so batches may run on any node, in any
order), in the engine's Arrow schema, so the Parquet files Ray writes carry the Hugging
Face metadata and `datasets.load_dataset("parquet", data_dir=...)` decodes the images.
For a plain dataset, `mavis-engine generate --backend ray` does the same with resumable,
checksummed shards; use this when the rows feed further Ray Data steps.
"""

from __future__ import annotations

import sys

import pyarrow as pa

from mavis_engine import arrow_schema, registry
from mavis_engine.errors import SampleFailed


def engine_rows(batch: dict, generator: str, seed: int, kind: str) -> pa.Table:
    """The ``kind`` rows of the samples whose indexes are ``batch["id"]``."""
    gen = registry.get(generator)()  # cheap: caches (fonts, templates) are per process
    rows = []
    for index in batch["id"]:
        try:
            sample = gen.sample(seed, int(index), problems=kind != "caption")
        except SampleFailed:  # every attempt rejected: this index has no row, as in a run
            continue
        rows += sample.rows(kind)
    return pa.Table.from_pylist(rows, schema=arrow_schema(kind))


def build(n: int, generator: str = "function", seed: int = 0, kind: str = "caption"):
    """A Ray Dataset of the engine's ``kind`` rows for samples 0 .. n - 1."""
    import ray

    return ray.data.range(n).map_batches(
        engine_rows,
        batch_size=50,
        fn_kwargs={"generator": generator, "seed": seed, "kind": kind},
    )


if __name__ == "__main__":
    import ray

    out, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 200
    generator = sys.argv[3] if len(sys.argv) > 3 else "function"
    kind = sys.argv[4] if len(sys.argv) > 4 else "caption"
    ray.init()  # on a cluster: ray.init(address="auto")
    build(n, generator, 0, kind).write_parquet(f"{out}/{kind}")
