"""Rows to an Arrow table for the write path, built from buffers.

``pa.array`` and ``Table.from_pylist`` ask pyarrow's pandas shim about every input, which
imports pandas on first use: about half a second of every worker's start, for a library the
engine never uses. The schema's few types (strings, binaries, int64, float64, structs and
lists of them) are laid out here directly; the table equals ``from_pylist``'s (tested).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

_NUMERIC = {pa.int64(): np.int64, pa.float64(): np.float64}


def _validity(values: list[Any]) -> tuple[pa.Buffer | None, int]:
    valid = np.fromiter((v is not None for v in values), dtype=bool, count=len(values))
    nulls = len(values) - int(valid.sum())
    if not nulls:
        return None, 0
    return pa.py_buffer(np.packbits(valid, bitorder="little").tobytes()), nulls


def _offsets(lengths: list[int]) -> pa.Buffer:
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    if offsets[-1] >= 2**31:
        raise ValueError("a column of one row group holds 2 GiB or more; write smaller groups")
    return pa.py_buffer(offsets.astype(np.int32).tobytes())


def column(values: list[Any], dtype: pa.DataType) -> pa.Array:
    """One column of ``dtype`` from Python values (None is null)."""
    n = len(values)
    validity, nulls = _validity(values)
    if dtype in (pa.string(), pa.binary()):
        data = [
            b"" if v is None else v.encode() if isinstance(v, str) else bytes(v) for v in values
        ]
        buffers = [validity, _offsets([len(d) for d in data]), pa.py_buffer(b"".join(data))]
        return pa.Array.from_buffers(dtype, n, buffers, null_count=nulls)
    if dtype in _NUMERIC:
        numbers = np.array([0 if v is None else v for v in values], dtype=_NUMERIC[dtype])
        return pa.Array.from_buffers(dtype, n, [validity, pa.py_buffer(numbers.tobytes())], nulls)
    if pa.types.is_struct(dtype):
        children = [
            column([None if v is None else v.get(f.name) for v in values], f.type) for f in dtype
        ]
        return pa.Array.from_buffers(dtype, n, [validity], null_count=nulls, children=children)
    if pa.types.is_list(dtype):
        items = [item for v in values if v is not None for item in v]
        child = column(items, dtype.value_type)
        buffers = [validity, _offsets([0 if v is None else len(v) for v in values])]
        return pa.Array.from_buffers(dtype, n, buffers, null_count=nulls, children=[child])
    raise TypeError(f"no column builder for {dtype}")


def table(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    """``pa.Table.from_pylist(rows, schema=schema)``, without pandas: missing keys are null,
    keys outside the schema are ignored."""
    arrays = [column([row.get(f.name) for row in rows], f.type) for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)
