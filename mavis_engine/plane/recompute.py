"""The data contract read back: facts recomputed from a row's JSON alone.

This deliberately shares no code with the engine's builders and checks: it reads only what
a user of the shards sees (``figure`` and ``facts``), so it checks the contract as well as
the maths. ``mavis-engine verify`` and the test suite use it.
"""

from __future__ import annotations

import math

import numpy as np
import shapely


def _sweep(arc: dict, points: dict) -> tuple[float, float]:
    cx, cy = arc["center"]
    a0 = math.atan2(points[arc["from"]][1] - cy, points[arc["from"]][0] - cx)
    a1 = math.atan2(points[arc["to"]][1] - cy, points[arc["to"]][0] - cx)
    if arc["ccw"]:
        return a0, (a1 - a0) % (2 * math.pi)
    return a0, -((a0 - a1) % (2 * math.pi))


def polygon(shape: dict, points: dict, per_turn: int = 720) -> shapely.Polygon:
    ring = []
    for piece in shape["boundary"]:
        if "segment" in piece:
            ring.append(points[piece["segment"][0]])
        elif "arc" in piece:
            arc = piece["arc"]
            a0, sweep = _sweep(arc, points)
            k = max(8, int(abs(sweep) / (2 * math.pi) * per_turn))
            for t in np.linspace(a0, a0 + sweep, k, endpoint=False):
                ring.append(
                    (
                        arc["center"][0] + arc["radius"] * math.cos(t),
                        arc["center"][1] + arc["radius"] * math.sin(t),
                    )
                )
        else:
            c = piece["circle"]
            for t in np.linspace(0, 2 * math.pi, per_turn, endpoint=False):
                ring.append(
                    (
                        c["center"][0] + c["radius"] * math.cos(t),
                        c["center"][1] + c["radius"] * math.sin(t),
                    )
                )
    return shapely.Polygon(ring)


def _length(shape: dict, points: dict, arcs_only: bool = False) -> float:
    total = 0.0
    for piece in shape["boundary"]:
        if "segment" in piece and not arcs_only:
            total += math.dist(*(points[p] for p in piece["segment"]))
        elif "arc" in piece:
            total += abs(_sweep(piece["arc"], points)[1]) * piece["arc"]["radius"]
        elif "circle" in piece:
            total += 2 * math.pi * piece["circle"]["radius"]
    return total


def recompute(figure: dict, fact: dict) -> tuple[float, float]:
    """(recomputed value, relative tolerance) of one fact, from the figure JSON."""
    points = figure["points"]
    shapes = {s["name"]: s for s in figure["shapes"]}
    solids = [s for s in figure["shapes"] if s["kind"] != "inscribed_circle"]
    kind, of = fact["kind"], fact["of"]
    if kind == "length":
        return math.dist(points[of[0]], points[of[1]]), 1e-5
    if kind == "angle":
        a, v, b = (np.asarray(points[k]) for k in of)
        u, w = a - v, b - v
        cos = np.dot(u, w) / np.linalg.norm(u) / np.linalg.norm(w)
        return math.degrees(math.acos(np.clip(cos, -1, 1))), 1e-5
    if of == ["*"]:
        if kind == "area":
            return shapely.union_all(
                [polygon(s, points) for s in solids], grid_size=1e-9
            ).area, 1e-3
        edges: dict[frozenset, int] = {}
        for s in solids:
            for piece in s["boundary"]:
                if "segment" in piece:
                    key = frozenset(piece["segment"])
                    edges[key] = edges.get(key, 0) + 1
        total = sum(math.dist(*(points[p] for p in key)) for key, n in edges.items() if n == 1)
        return total + sum(_length(s, points, arcs_only=True) for s in solids), 1e-5
    shape = shapes[of[0]]
    if kind == "area":
        return polygon(shape, points).area, 1e-3
    if kind == "perimeter":
        return _length(shape, points), 1e-5
    if kind == "arc_length":
        return _length(shape, points, arcs_only=True), 1e-5
    if kind == "radius":
        if shape["kind"] == "inscribed_circle":
            # An inscribed circle touches every side of its host: measure that distance.
            host = shapes[shape["in"]]
            c = shapely.Point(shape["boundary"][0]["circle"]["center"])
            d = [
                shapely.LineString([points[p] for p in piece["segment"]]).distance(c)
                for piece in host["boundary"]
            ]
            return (float(np.mean(d)) if max(d) - min(d) < 1e-6 * max(d) else math.nan), 1e-5
        radii = [
            p.get("arc", p.get("circle"))["radius"]
            for p in shape["boundary"]
            if "arc" in p or "circle" in p
        ]
        return radii[0], 1e-9
    raise AssertionError(f"unknown fact kind {kind}")
