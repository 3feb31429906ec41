"""Independent recomputation of plane facts from coordinates and outlines.

Nothing here reads the formulas that produced the facts: lengths and angles come from the
point coordinates, areas and perimeters from walking each outline (Green's theorem), the
whole-figure area from a shapely union. A fact that disagrees means a bug, and the sample
is rejected before it is written.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import shapely

from mavis_engine.errors import Rejected
from mavis_engine.figure import Arc, Circle, Figure, Segment, Shape, arc_sweep, outline
from mavis_engine.plane.build import GRID

REL_TOL = 1e-6
# The union area comes from outlines with sampled arcs; at 256 chords a turn a circle loses
# about 1e-4 of its area, far inside this tolerance and far below any real overlap.
UNION_PER_TURN = 256
UNION_REL_TOL = 1e-3


def _outline_measures(shape: Shape, points: dict) -> dict[str, float]:
    """Area, perimeter, arc length and radius of a shape, from its outline alone."""
    area = perimeter = arcs = 0.0
    radius = math.nan
    for piece in shape.boundary:
        if isinstance(piece, Segment):
            (x0, y0), (x1, y1) = points[piece.a], points[piece.b]
            area += (x0 * y1 - x1 * y0) / 2
            perimeter += math.hypot(x1 - x0, y1 - y0)
        elif isinstance(piece, Arc):
            t0, sweep = arc_sweep(piece, points)
            r, (cx, cy) = piece.radius, piece.center
            t1 = t0 + sweep
            area += (
                r * r * sweep
                + cx * r * (math.sin(t1) - math.sin(t0))
                - cy * r * (math.cos(t1) - math.cos(t0))
            ) / 2
            perimeter += abs(sweep) * r
            arcs += abs(sweep) * r
            radius = r
        elif isinstance(piece, Circle):
            area += math.pi * piece.radius**2
            perimeter += 2 * math.pi * piece.radius
            radius = piece.radius
    return {"area": abs(area), "perimeter": perimeter, "arc_length": arcs, "radius": radius}


def _angle(points: dict, a: str, v: str, b: str) -> float:
    p, q, r = (np.asarray(points[k]) for k in (a, v, b))
    d1, d2 = p - q, r - q
    cos = np.dot(d1, d2) / (np.linalg.norm(d1) * np.linalg.norm(d2))
    return math.degrees(math.acos(max(-1.0, min(1.0, float(cos)))))


def recompute(figure: Figure) -> list[tuple[dict[str, Any], float]]:
    """Each fact (as JSON) with its value recomputed from the geometry."""
    points = figure.points
    shapes = {s.name: s for s in figure.shapes}
    solids = [s for s in figure.shapes if s.kind != "inscribed_circle"]
    measures = {name: _outline_measures(s, points) for name, s in shapes.items()}
    out = []
    for fact in figure.facts:
        of = fact.of
        if fact.kind == "length":
            got = math.dist(points[of[0]], points[of[1]])
        elif fact.kind == "angle":
            got = _angle(points, *of)
        elif of == ("*",) and fact.kind == "area":
            polygons = [shapely.Polygon(outline(s, points, UNION_PER_TURN)) for s in solids]
            union = shapely.union_all(polygons, grid_size=GRID)
            got = union.area
        elif of == ("*",) and fact.kind == "perimeter":
            got = _figure_perimeter(solids, points)
        elif fact.kind == "radius" and shapes[of[0]].kind == "inscribed_circle":
            got = _tangent_radius(shapes[of[0]], shapes[shapes[of[0]].details["in"]], points)
        else:
            got = measures[of[0]][fact.kind]
        out.append((fact.to_json(), got))
    return out


def _tangent_radius(circle: Shape, host: Shape, points: dict) -> float:
    """The distance from the circle's centre to every side of its host, if all agree."""
    (center,) = [p.center for p in circle.boundary if isinstance(p, Circle)]
    c = np.asarray(center)
    distances = []
    for piece in host.boundary:
        a, b = np.asarray(points[piece.a]), np.asarray(points[piece.b])
        d = b - a
        distances.append(abs(d[0] * (c - a)[1] - d[1] * (c - a)[0]) / np.linalg.norm(d))
    inside = shapely.Polygon([points[v] for v in host.vertices]).contains(shapely.Point(c))
    if not inside or max(distances) - min(distances) > REL_TOL * max(distances):
        return math.nan  # not tangent to every side: no inscribed circle
    return float(np.mean(distances))


def _figure_perimeter(solids: list[Shape], points: dict) -> float:
    # Outline pieces that two shapes share are interior; the others are the figure's edge.
    from collections import Counter

    seg = Counter(
        frozenset((p.a, p.b)) for s in solids for p in s.boundary if isinstance(p, Segment)
    )
    total = 0.0
    for s in solids:
        for p in s.boundary:
            if isinstance(p, Segment) and seg[frozenset((p.a, p.b))] == 1:
                total += math.dist(points[p.a], points[p.b])
            elif isinstance(p, Arc):
                total += abs(arc_sweep(p, points)[1]) * p.radius
    return total


def check_facts(figure: Figure) -> None:
    """Raise Rejected('fact_mismatch') unless every fact matches its recomputation."""
    for fact, got in recompute(figure):
        # The union area is from a sampled outline: allow for the chords.
        tol = UNION_REL_TOL if fact["of"] == ["*"] and fact["kind"] == "area" else REL_TOL
        if not math.isclose(fact["value"], got, rel_tol=tol, abs_tol=1e-9):
            raise Rejected("fact_mismatch", f"{fact} recomputed as {got}")
