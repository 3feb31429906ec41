"""Analytic facts recomputed from the figures' coordinates (shapely), independently of
the formulas that stated them."""

from __future__ import annotations

import math

import numpy as np
import shapely

from mavis_engine.analytic.figures import SOLID, GridFigure, sides


def figure_mismatches(figures: list[GridFigure]) -> list[str]:
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


def geometry_from_json(shape: dict, half: float) -> shapely.Geometry:
    """Any figure rebuilt from its JSON, curves clipped to the view [-half, half]²."""
    kind = shape["kind"]
    if kind == "point":
        return shapely.Point(shape["at"])
    if kind == "segment":
        return shapely.LineString(shape["endpoints"])
    view = shapely.box(-half, -half, half, half)
    if kind == "line":
        (x1, y1), (x2, y2) = shape["through"]
        far = [(x1 + t * (x2 - x1), y1 + t * (y2 - y1)) for t in (-1e3, 1e3)]
        return shapely.LineString(far).intersection(view)
    if kind == "parabola":
        (h, k), a = shape["vertex"], shape["a"]
        xs = np.union1d(np.linspace(-half, half, 4001), [h])  # the vertex itself, exactly
        return shapely.LineString(np.column_stack([xs, a * (xs - h) ** 2 + k])).intersection(view)
    return solid_from_json(shape)


def _extent(shape: dict) -> tuple[float, ...] | None:
    kind = shape["kind"]
    if kind in ("line", "parabola"):
        return None
    if kind == "circle":
        (cx, cy), r = shape["center"], shape["radius"]
        return cx - r, cy - r, cx + r, cy + r
    if kind == "ellipse":
        (cx, cy), (a, b) = shape["center"], shape["semi_axes"]
        return cx - a, cy - b, cx + a, cy + b
    if kind in ("rectangle", "square"):
        (x, y), w, h = shape["corner"], shape["width"], shape["height"]
        return x, y, x + w, y + h
    pts = np.array(shape.get("vertices") or shape.get("endpoints") or [shape["at"]])
    return (*pts.min(axis=0), *pts.max(axis=0))


def relation_from_json(a: dict, b: dict, half: float) -> str:
    """How ``a`` sits relative to ``b``, recomputed from the row's JSON (floats)."""
    if {a["kind"], b["kind"]} == {"line", "circle"}:
        line, circle = (a, b) if a["kind"] == "line" else (b, a)
        (x1, y1), (x2, y2) = line["through"]
        (cx, cy), r = circle["center"], circle["radius"]
        d = abs((x2 - x1) * (cy - y1) - (y2 - y1) * (cx - x1)) / math.hypot(x2 - x1, y2 - y1)
        if math.isclose(d, r, rel_tol=1e-9):
            return "is tangent to"
        if d < r:
            return "crosses"
    ga, gb = geometry_from_json(a, half), geometry_from_json(b, half)
    if b["kind"] not in SOLID and ga.contains(gb):
        return "contains"
    if a["kind"] not in SOLID and gb.contains(ga):
        return "lies inside"
    if ga.intersects(gb):
        return "crosses"
    return (sides_from_json(a, b, half) or ["does not touch"])[0]


def sides_from_json(a: dict, b: dict, half: float) -> list[str]:
    """Every side of ``b`` that ``a`` lies wholly on ("is to the left of", "is above"),
    from the row's JSON: two for a figure off a corner of the other."""
    ga, gb = geometry_from_json(a, half), geometry_from_json(b, half)
    return sides(_extent(a) or ga.bounds, _extent(b) or gb.bounds)


def relation_problems(figure: dict) -> list[str]:
    """Stated relations that the figures' JSON does not bear out."""
    shapes = {sh["name"]: sh for sh in figure["shapes"]}
    half = figure["x_range"][1]
    out = []
    for rel in figure["relations"]:
        a, b = (shapes[n] for n in rel["of"])
        got = relation_from_json(a, b, half)
        if got != rel["relation"]:
            out.append(f"{a['name']} {rel['relation']} {b['name']}, but the JSON gives {got!r}")
    return out
