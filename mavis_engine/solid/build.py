"""Solid-geometry parameters (all the randomness of a sample) and the pure build of the
figure from them: the solid, its projection and what the viewer sees of it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from mavis_engine.errors import Rejected
from mavis_engine.figure import DIGITS, Fact
from mavis_engine.solid import solids
from mavis_engine.solid.solids import (
    BASE_SIDES,
    PYRAMID_SIDES,
    PYRAMID_TALLEST,
    Segment,
    Solid,
)
from mavis_engine.solid.view import (
    Stroke,
    cone_has_outline,
    hidden_edges,
    hole_shows_bottom,
    matrix,
    strokes,
    view_direction,
)

EDGE_ON = 0.08  # a face this close to edge-on would be drawn as a line
CLOSE = 0.07  # two points drawn closer than this share of the drawing's size overlap
ON_LINE = 0.015  # a point this close to a line it is not on is drawn on it
HOLE_SHARE = 4  # a holed block's longest side is at most this many times the radius


def sample_params(
    rng: np.random.Generator,
    kinds: tuple[str, ...],
    edge: tuple[int, int],
    radius: tuple[int, int],
    height: tuple[int, int],
    projections: tuple[str, ...],
) -> dict[str, Any]:
    """Draw one solid's parameters (JSON-ready: the row's ``params`` column)."""

    def draw(bounds: tuple[int, int]) -> int:
        return int(rng.integers(bounds[0], bounds[1] + 1))

    kind = kinds[int(rng.integers(len(kinds)))]
    p: dict[str, Any] = {"kind": kind}
    if kind == "cube":
        p["dims"] = [draw(edge)]
    elif kind == "cuboid":
        p["dims"] = [draw(edge), draw(edge), draw(height)]
    elif kind == "prism":
        p["sides"] = BASE_SIDES[int(rng.integers(len(BASE_SIDES)))]
        p["dims"] = [draw(edge), draw(height)]
    elif kind == "pyramid":
        p["sides"] = PYRAMID_SIDES[int(rng.integers(len(PYRAMID_SIDES)))]
        side = draw(edge)
        tallest = max(height[0], min(height[1], int(PYRAMID_TALLEST * side)))
        p["dims"] = [side, draw((height[0], tallest))]
    elif kind in ("sphere", "hemisphere"):
        p["dims"] = [draw(radius)]
    elif kind == "frustum":
        one, two = draw(radius), draw(radius)
        p["dims"] = [max(one, two) + (one == two), min(one, two), draw(height)]
    elif kind == "cone_on_cylinder":
        p["dims"] = [draw(radius), draw(height), draw(height)]
    elif kind == "cuboid_with_roof":  # wide enough for M apart from E and F
        wide = (max(edge[0], 4), max(edge[1], 4))
        a, b, c = draw(wide), draw(edge), draw(height)
        # A roof higher than half the depth hides the back corners behind its front gable.
        p["dims"] = [a, b, c, draw((edge[0], max(edge[0], b // 2)))]
    elif kind == "cuboid_with_hole":
        # Walls at least half a unit thick, and no side over HOLE_SHARE times the radius:
        # a smaller hole leaves its radius and centre no room for their labels.
        low, high = max(edge[0], 4), max(edge[1], 4)
        most = max(1, (high - 1) // 2)
        r = draw((min(2, most), most))  # radius 1 in a block of 4 left the height no room
        wide = max(low, 2 * r + 1)
        a = draw((wide, max(wide, min(high, HOLE_SHARE * r))))
        b = draw((wide, max(wide, min(high, HOLE_SHARE * r))))
        c = draw((height[0], max(height[0], min(height[1], HOLE_SHARE * r))))
        p["dims"] = [a, b, c, r]
    else:
        p["dims"] = [draw(radius), draw(height)]
    sign = 1 if rng.random() < 0.5 else -1
    if kind == "cuboid_with_hole":  # a round part: elevated, never cabinet
        p["projection"] = {
            "kind": "elevated",
            "azimuth": sign * int(rng.integers(15, 36)),
            "elevation": int(rng.integers(15, 29)),
        }
        p["rim_offset"] = -sign * int(rng.integers(70, 91))  # K to the side: PK seen long
    elif kind in solids.ROUND or kind in solids.TURNED:
        p["projection"] = {"kind": "elevated", "azimuth": 0, "elevation": int(rng.integers(15, 29))}
        p["rim_offset"] = sign * int(rng.integers(35, 66))
    elif kind == "cuboid_with_roof":  # seen from higher up: its gables no longer overlap
        p["projection"] = {
            "kind": "elevated",
            "azimuth": sign * int(rng.integers(15, 36)),
            "elevation": int(rng.integers(30, 41)),
        }
    elif projections[int(rng.integers(len(projections)))] == "cabinet":
        p["projection"] = {"kind": "cabinet", "side": sign}
    else:
        azimuth = sign * int(rng.integers(15, 36))
        p["projection"] = {
            "kind": "elevated",
            "azimuth": azimuth,
            "elevation": int(rng.integers(15, 29)),
        }
    return p


@dataclass
class SolidFigure:
    """A solid as drawn: its projection, the projected points and the hidden lines;
    the renderer fills the size, pixels, labels and transform."""

    solid: Solid
    projection: dict[str, Any]
    matrix: np.ndarray
    view: np.ndarray
    points: dict[str, tuple[float, float]]
    hidden: list[tuple[str, str]]
    width: int = 0
    height: int = 0
    pixels: dict[str, tuple[float, float]] = field(default_factory=dict)
    labels: list[dict[str, Any]] = field(default_factory=list)
    transform: list[list[float]] = field(default_factory=list)
    # What is drawn (``strokes``), worked out once by the build for the renderer.
    lines: list[Stroke] = field(default_factory=list, repr=False)

    @property
    def facts(self) -> list[Fact]:
        return self.solid.facts

    def facts_json(self) -> list[dict[str, Any]]:
        return [f.to_json() for f in self.solid.facts]

    def to_json(self) -> dict[str, Any]:
        def r(v: float) -> float:
            return round(float(v), DIGITS) + 0.0

        shape = self.solid.to_json()
        shape["segments"] = [[s.a, s.b] for s in self.solid.segments]
        parts = [{**p.to_json(), "part_of": self.solid.name} for p in self.solid.parts]
        return {
            "width": self.width,
            "height": self.height,
            "points": {k: [r(x), r(y)] for k, (x, y) in self.points.items()},
            "pixels": {k: [round(v, 2) for v in xy] for k, xy in self.pixels.items()},
            "points3d": {k: [r(c) for c in xyz] for k, xyz in self.solid.points3d.items()},
            "labels": self.labels,
            "shapes": [shape, *parts],
            "hidden_edges": [list(e) for e in self.hidden],
            "projection": {
                **self.projection,
                "matrix": [[r(v) for v in row] for row in self.matrix],
                "view": [r(v) for v in self.view],
            },
            "transform": self.transform,
        }


def _solid(p: dict[str, Any], view: np.ndarray) -> Solid:
    kind, dims = p["kind"], p["dims"]
    if kind in ("cube", "cuboid"):
        return solids.box(*(dims * 3 if kind == "cube" else dims), kind)
    if kind == "pyramid":
        return solids.pyramid(p["sides"], *dims)
    if kind == "prism":
        probe = solids.prism(p["sides"], *dims, "A")
        n, hidden = p["sides"], set(hidden_edges(probe, view))
        # The height is labelled on a lateral edge the viewer sees, the front right first.
        order = [1, 0, *range(2, n)]
        shown = [i for i in order if (probe.vertices[i], probe.vertices[n + i]) not in hidden]
        return solids.prism(n, *dims, probe.vertices[shown[0]])
    if kind == "cuboid_with_roof":
        return solids.cuboid_with_roof(*dims)
    # Round: A on the rim, to one side of the front (then OA is not drawn along OP).
    front = np.arctan2(view[1], view[0]) + np.pi
    t = float(front + np.radians(p["rim_offset"]))
    made = {
        "sphere": solids.sphere,
        "hemisphere": solids.hemisphere,
        "frustum": solids.frustum,
        "cone_on_cylinder": solids.cone_on_cylinder,
        "hemisphere_on_cylinder": solids.hemisphere_on_cylinder,
        "cuboid_with_hole": solids.cuboid_with_hole,
    }
    if kind in made:
        return made[kind](*dims, t)
    return (solids.cylinder if kind == "cylinder" else solids.cone)(*dims, t)


def _no_point_on_a_line(
    solid: Solid, points: dict[str, tuple[float, float]], lines: list[tuple[str, str]], size: float
) -> None:
    """Rejected when a point is drawn on a line it is not on in space (a back edge seen
    end-on behind a front one, a vertex on an edge's image): the drawing would hide it."""
    if not lines:
        return
    names = list(points)
    every = np.array([points[n] for n in names])
    p = np.array([points[a] for a, _ in lines])
    d = np.array([points[b] for _, b in lines]) - p
    # Every point's nearest place on every line at once, (lines, points); then the near
    # ones, line by line in order.
    rel_x, rel_y = every[None, :, 0] - p[:, 0, None], every[None, :, 1] - p[:, 1, None]
    dx, dy = d[:, 0, None], d[:, 1, None]
    s = np.clip((rel_x * dx + rel_y * dy) / (dx * dx + dy * dy), 0, 1)
    gap = np.hypot(
        p[:, 0, None] + s * dx - every[None, :, 0], p[:, 1, None] + s * dy - every[None, :, 1]
    )
    for i, j in zip(*np.nonzero(gap < ON_LINE * size), strict=True):
        (a, b), name = lines[i], names[j]
        if name not in (a, b):
            a3, b3, x3 = (np.array(solid.points3d[n]) for n in (a, b, name))
            if np.linalg.norm(np.cross(b3 - a3, x3 - a3)) > 1e-6 * np.dot(b3 - a3, b3 - a3):
                raise Rejected("point_on_line", f"{name} is drawn on {a}{b}")


def build(p: dict[str, Any]) -> SolidFigure:
    """The figure of parameters ``p`` (pure); Rejected when it would draw badly."""
    m = matrix(p["projection"])
    view = view_direction(m)
    solid = _solid(p, view)
    if not solid.round:
        for face in solid.faces:
            if abs(float(np.dot(solid.face_normal(face), view))) < EDGE_ON:
                raise Rejected("edge_on_face", f"face {''.join(face)} is seen edge-on")
    elif solid.kind == "cone" and not cone_has_outline(*p["dims"], view):
        raise Rejected("apex_inside_base", "the cone's apex is drawn inside its base")
    for piece in solid.profile or []:  # a side with no contour: a rim drawn inside a rim
        if piece[0] == "band" and not cone_has_outline(
            piece[2] - piece[4], piece[3] - piece[1], view
        ):
            raise Rejected("apex_inside_base", "a cone's top is drawn inside its base")
    if solid.cut and hole_shows_bottom(solid.parts[-1].params, view):
        raise Rejected("hole_shows_bottom", "the hole's bottom is seen through its top")
    points = {k: tuple(float(v) for v in m @ np.array(xyz)) for k, xyz in solid.points3d.items()}
    size = _drawing_size(points)
    names, at = list(points), np.array(list(points.values()))
    i, j = np.triu_indices(len(names), 1)  # every pair, in the order of combinations
    close = np.flatnonzero(np.hypot(*(at[i] - at[j]).T) < CLOSE * size)
    if len(close):
        a, b = names[i[close[0]]], names[j[close[0]]]
        raise Rejected("points_overlap", f"{a} and {b} are drawn on top of each other")
    lines = strokes(solid, view)
    # Every solid: a hidden vertex drawn on a visible edge (a hexagonal pyramid's D on
    # PB) hides its own edges and letter.
    _no_point_on_a_line(solid, points, [s.ends for s in lines if s.ends], size)
    hidden = sorted((min(s.ends), max(s.ends)) for s in lines if s.ends and s.hidden)
    return SolidFigure(solid, p["projection"], m, view, points, hidden, lines=lines)


def _drawing_size(points: dict[str, tuple[float, float]]) -> float:
    every = np.array(list(points.values()))
    return float(np.max(every.max(axis=0) - every.min(axis=0)))


def with_givens(fig: SolidFigure, givens: list[Fact]) -> SolidFigure:
    """``fig`` with ``givens`` as the lengths it labels (a multi-step problem's). A given
    that is no line of the drawing (a cube's space diagonal AG) is drawn as a segment of
    its own, as a textbook draws it: on the faces that hold both its ends (dashed when
    every one faces away), else through the inside (always dashed). Rejected
    (``point_on_line``) when such a segment would be drawn through a point it does not
    pass through: its label could not be told from that point's lines."""
    solid = fig.solid
    lines = fig.lines or strokes(solid, fig.view)
    drawn = {(min(s.ends), max(s.ends)) for s in lines if s.ends}
    new = []
    for g in givens:
        a, b = g.of
        if g.kind != "length" or (min(a, b), max(a, b)) in drawn:
            continue
        if not solid.faces:  # a round solid draws its lengths as segments of its own
            raise ValueError(f"{solid.kind}: the given {a}{b} is no drawn line")
        normals = tuple(
            tuple(float(v) for v in solid.face_normal(f)) for f in solid.faces if {a, b} <= set(f)
        )
        new.append(Segment(a, b, normals))
    solid = replace(solid, givens=list(givens), segments=[*solid.segments, *new])
    if not new:
        return replace(fig, solid=solid)
    _no_point_on_a_line(solid, fig.points, [(s.a, s.b) for s in new], _drawing_size(fig.points))
    lines = strokes(solid, fig.view)
    hidden = sorted((min(s.ends), max(s.ends)) for s in lines if s.ends and s.hidden)
    return replace(fig, solid=solid, hidden=hidden, lines=lines)
