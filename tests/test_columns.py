"""The write path's tables equal pyarrow's own conversion, and writing imports no pandas."""

from __future__ import annotations

import math
import subprocess
import sys

import pyarrow as pa
import pytest

from mavis_engine import registry
from mavis_engine.export.columns import column, table
from mavis_engine.export.schema import arrow_schema


def _same(got: pa.Table, expected: pa.Table) -> bool:
    """Equal tables, NaN equal to NaN (``Table.equals`` holds NaN unequal to itself)."""
    got.validate(full=True)
    return (
        got.schema == expected.schema
        and repr(got.to_pylist()) == repr(expected.to_pylist())
        and [c.null_count for c in got.columns] == [c.null_count for c in expected.columns]
    )


@pytest.mark.parametrize("name", ["plane-geometry", "function", "analytic-geometry"])
def test_rows_of_every_kind_convert_as_from_pylist(name):
    gen = registry.get(name)()
    samples = [gen.sample(2, i, problems=True) for i in range(3)]
    for kind in ("caption", "instruct", "preference"):
        rows = [row for s in samples for row in s.rows(kind)]
        schema = arrow_schema(kind)
        assert _same(table(rows, schema), pa.Table.from_pylist(rows, schema=schema)), kind


def test_nulls_missing_keys_empty_lists_and_nan():
    image = pa.struct([("bytes", pa.binary()), ("path", pa.string())])
    schema = pa.schema(
        [
            ("s", pa.string()),
            ("i", pa.int64()),
            ("f", pa.float64()),
            ("img", image),
            ("imgs", pa.list_(image)),
            ("tags", pa.list_(pa.string())),
        ]
    )
    rows = [
        {"s": "é√π", "i": 3, "f": math.nan, "img": {"bytes": b"\x89PNG", "path": None}},
        {"s": None, "i": None, "f": 2, "imgs": [], "tags": ["a", None], "extra": 1},
        {"f": None, "img": None, "imgs": [{"bytes": b"", "path": "p"}, None], "tags": None},
    ]
    got, expected = table(rows, schema), pa.Table.from_pylist(rows, schema=schema)
    assert got.to_pylist()[0]["f"] != got.to_pylist()[0]["f"]  # NaN stays NaN, not null
    assert _same(got, expected)


def test_a_type_without_a_builder_is_refused():
    with pytest.raises(TypeError, match="no column builder"):
        column([True], pa.bool_())


def test_writing_a_shard_imports_no_pandas(tmp_path):
    script = (
        "import sys\n"
        "from mavis_engine.export.parquet import write_shard\n"
        "from mavis_engine import registry\n"
        "s = registry.get('plane-geometry')().sample(0, 0)\n"
        f"write_shard({str(tmp_path / 'a.parquet')!r}, 'caption', [s.caption_row()])\n"
        "print('pandas' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
