"""Checks of one analytic instruct row from its JSON alone: the answer recomputed
(equations, intersections, distances, memberships, positions) or, for a fact of one
figure, the fact checked on the figure's JSON; then the checks every domain shares."""

from __future__ import annotations

import json
import math

from mavis_engine.analytic.check import json_problems, relation_problems
from mavis_engine.analytic.recheck import answer_problems
from mavis_engine.rowcheck import closing_problems

# Questions whose answer is recomputed from the figures' JSON (the others are
# facts of one figure, checked like captions).
ANSWERED = (
    "midpoint",
    "equation",
    "parallel",
    "perpendicular",
    "intersection",
    "distance",
    "contains",
    "position",
)


def _answer_problems(row: dict) -> list[str]:
    figure, facts = json.loads(row["figure"]), json.loads(row["facts"])
    target = json.loads(row["target"])
    if target["kind"] in ANSWERED:
        return answer_problems(figure, target, row)
    # A fact of one figure, checked on its JSON.
    fact = next((f for f in facts if f["kind"] == target["kind"] and f["of"] == target["of"]), None)
    if fact is None:
        return [f"target {target} is not a fact of the figures"]
    out = json_problems(figure, [fact])
    if not math.isclose(row["answer_value"], fact["value"], rel_tol=1e-9, abs_tol=1e-12):
        out.append(f"answer_value {row['answer_value']} but the fact is {fact['value']}")
    return out


def check_row(kind: str, row: dict) -> list[str]:
    """Problems of one analytic row of ``kind`` (none: the row is right)."""
    if kind == "caption":
        figure = json.loads(row["figure"])
        return json_problems(figure, json.loads(row["facts"])) + relation_problems(figure)
    return _answer_problems(row) if kind == "instruct" else []


def instruct_problems(row: dict) -> list[str]:
    """Everything ``verify`` checks on an analytic instruct row, before it is written."""
    return _answer_problems(row) + closing_problems(row)
