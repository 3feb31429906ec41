"""Checks of one analytic instruct row from its JSON alone: the answer recomputed
(equations, intersections, distances, memberships, positions) or, for a fact of one
figure, the fact checked on the figure's JSON; then the checks every domain shares."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any

import shapely

from mavis_engine.analytic.check import (
    json_problems,
    relation_problems,
    sides_from_json,
    solid_from_json,
)
from mavis_engine.analytic.figures import MIN_GAP, SOLID, GridFigure, near_misses
from mavis_engine.analytic.pairs import DIRECTIONS
from mavis_engine.analytic.phrases import figure_name, where_answer
from mavis_engine.analytic.recheck import answer_problems
from mavis_engine.rowcheck import (
    Held,
    closing_problems,
    exact_displays,
    stem,
    unheld_number_problems,
)

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


def true_option_problems(figure: dict, target: dict, row: dict) -> list[str]:
    """Options of a position question, other than the key, that the figures' JSON also
    bears out ("below square B" beside the key "to the left of square B")."""
    if target["kind"] != "position":
        return []
    shapes = {sh["name"]: sh for sh in figure["shapes"]}
    a, b = (shapes[n] for n in target["of"])
    language = row.get("language", "en")
    true = {
        where_answer(DIRECTIONS[side][0], b["kind"], b["name"], language)
        for side in sides_from_json(a, b, figure["x_range"][1])
    }
    return [
        f"option {text!r} is true as well as the key {row['answer_exact']!r}"
        for text in row.get("choices") or []
        if text in true and text != row["answer_exact"]
    ]


def _contains_gap_problems(figure: dict, target: dict) -> list[str]:
    """A contains question's point lies at least MIN_GAP from every closed figure's
    outline, inside or out: closer, its dot covers the edge and the picture cannot tell."""
    if target["kind"] != "contains":
        return []
    here = shapely.Point(target["at"])
    gaps = [
        (sh["name"], solid_from_json(sh).boundary.distance(here))
        for sh in figure["shapes"]
        if sh["kind"] in SOLID
    ]
    return [
        f"the point {tuple(target['at'])} is {gap:.2f} from {name}'s outline, drawn as on it"
        for name, gap in gaps
        if gap < MIN_GAP
    ]


def _answer_problems(row: dict) -> list[str]:
    figure, facts = json.loads(row["figure"]), json.loads(row["facts"])
    target = json.loads(row["target"])
    if target["kind"] in ANSWERED:
        out = answer_problems(figure, target, row) + true_option_problems(figure, target, row)
        return out + _contains_gap_problems(figure, target)
    # A fact of one figure, checked on its JSON.
    fact = next((f for f in facts if f["kind"] == target["kind"] and f["of"] == target["of"]), None)
    if fact is None:
        return [f"target {target} is not a fact of the figures"]
    out = json_problems(figure, [fact])
    if not math.isclose(row["answer_value"], fact["value"], rel_tol=1e-9, abs_tol=1e-12):
        out.append(f"answer_value {row['answer_value']} but the fact is {fact['value']}")
    return out


_POINT = re.compile(r"\((-?\d+(?:\.\d+)?), (-?\d+(?:\.\d+)?)\)")


def _pairs(value: Any) -> Iterator[tuple[float, float]]:
    """Every pair of numbers in a JSON value (a point: a vertex, a centre, an end)."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _pairs(item)
    elif isinstance(value, list):
        if len(value) == 2 and all(isinstance(v, int | float) for v in value):
            yield (float(value[0]), float(value[1]))
        for item in value:
            yield from _pairs(item)


def stated_problems(text: str, row: dict) -> list[str]:
    """An analytic text states numbers of its figures' JSON (and how many corners a
    polygon has), facts (exact values as the engine displays them) and target (a
    question's point); and every point (x, y) it
    names is one of them as a pair, or the one a parabola is drawn through beside its
    vertex, (h + 1, k + a)."""
    figure, facts = json.loads(row["figure"]), json.loads(row["facts"])
    target = json.loads(row.get("target") or "{}")
    points = set(_pairs(figure["shapes"])) | set(_pairs(target))
    points |= {
        (shape["vertex"][0] + 1, shape["vertex"][1] + shape["a"])
        for shape in figure["shapes"]
        if shape["kind"] == "parabola"
    }
    out = [
        f"states the point ({x}, {y}), which no figure holds"
        for x, y in _POINT.findall(stem(text))
        if (float(x), float(y)) not in points
    ]
    coordinates = (f"{x:g} {y:g}" for x, y in points)
    # A polygon's corners are counted in words ("has the 5 vertices").
    counts = (str(len(shape["vertices"])) for shape in figure["shapes"] if "vertices" in shape)
    held = Held.of([row["facts"], row["figure"], *coordinates, *counts, *exact_displays(facts)])
    return out + unheld_number_problems(text, held)


def unnamed_problems(row: dict) -> list[str]:
    """Every figure a problem asks about (its target) or its question names ("point B",
    "圆A") is named by a label of the row's picture: "B", or "B(-5, -3)" beside a point."""
    figure, target = json.loads(row["figure"]), json.loads(row.get("target") or "{}")
    text = row.get("question") or ""
    named = set(target.get("of", []))
    for shape in figure["shapes"]:
        words = re.escape(figure_name(shape["kind"], shape["name"], row.get("language", "en")))
        if re.search(rf"(?<![A-Za-z]){words}(?![A-Za-z])", text, re.IGNORECASE):
            named.add(shape["name"])
    shown = {
        label["text"].split("(", 1)[0]
        for label in figure.get("labels", [])
        if label.get("kind") in ("name", "point")
    }
    return [
        f"the question names {name}, but no label of its picture does"
        for name in sorted(named - shown)
    ]


def check_row(kind: str, row: dict) -> list[str]:
    """Problems of one analytic row of ``kind`` (none: the row is right)."""
    if kind == "preference":  # a question's point lives in its target, which this row has
        return []  # not: verify checks the prompt's numbers against its problem's question
    figure = json.loads(row["figure"])
    # Figures drawn apart but closer than a marker's width seem to touch.
    out = near_misses([GridFigure.from_json(shape) for shape in figure["shapes"]])
    if kind == "caption":
        out += json_problems(figure, json.loads(row["facts"])) + relation_problems(figure)
        return out + stated_problems(row["caption"], row)
    out += _answer_problems(row) + stated_problems(row["question"], row)
    return out + unnamed_problems(row)


def instruct_problems(row: dict) -> list[str]:
    """Everything ``verify`` checks on an analytic instruct row, before it is written."""
    return _answer_problems(row) + closing_problems(row)
