"""Plane-geometry text: the Figure turned into template context, then into words."""

from __future__ import annotations

from typing import Any

import numpy as np

from mavis_engine import exact
from mavis_engine.figure import Arc, Fact, Figure, Segment, Shape
from mavis_engine.text.env import render_text


def _given(fact: Fact) -> dict[str, str]:
    return {"kind": fact.kind, "name": "".join(fact.of), "value": exact.display(fact.exact)}


def _shape_context(shape: Shape, incircled: set[str]) -> dict[str, Any]:
    d = shape.details
    ctx: dict[str, Any] = {
        "name": shape.name,
        "kind": shape.kind,
        "edge": "".join(shape.attached_to) if shape.attached_to else None,
        "givens": [_given(g) for g in shape.givens],
        "incircle": shape.name in incircled,
        "sides": d.get("sides"),
        "center": d.get("center"),
        "inward": d.get("inward", False),
        "removed": "".join(d["removed"]) if "removed" in d else None,
    }
    if shape.kind == "rect_triangle":
        v = shape.vertices
        # The rectangle the shape is made from: its vertices less the triangle's apex.
        ctx.update(apex=v[3], rectangle="".join(v[:3] + v[4:]))
    if shape.kind == "right_triangle":
        ctx["right_at"] = shape.right_angles[0][1]
    if shape.kind == "isosceles_triangle":
        apex = d["apex"]
        others = [v for v in shape.vertices if v != apex]
        ctx["legs"] = [apex + others[0], apex + others[1]]
    return ctx


def context(figure: Figure) -> list[dict[str, Any]]:
    """Template context: one entry per solid shape, in construction order."""
    incircled = {s.details["in"] for s in figure.shapes if s.kind == "inscribed_circle"}
    return [_shape_context(s, incircled) for s in figure.shapes if s.kind != "inscribed_circle"]


def _sides(shape: Shape) -> list[str]:
    """The straight sides of a shape's outline, in order, as drawn (``AB``)."""
    return [p.a + p.b for p in shape.boundary if isinstance(p, Segment)]


def _role(shape: Shape, edge: str) -> str:
    """What the straight side ``edge`` (either way round) is to ``shape``: hypotenuse,
    leg, base (the longer of a trapezoid's parallel sides), top, radius, notch (a side of
    the triangle on a rectangle) or side."""
    ends = set(edge)
    v, d = shape.vertices, shape.details
    if shape.kind == "right_triangle":
        corner = shape.right_angles[0][1]
        return "leg" if corner in ends else "hypotenuse"
    if shape.kind == "isosceles_triangle":
        return "leg" if d["apex"] in ends else "base"
    if shape.kind == "trapezoid":
        return {frozenset(v[:2]): "base", frozenset(v[2:]): "top"}.get(frozenset(ends), "leg")
    if shape.kind == "sector":
        return "radius"
    if shape.kind == "rect_triangle" and v[3] in ends:
        return "notch"
    return "side"


def _host(shapes: list[Shape], edge: str) -> Shape | None:
    """The earlier solid shape whose outline has the straight side ``edge``."""
    ends = set(edge)
    return next((s for s in shapes if any(set(side) == ends for side in _sides(s))), None)


# Directions by the angle (degrees, counter-clockwise from the right) from one shape's
# centre to another's, in eighths of a turn.
_DIRECTIONS = (
    "right",
    "upper_right",
    "above",
    "upper_left",
    "left",
    "lower_left",
    "below",
    "lower_right",
)


def _direction(figure: Figure, shape: Shape, host: Shape) -> str:
    """Where ``shape`` lies from ``host`` in the picture (y up), by their vertex centres."""
    here = np.mean([figure.points[v] for v in shape.vertices], axis=0)
    there = np.mean([figure.points[v] for v in host.vertices], axis=0)
    dx, dy = here - there
    eighth = int(np.floor((np.degrees(np.arctan2(dy, dx)) + 22.5) % 360 / 45)) % 8
    return _DIRECTIONS[eighth]


def _angle(a: str, v: str, b: str) -> str:
    return a + v + b


def _properties(shape: Shape) -> dict[str, Any]:
    """What a careful describer may add about a shape: the relations its kind implies
    (equal and parallel sides, right angles, the hypotenuse, the arc, the diameter),
    by the names of the figure, without any new number."""
    v, d, k = shape.vertices, shape.details, shape.kind
    sides = _sides(shape)
    out: dict[str, Any] = {"sides": sides, "corners": list(v)}
    if k in ("square", "rectangle", "parallelogram", "rhombus"):
        out["parallel"] = [[sides[0], sides[2]], [sides[1], sides[3]]]
        out["opposite_angles"] = [
            [_angle(v[3], v[0], v[1]), _angle(v[1], v[2], v[3])],
            [_angle(v[0], v[1], v[2]), _angle(v[2], v[3], v[0])],
        ]
    if k == "trapezoid":
        out.update(
            base=sides[0],
            top=sides[2],
            legs=[sides[1], sides[3]],
            base_angles=[_angle(v[3], v[0], v[1]), _angle(v[0], v[1], v[2])],
        )
    if k == "right_triangle":
        corner = shape.right_angles[0][1]
        others = [x for x in v if x != corner]
        out.update(
            legs=[corner + others[0], corner + others[1]],
            hypotenuse=others[0] + others[1],
            acute=others,
        )
    if k == "isosceles_triangle":
        apex = d["apex"]
        others = [x for x in v if x != apex]
        out.update(apex=apex, base=others[0] + others[1], base_corners=others)
    if k == "sector":
        center = d["center"]
        arc = next(p for p in shape.boundary if isinstance(p, Arc))
        out.update(
            radii=[s for s in sides if center in s],
            arc_ends=[arc.start, arc.end],
            arc=arc.start + arc.end,
        )
    if k == "rect_semicircle":
        out.update(opposite=sides[0], walls=[sides[1], sides[2]], diameter="".join(d["removed"]))
    if k == "rect_triangle":
        out.update(
            opposite=sides[0],
            walls=[sides[1], sides[4]],
            notch=[sides[2], sides[3]],
            apex=v[3],
            triangle=v[2] + v[3] + v[4],
        )
    if k == "kite":
        out.update(
            pairs=[[sides[0], sides[3]], [sides[1], sides[2]]],
            axis=v[0] + v[2],
            equal_angles=[_angle(v[0], v[1], v[2]), _angle(v[2], v[3], v[0])],
        )
    if k == "regular_polygon":
        interior = next(f for f in shape.facts if f.kind == "angle")
        out["interior"] = exact.display(interior.exact)
    return out


def describe(figure: Figure) -> list[dict[str, Any]]:
    """The English caption's context: ``context`` with, per shape, the relations a careful
    describer states (its kind's properties, what the shared edge is to either shape,
    which earlier shape it hangs on and where it lies from it)."""
    solids = [s for s in figure.shapes if s.kind != "inscribed_circle"]
    out = context(figure)
    for i, (shape, ctx) in enumerate(zip(solids, out, strict=True)):
        ctx["props"] = _properties(shape)
        ctx["host"] = None
        if ctx["edge"]:
            host = _host(solids[:i], ctx["edge"])
            if host is not None:
                ctx["host"] = {
                    "name": host.name,
                    "kind": host.kind,
                    "sides": host.details.get("sides"),
                    "role": _role(host, ctx["edge"]),
                }
                ctx["where"] = _direction(figure, shape, host)
            ctx["role"] = _role(shape, ctx["edge"])
    return out


def caption(figure: Figure, rng: np.random.Generator, language: str = "en") -> str:
    """Descriptive MAVIS-style caption: every shape, how it attaches, the given measures;
    the English one also the relations between them and what each kind implies."""
    shapes = describe(figure) if language == "en" else context(figure)
    return render_text(language, "plane/caption.j2", rng, shapes=shapes)


def construction(figure: Figure, rng: np.random.Generator, language: str = "en") -> str:
    """Step-by-step construction text of the figure."""
    return render_text(language, "plane/construction.j2", rng, shapes=context(figure))
