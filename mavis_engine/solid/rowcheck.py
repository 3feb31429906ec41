"""Checks of one solid-geometry row from its JSON alone: every fact recomputed from the
3-D points, faces and meshes (``check``), the dashed lines re-derived by ray casting,
labels inside the image and apart, and only facts stated in the caption."""

from __future__ import annotations

import json
import math

from mavis_engine.rowcheck import stated_number_problems
from mavis_engine.solid.check import ray_hidden, recompute


def figure_problems(figure: dict, facts: list[dict]) -> list[str]:
    """What is wrong with a figure and its facts (nothing: they agree)."""
    out = []
    for fact in facts:
        got, tol = recompute(figure, fact)
        if not math.isclose(fact["value"], got, rel_tol=tol, abs_tol=1e-9):
            out.append(
                f"fact {fact['kind']} {fact['of']} = {fact['value']} but the solid gives {got}"
            )
    dashed = [tuple(e) for e in figure["hidden_edges"]]
    seen = ray_hidden(figure)
    if dashed != seen:
        out.append(f"dashed lines {dashed} but the faces hide {seen}")
    boxes = []
    for label in figure["labels"]:
        x0, y0, x1, y1 = label["bbox"]
        if not (0 <= x0 < x1 <= figure["width"] and 0 <= y0 < y1 <= figure["height"]):
            out.append(f"label {label['text']!r} outside the image")
        for other, (a0, b0, a1, b1) in boxes:
            if x0 < a1 and a0 < x1 and y0 < b1 and b0 < y1:
                out.append(f"labels {other!r} and {label['text']!r} overlap")
        boxes.append((label["text"], (x0, y0, x1, y1)))
    return out


def check_row(kind: str, row: dict) -> list[str]:
    """Problems of one solid-geometry row of ``kind`` (none: the row is right)."""
    if kind != "caption":
        return [f"solid geometry writes no {kind} rows"]
    figure, facts = json.loads(row["figure"]), json.loads(row["facts"])
    return figure_problems(figure, facts) + stated_number_problems(row["caption"], row["facts"])
