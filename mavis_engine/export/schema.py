"""The data contract's schemas, declared once; writers and readers derive from here.

Each column is declared with its Arrow type and its Hugging Face ``datasets`` feature, so
the ``huggingface`` schema metadata describes every column (a partial description makes
``datasets`` ignore it and return images as plain dicts).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pyarrow as pa


@dataclass(frozen=True)
class Column:
    """One column: its name, Arrow type and HF feature."""

    name: str
    arrow: pa.DataType
    feature: dict[str, Any]


def _value(dtype: str) -> dict[str, Any]:
    return {"dtype": dtype, "_type": "Value"}


IMAGE_ARROW = pa.struct([("bytes", pa.binary()), ("path", pa.string())])
IMAGE_FEATURE = {"_type": "Image"}

COMMON = (
    Column("id", pa.string(), _value("string")),
    Column("domain", pa.string(), _value("string")),
    Column("language", pa.string(), _value("string")),
    Column("generator", pa.string(), _value("string")),
    Column("seed", pa.int64(), _value("int64")),
    Column("index", pa.int64(), _value("int64")),
    Column("engine_version", pa.string(), _value("string")),
    Column("figure", pa.string(), _value("string")),
    Column("facts", pa.string(), _value("string")),
    Column("params", pa.string(), _value("string")),
)

TURN_ARROW = pa.struct([("role", pa.string()), ("content", pa.string())])
TURN_FEATURE = {"role": _value("string"), "content": _value("string")}


def _list(arrow: pa.DataType, feature: dict[str, Any]) -> tuple[pa.DataType, dict[str, Any]]:
    return pa.list_(arrow), {"feature": feature, "_type": "List"}


IMAGES = Column("images", *_list(IMAGE_ARROW, IMAGE_FEATURE))
TURNS = _list(TURN_ARROW, TURN_FEATURE)

KINDS: dict[str, tuple[Column, ...]] = {
    "caption": (
        *COMMON,
        Column("image", IMAGE_ARROW, IMAGE_FEATURE),
        Column("caption", pa.string(), _value("string")),
        Column("construction", pa.string(), _value("string")),
    ),
    "instruct": (
        *COMMON,
        Column("problem_id", pa.string(), _value("string")),
        Column("version", pa.string(), _value("string")),
        IMAGES,
        Column("question", pa.string(), _value("string")),
        Column("choices", *_list(pa.string(), _value("string"))),
        Column("answer", pa.string(), _value("string")),
        Column("answer_value", pa.float64(), _value("float64")),
        Column("answer_exact", pa.string(), _value("string")),
        Column("target", pa.string(), _value("string")),
        Column("rationale", pa.string(), _value("string")),
        Column("messages", *TURNS),
        Column("givens", pa.string(), _value("string")),
        Column("distractors", pa.string(), _value("string")),
    ),
    "preference": (
        *COMMON,
        Column("problem_id", pa.string(), _value("string")),
        IMAGES,
        Column("prompt", *TURNS),
        Column("chosen", *TURNS),
        Column("rejected", *TURNS),
        Column("perturbation", pa.string(), _value("string")),
    ),
}


def arrow_schema(kind: str) -> pa.Schema:
    """Arrow schema of a kind, with the ``huggingface`` metadata ``datasets`` reads."""
    metadata = {"huggingface": json.dumps({"info": {"features": features(kind)}})}
    return pa.schema([pa.field(c.name, c.arrow) for c in KINDS[kind]], metadata=metadata)


def _yaml_type(feature: dict[str, Any]) -> tuple[str, Any]:
    """One feature as the key and value the Hub's card YAML uses (``dtype: string``,
    ``list: image``, or a list of named sub-features for a struct)."""
    kind = feature.get("_type")
    if kind == "Value":
        return "dtype", feature["dtype"]
    if kind == "Image":
        return "dtype", "image"
    if kind == "List":
        key, inner = _yaml_type(feature["feature"])
        # A list of values or of structs names its element directly; a list of lists nests.
        return "list", inner if key in ("dtype", "struct") else {key: inner}
    if kind is None:  # a struct: a plain mapping of name -> feature
        return "struct", [{"name": n, **dict([_yaml_type(f)])} for n, f in feature.items()]
    raise ValueError(f"no card YAML for feature type {kind!r}")


def features(kind: str) -> dict[str, dict[str, Any]]:
    """A kind's HF features, as ``datasets.Features.to_dict()`` writes them."""
    return {c.name: c.feature for c in KINDS[kind]}


def yaml_features(feats: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Features as the dataset card's ``dataset_info.features`` list, the form
    ``datasets.Features._to_yaml_list()`` writes (tested against it)."""
    return [{"name": name, **dict([_yaml_type(f)])} for name, f in feats.items()]
