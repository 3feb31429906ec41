"""One row of the data contract as each training framework wants it: pure functions from a
row (and where its images were written) to a record; the writers stream them to disk.

- ``llava``: LLaVA's conversation JSON (``id``, ``image``, ``conversations`` of ``human``
  and ``gpt`` turns, ``<image>`` opening the first human turn).
- ``sharegpt``: LLaMA-Factory's multimodal ShareGPT (``messages`` of ``role``/``content``,
  ``images``, one ``<image>`` per image); preference rows in its DPO layout.
- ``jsonl``: every column, image columns replaced by relative paths.
- ``webdataset``: ``key.png`` (or ``key.0.png``, ``key.1.png``...) and ``key.json``.
"""

from __future__ import annotations

import math
from typing import Any

from mavis_engine.export.names import safe_name

IMAGE_TOKEN = "<image>"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The instruction of a caption row (diagram-caption alignment), as LLaVA's pretraining set
# pairs an image with a short request for a description.
CAPTION_PROMPT = "Describe the diagram."
LLAVA_ROLES = {"user": "human", "assistant": "gpt"}
IMAGE_COLUMNS = ("image", "images")


def images(row: dict[str, Any]) -> list[bytes]:
    """The PNG bytes of a row's images, in order (the caption kind has one, ``image``)."""
    found = [row["image"]] if "image" in row else list(row.get("images") or [])
    blobs = []
    for image in found:
        data = (image or {}).get("bytes")
        if not data or not data.startswith(PNG_SIGNATURE):
            raise ValueError(f"row {row['id']!r}: an image is missing or is not a PNG")
        blobs.append(data)
    return blobs


def image_names(row_id: str, count: int) -> list[str]:
    """File names of a row's images: ``<safe id>.png``, or ``<safe id>.<i>.png`` when there
    are several (a safe id has no dot, so these never collide with another row's)."""
    key = safe_name(row_id)
    return [f"{key}.png"] if count == 1 else [f"{key}.{i}.png" for i in range(count)]


def turns(kind: str, row: dict[str, Any]) -> list[dict[str, str]]:
    """The conversation a row trains on: caption rows ask for a description; instruct rows
    have ``messages``; preference rows their ``prompt`` (the answers are apart)."""
    if kind == "caption":
        return [
            {"role": "user", "content": CAPTION_PROMPT},
            {"role": "assistant", "content": row["caption"]},
        ]
    return [dict(t) for t in row["messages" if kind == "instruct" else "prompt"]]


def _with_images(conversation: list[dict[str, str]], count: int, sep: str) -> None:
    """Put one image token per image at the start of the first user turn."""
    if any(IMAGE_TOKEN in t["content"] for t in conversation):
        raise ValueError(f"a turn already holds {IMAGE_TOKEN}: the image count would be wrong")
    if count:
        first = next(t for t in conversation if t["role"] == "user")
        first["content"] = (IMAGE_TOKEN + sep) * count + first["content"]


def _answer(row: dict[str, Any], column: str) -> dict[str, str]:
    """A preference row's chosen or rejected answer: one assistant turn."""
    answer = row[column]
    if len(answer) != 1 or answer[0]["role"] != "assistant":
        raise ValueError(f"row {row['id']!r}: {column} is not one assistant turn")
    return dict(answer[0])


def llava(kind: str, row: dict[str, Any], paths: list[str]) -> dict[str, Any]:
    """A LLaVA record (caption rows make the alignment set, instruct rows the SFT set)."""
    conversation = turns(kind, row)
    _with_images(conversation, len(paths), "\n")
    record: dict[str, Any] = {"id": row["id"]}
    if paths:  # LLaVA takes one path; LLaVA-NeXT/OneVision a list for several images
        record["image"] = paths[0] if len(paths) == 1 else paths
    try:
        record["conversations"] = [
            {"from": LLAVA_ROLES[t["role"]], "value": t["content"]} for t in conversation
        ]
    except KeyError as exc:
        raise ValueError(f"row {row['id']!r}: LLaVA has no {exc.args[0]!r} turns") from None
    return record


def sharegpt(kind: str, row: dict[str, Any], paths: list[str]) -> dict[str, Any]:
    """A LLaMA-Factory ShareGPT record; preference rows add ``chosen`` and ``rejected``."""
    messages = turns(kind, row)
    _with_images(messages, len(paths), "")
    record: dict[str, Any] = {"id": row["id"], "messages": messages, "images": paths}
    if kind == "preference":
        record["chosen"] = _answer(row, "chosen")
        record["rejected"] = _answer(row, "rejected")
    return record


def plain(value: Any) -> Any:
    """``value`` as strict JSON allows it: NaN (a non-numeric answer) becomes null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def jsonl(kind: str, row: dict[str, Any], paths: list[str]) -> dict[str, Any]:
    """Every column; ``image`` becomes a path, ``images`` a list of paths."""
    record = {k: plain(v) for k, v in row.items() if k not in IMAGE_COLUMNS}
    if "image" in row:
        record["image"] = paths[0]
    if "images" in row:
        record["images"] = paths
    return record


def webdataset(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    """A sample's ``key.json``: every column but the images (they are ``key*.png``)."""
    return {k: plain(v) for k, v in row.items() if k not in IMAGE_COLUMNS}


# LLaMA-Factory's dataset_info.json entry for each kind (its data/README.md: sharegpt
# formatting, OpenAI-style role/content tags, ``ranking`` for preference data).
SHAREGPT_TAGS = {
    "role_tag": "role",
    "content_tag": "content",
    "user_tag": "user",
    "assistant_tag": "assistant",
    "system_tag": "system",
}


def sharegpt_info(kind: str, file_name: str) -> dict[str, Any]:
    """The ``dataset_info.json`` entry that makes ``file_name`` a LLaMA-Factory dataset."""
    columns = {"messages": "messages", "images": "images"}
    entry: dict[str, Any] = {"file_name": file_name, "formatting": "sharegpt"}
    if kind == "preference":
        entry["ranking"] = True
        columns |= {"chosen": "chosen", "rejected": "rejected"}
    return {**entry, "columns": columns, "tags": SHAREGPT_TAGS}
