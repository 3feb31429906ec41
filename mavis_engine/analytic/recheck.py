"""Answers of written analytic rows, recomputed from the row's figure JSON alone (what
`mavis-engine verify` runs): equations and points re-derived from the JSON parameters,
intersection points substituted back into both curves, memberships and positions
re-measured with shapely."""

from __future__ import annotations

import math
import re

import shapely
import sympy as sp

from mavis_engine.analytic.check import relation_from_json, sides_from_json, solid_from_json
from mavis_engine.analytic.figures import (
    SOLID,
    circle_equation,
    ellipse_equation,
    line_equation,
    parabola_equation,
    through_point,
)
from mavis_engine.analytic.pairs import DIRECTIONS
from mavis_engine.analytic.phrases import NO_FIGURE, NO_INTERSECTION, in_figure, where_answer
from mavis_engine.analytic.question import point_text


def _exact(values: list[float]) -> tuple[sp.Expr, ...]:
    return tuple(sp.nsimplify(v) for v in values)


def number_from_text(text: str) -> sp.Expr:
    """ "3√2/5" or "-1.5" back to an exact value."""
    text = re.sub(r"(\d)√", r"\1*√", text)
    return sp.nsimplify(sp.sympify(re.sub(r"√(\d+)", r"sqrt(\1)", text)), rational=True)


def _points(text: str) -> list[tuple[sp.Expr, sp.Expr]]:
    if text in NO_INTERSECTION.values():
        return []
    return [
        tuple(number_from_text(c) for c in p.strip("()").split(", ", 1))  # type: ignore[misc]
        for p in re.split(r" and |和", text)
    ]


def _intersection(line: dict, circle: dict, answer: str) -> list[str]:
    """Each stated point on both curves, and as many points as the centre's distance says."""
    (x1, y1), (x2, y2) = (_exact(v) for v in line["through"])
    (cx, cy), r = _exact(circle["center"]), sp.nsimplify(circle["radius"])
    try:
        pts = _points(answer)
    except (sp.SympifyError, TypeError, ValueError):
        return [f"answer {answer!r} is not a list of points"]
    out = []
    for x, y in pts:
        on_line = sp.expand((x2 - x1) * (y - y1) - (y2 - y1) * (x - x1)) == 0
        on_circle = sp.expand((x - cx) ** 2 + (y - cy) ** 2 - r**2) == 0
        if not (on_line and on_circle):
            out.append(f"({x}, {y}) is not on both line {line['name']} and circle")
    gap = abs(float((x2 - x1) * (cy - y1) - (y2 - y1) * (cx - x1))) / math.hypot(
        float(x2 - x1), float(y2 - y1)
    )
    count = 1 if math.isclose(gap, float(r), rel_tol=1e-12) else 2 if gap < r else 0
    if len(set(pts)) != count:
        out.append(f"{len(set(pts))} intersection points stated, the distances give {count}")
    return out


def answer_problems(figure: dict, target: dict, row: dict) -> list[str]:
    """Problems of an analytic answer that is not a fact of one figure."""
    shapes = {sh["name"]: sh for sh in figure["shapes"]}
    kind, answer = target["kind"], row["answer_exact"]
    language = row.get("language", "en")
    named = [shapes[n] for n in target["of"]]
    shape = named[0]
    if kind == "intersection":
        return _intersection(*named, answer)
    if kind == "distance":
        circle, line = named
        (x1, y1), (x2, y2) = line["through"]
        (cx, cy) = circle["center"]
        got = abs((x2 - x1) * (cy - y1) - (y2 - y1) * (cx - x1)) / math.hypot(x2 - x1, y2 - y1)
        if math.isclose(row["answer_value"], got, rel_tol=1e-9):
            return []
        return [f"answer_value {row['answer_value']} but the JSON gives {got}"]
    if kind == "contains":
        here = shapely.Point(target["at"])
        inside = [
            in_figure(sh["kind"], sh["name"], language)
            for sh in figure["shapes"]
            if sh["kind"] in SOLID and solid_from_json(sh).contains(here)
        ]
        expected = inside[0] if len(inside) == 1 else NO_FIGURE[language] if not inside else None
    elif kind == "position":
        a, b = named
        half = figure["x_range"][1]
        held = sides_from_json(a, b, half) if relation_from_json(a, b, half) in DIRECTIONS else []
        # One answer only where exactly one side holds: off a corner, two would be true.
        expected = (
            where_answer(DIRECTIONS[held[0]][0], b["kind"], b["name"], language)
            if len(held) == 1
            else None
        )
    elif kind in ("parallel", "perpendicular"):
        line = {"through": [_exact(v) for v in shape["through"]]}
        expected = through_point(line, _exact(target["through"]), kind)
    elif kind == "midpoint":
        (x1, y1), (x2, y2) = (_exact(v) for v in shape["endpoints"])
        expected = point_text((x1 + x2) / 2, (y1 + y2) / 2)
    elif shape["kind"] == "line":
        expected = line_equation(*(_exact(v) for v in shape["through"]))
    elif shape["kind"] == "parabola":
        expected = parabola_equation(sp.nsimplify(shape["a"]), *_exact(shape["vertex"]))
    elif shape["kind"] == "ellipse":
        a, b = _exact(shape["semi_axes"])
        expected = ellipse_equation(*_exact(shape["center"]), a**2, b**2)
    else:
        expected = circle_equation(*_exact(shape["center"]), sp.nsimplify(shape["radius"]) ** 2)
    if answer == expected:
        return []
    return [f"answer {answer!r} but the figure gives {expected!r}"]
