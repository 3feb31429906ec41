"""Checks of one plane-geometry row from its JSON alone: every fact recomputed from the
figure (``recompute``), labels inside the image, the answer against its target fact, and
only facts stated in captions, questions and prompts."""

from __future__ import annotations

import json
import math

from mavis_engine.plane.recompute import recompute
from mavis_engine.rowcheck import answer_value_problems, stated_number_problems


def _key(fact: dict) -> tuple:
    """A fact's identity: a length's ends in any order, an angle's rays in any order."""
    of = fact["of"]
    if fact["kind"] == "length":
        of = sorted(of)
    elif fact["kind"] == "angle":
        of = [min(of[0], of[2]), of[1], max(of[0], of[2])]
    return fact["kind"], tuple(of)


def _figure_problems(row: dict) -> list[str]:
    figure, out = json.loads(row["figure"]), []
    for fact in json.loads(row["facts"]):
        got, tol = recompute(figure, fact)
        if not math.isclose(fact["value"], got, rel_tol=tol, abs_tol=1e-9):
            out.append(
                f"fact {fact['kind']} {fact['of']} = {fact['value']} but geometry gives {got}"
            )
    for label in figure["labels"]:
        x0, y0, x1, y1 = label["bbox"]
        if not (0 <= x0 < x1 <= figure["width"] and 0 <= y0 < y1 <= figure["height"]):
            out.append(f"label {label['text']!r} outside the image")
    return out


def check_row(kind: str, row: dict) -> list[str]:
    """Problems of one plane-geometry row of ``kind`` (none: the row is right)."""
    if kind == "caption":
        return _figure_problems(row) + stated_number_problems(row["caption"], row["facts"])
    if kind == "preference":
        return stated_number_problems(row["prompt"][0]["content"], row["facts"])
    out = stated_number_problems(row["question"], row["facts"])
    target = json.loads(row["target"])
    fact = next((f for f in json.loads(row["facts"]) if _key(f) == _key(target)), None)
    if fact is None:
        return [*out, f"target {target} is not a fact of the figure"]
    return out + answer_value_problems(row, *recompute(json.loads(row["figure"]), fact))
