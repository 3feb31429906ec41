"""File names made from row ids: safe anywhere, reversible, so no two ids share a file."""

from __future__ import annotations

import re
from urllib.parse import unquote

# Kept as they are: letters, digits, "-", "_" and "@" (the "@zh" of other languages' ids).
# Everything else, "." and "%" included, is percent-encoded: a name then has no dot of its
# own (WebDataset takes the key up to the first dot) and decodes back to its id.
_UNSAFE = re.compile(r"[^A-Za-z0-9_@-]")


def safe_name(row_id: str) -> str:
    """A file name (without extension) for ``row_id``: ``plane-geometry/0/7`` becomes
    ``plane-geometry%2F0%2F7``."""
    if not row_id:
        raise ValueError("a row id must not be empty")
    return _UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), row_id)


def id_of(name: str) -> str:
    """The row id a :func:`safe_name` came from."""
    return unquote(name)
