"""Analytic facts recomputed from the figures' coordinates (shapely), independently of
the formulas that stated them."""

from __future__ import annotations

import math

import numpy as np
import shapely

from mavis_engine.analytic.figures import GridFigure


def problems(figures: list[GridFigure]) -> list[str]:
    """Facts that disagree with the drawn geometry (empty when all hold)."""
    out = []
    for fig in figures:
        ring = fig.outline(per_turn=4096)
        for fact in fig.facts:
            if fact.kind == "area":
                got = shapely.Polygon(ring).area
            elif fact.kind == "perimeter":
                got = float(np.sum(np.hypot(*np.diff(ring, axis=0).T)))
            elif fact.kind == "length":
                got = float(np.hypot(*(ring[1] - ring[0])))
            elif fact.kind == "radius":
                pts = ring[:-1]  # the closing point repeats the first
                got = float(np.max(np.hypot(*(pts - pts.mean(axis=0)[None]).T)))
            elif fact.kind == "semi_axis":
                axis = 0 if dict(fact.where)["axis"] == "x" else 1
                got = float(np.ptp(ring[:, axis]) / 2)
            elif fact.kind == "slope":
                (x1, y1), (x2, y2) = ring[0], ring[1]
                got = float((y2 - y1) / (x2 - x1))
            elif fact.kind in ("minimum", "maximum"):  # a parabola's vertex height
                got = float(ring[:, 1].min() if fact.kind == "minimum" else ring[:, 1].max())
            elif fact.kind == "intercept":  # where the drawn line crosses x = 0
                (x1, y1), (x2, y2) = ring[0], ring[1]
                got = float(y1 + (y2 - y1) / (x2 - x1) * (0 - x1))
            else:
                continue
            if not math.isclose(got, fact.value, rel_tol=1e-5, abs_tol=1e-9):
                out.append(f"{fig.name} {fact.kind}: stated {fact.value}, measured {got}")
    return out


def solid_from_json(shape: dict) -> shapely.Geometry:
    """A solid rebuilt from its JSON parameters alone (what a shard's user sees)."""
    kind = shape["kind"]
    if kind == "circle":
        return shapely.Point(shape["center"]).buffer(shape["radius"], quad_segs=512)
    if kind == "ellipse":
        unit = shapely.Point(0, 0).buffer(1, quad_segs=512)
        a, b = shape["semi_axes"]
        return shapely.affinity.translate(
            shapely.affinity.scale(unit, a, b, origin=(0, 0)), *shape["center"]
        )
    if kind in ("rectangle", "square"):
        (x, y), w, h = shape["corner"], shape["width"], shape["height"]
        return shapely.box(x, y, x + w, y + h)
    return shapely.Polygon(shape["vertices"])


def json_problems(figure: dict, facts: list[dict]) -> list[str]:
    """Facts of a written row that disagree with its figure JSON."""
    shapes = {sh["name"]: sh for sh in figure["shapes"]}
    out = []
    for fact in facts:
        shape = shapes[fact["of"][0]]
        if fact["kind"] == "area":
            got, tol = solid_from_json(shape).area, 1e-4
        elif fact["kind"] == "perimeter":
            got, tol = solid_from_json(shape).length, 1e-4
        elif fact["kind"] == "length":
            got, tol = math.dist(*shape["endpoints"]), 1e-9
        elif fact["kind"] == "radius":
            got, tol = shape["radius"], 1e-9
        elif fact["kind"] == "semi_axis":
            got, tol = shape["semi_axes"][0 if fact["axis"] == "x" else 1], 1e-9
        elif fact["kind"] in ("minimum", "maximum"):
            got, tol = shape["vertex"][1], 1e-9
            # The vertex turns the right way: a > 0 opens upward, so its height is a minimum.
            if (shape["a"] > 0) != (fact["kind"] == "minimum") or fact["x"] != shape["vertex"][0]:
                out.append(f"{shape['name']} {fact['kind']} at x = {fact['x']} is not its vertex")
        elif fact["kind"] in ("slope", "intercept"):
            (x1, y1), (x2, y2) = shape.get("endpoints") or shape["through"]
            m = (y2 - y1) / (x2 - x1)
            got, tol = (m if fact["kind"] == "slope" else y1 - m * x1), 1e-9
        else:
            continue
        if not math.isclose(got, fact["value"], rel_tol=tol):
            out.append(f"{shape['name']} {fact['kind']}: stated {fact['value']}, got {got}")
    return out
