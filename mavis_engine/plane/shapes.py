"""The plane-geometry shape vocabulary.

Each kind builds itself on a directed edge S->E, on its left, so every outline runs
counter-clockwise (y up). Coordinates come from vectors (floats); measures come from exact
formulas (SymPy). The two paths meet only in the checks, which is what makes them a check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import sympy as sp

from mavis_engine import exact
from mavis_engine.errors import Rejected
from mavis_engine.figure import Arc, Fact, Piece, Segment, Shape

Params = dict[str, float | int | bool]


def rot(v: np.ndarray, degrees: float) -> np.ndarray:
    """Rotate a 2-vector counter-clockwise."""
    t = np.radians(degrees)
    c, s = np.cos(t), np.sin(t)
    return np.array([c * v[0] - s * v[1], s * v[0] + c * v[1]])


@dataclass(frozen=True)
class Edge:
    """A directed straight edge; a new shape is built on its left."""

    start: str
    end: str
    p: np.ndarray
    q: np.ndarray
    length: exact.Expr


class Builder:
    """Collects the points, outline and facts of one new shape."""

    def __init__(self, kind: str, edge: Edge, names: Iterator[str]) -> None:
        self.kind = kind
        self.edge = edge
        self._names = names
        self.L = edge.length
        self.Lf = float(np.linalg.norm(edge.q - edge.p))
        self.u = (edge.q - edge.p) / self.Lf
        self.n = rot(self.u, 90)
        self.S, self.E = edge.start, edge.end
        self.coords: dict[str, np.ndarray] = {edge.start: edge.p, edge.end: edge.q}
        self.vertices = [edge.start, edge.end]
        self.facts: list[Fact] = []
        self.givens: list[Fact] = []
        self.right_angles: list[tuple[str, str, str]] = []
        self.details: dict[str, object] = {}
        self.inradius: exact.Expr | None = None

    def at(self, name: str) -> np.ndarray:
        return self.coords[name]

    def point(self, xy: np.ndarray) -> str:
        """Add a new vertex (next letter) at ``xy``."""
        name = next(self._names)
        self.coords[name] = np.asarray(xy, dtype=float)
        self.vertices.append(name)
        return name

    def rel(self, ratio: float) -> sp.Integer:
        """An integer length about ``ratio`` times the base edge (at least 1)."""
        return sp.Integer(max(1, round(self.Lf * ratio)))

    def length(self, a: str, b: str, value: exact.Expr, given: bool = False) -> None:
        self._add(Fact("length", (a, b), sp.sympify(value)), given)

    def angle(self, a: str, v: str, b: str, degrees: exact.Expr, given: bool = False) -> None:
        degrees = sp.sympify(degrees)
        self._add(Fact("angle", (a, v, b), degrees), given)
        if degrees == 90:
            self.right_angles.append((a, v, b))

    def _add(self, fact: Fact, given: bool) -> None:
        self.facts.append(fact)
        if given:
            self.givens.append(fact)

    def shape(
        self, area: exact.Expr, perimeter: exact.Expr, boundary: list[Piece] | None = None
    ) -> Shape:
        """Finish: the shape with its area, perimeter and (default polygon) outline."""
        name = "".join(self.vertices)
        if boundary is None:
            vs = self.vertices
            boundary = [Segment(vs[i], vs[(i + 1) % len(vs)]) for i in range(len(vs))]
        facts = [
            *self.facts,
            Fact("area", (name,), sp.sympify(area)),
            Fact("perimeter", (name,), sp.sympify(perimeter)),
        ]
        return Shape(
            name,
            self.kind,
            list(self.vertices),
            boundary,
            list(self.givens),
            facts,
            list(self.right_angles),
            None,
            dict(self.details),
            self.inradius,
        )


# --- the kinds --------------------------------------------------------------------------

ANGLES_ACUTE = (30, 35, 40, 45, 50, 55, 60, 65, 70)
ANGLES_WIDE = (30, 45, 60, 120, 135, 150)
SECTOR_ANGLES = (30, 45, 60, 72, 90, 120, 135, 150)


def _polygon_sides(b: Builder, sides: list[exact.Expr], given: set[int] = frozenset()) -> None:
    vs = b.vertices
    for i, value in enumerate(sides):
        b.length(vs[i], vs[(i + 1) % len(vs)], value, given=i in given)


def _rectangle_points(b: Builder, h: exact.Expr) -> tuple[str, str]:
    hf = float(h)
    c = b.point(b.at(b.E) + hf * b.n)
    d = b.point(b.at(b.S) + hf * b.n)
    return c, d


def _right_corners(b: Builder, c: str, d: str) -> None:
    b.angle(d, b.S, b.E, 90)
    b.angle(b.S, b.E, c, 90)


def build_square(b: Builder, p: Params) -> Shape:
    c, d = _rectangle_points(b, b.L)
    _polygon_sides(b, [b.L] * 4)
    _right_corners(b, c, d)
    b.angle(b.E, c, d, 90)
    b.angle(c, d, b.S, 90)
    b.inradius = b.L / 2
    return b.shape(b.L**2, 4 * b.L)


def build_rectangle(b: Builder, p: Params) -> Shape:
    h = b.rel(p["ratio"])
    if h == b.L:
        raise Rejected("degenerate_shape", "rectangle would be a square")
    c, d = _rectangle_points(b, h)
    _polygon_sides(b, [b.L, h, b.L, h], given={1})
    _right_corners(b, c, d)
    b.angle(b.E, c, d, 90)
    b.angle(c, d, b.S, 90)
    return b.shape(b.L * h, 2 * (b.L + h))


def _parallelogram(b: Builder, side: exact.Expr, theta: int, given_side: bool) -> Shape:
    direction = float(side) * rot(b.u, theta)
    c = b.point(b.at(b.E) + direction)
    d = b.point(b.at(b.S) + direction)
    _polygon_sides(b, [b.L, side, b.L, side], given={1} if given_side else set())
    b.angle(d, b.S, b.E, theta, given=True)
    b.angle(b.S, b.E, c, 180 - theta)
    b.angle(b.E, c, d, theta)
    b.angle(c, d, b.S, 180 - theta)
    return b.shape(b.L * side * exact.sin_deg(sp.Integer(theta)), 2 * (b.L + side))


def build_parallelogram(b: Builder, p: Params) -> Shape:
    side = b.rel(p["ratio"])
    if side == b.L:
        raise Rejected("degenerate_shape", "parallelogram would be a rhombus")
    return _parallelogram(b, side, int(p["angle"]), given_side=True)


def build_rhombus(b: Builder, p: Params) -> Shape:
    b.inradius = b.L * exact.sin_deg(sp.Integer(int(p["angle"]))) / 2
    return _parallelogram(b, b.L, int(p["angle"]), given_side=False)


def build_trapezoid(b: Builder, p: Params) -> Shape:
    """Isosceles trapezoid on base S-E with top side ``top`` and base angle ``angle``."""
    top, theta = b.rel(p["top_ratio"]), sp.Integer(int(p["angle"]))
    if not top < b.L:
        raise Rejected("degenerate_shape", "trapezoid top must be shorter than its base")
    inset = (b.L - top) / 2
    height = inset * exact.tan_deg(theta)
    leg = inset / exact.cos_deg(theta)
    inset_f, height_f = float(inset), float(height)
    c = b.point(b.at(b.E) - inset_f * b.u + height_f * b.n)
    d = b.point(b.at(b.S) + inset_f * b.u + height_f * b.n)
    _polygon_sides(b, [b.L, leg, top, leg], given={2})
    b.angle(d, b.S, b.E, theta, given=True)
    b.angle(b.S, b.E, c, theta)
    b.angle(b.E, c, d, 180 - theta)
    b.angle(c, d, b.S, 180 - theta)
    b.details["height"] = exact.to_str(height)
    return b.shape((b.L + top) * height / 2, b.L + top + 2 * leg)


def build_right_triangle(b: Builder, p: Params) -> Shape:
    """Right angle at S or E; the other leg from a given leg or a given acute angle."""
    at_end = bool(p["right_at_end"])
    corner, other = (b.E, b.S) if at_end else (b.S, b.E)
    if p["by_angle"]:
        theta = sp.Integer(int(p["angle"]))
        leg = b.L * exact.tan_deg(theta)
    else:
        leg = b.rel(p["ratio"])
        theta = exact.atan_deg(leg / b.L)
    f = b.point(b.at(corner) + float(leg) * b.n)
    hyp = exact.hypot(b.L, leg)
    b.length(b.S, b.E, b.L)
    b.length(corner, f, leg, given=not p["by_angle"])
    b.length(other, f, hyp)
    b.angle(other, corner, f, 90)
    b.angle(f, other, corner, theta, given=bool(p["by_angle"]))
    b.angle(other, f, corner, 90 - theta)
    b.inradius = (b.L + leg - hyp) / 2
    return b.shape(b.L * leg / 2, b.L + leg + hyp)


def build_isosceles_triangle(b: Builder, p: Params) -> Shape:
    """Legs equal to the shared edge, apex angle ``angle`` at S or E."""
    theta = sp.Integer(int(p["angle"]))
    apex_at_end = bool(p["apex_at_end"])
    if apex_at_end:
        f = b.point(b.at(b.E) + b.Lf * rot(-b.u, -float(theta)))
        apex, other = b.E, b.S
    else:
        f = b.point(b.at(b.S) + b.Lf * rot(b.u, float(theta)))
        apex, other = b.S, b.E
    base = 2 * b.L * exact.sin_deg(theta / 2)
    b.length(b.S, b.E, b.L)
    b.length(apex, f, b.L)
    b.length(other, f, base)
    b.angle(other, apex, f, theta, given=True)
    b.angle(apex, other, f, (180 - theta) / 2)
    b.angle(apex, f, other, (180 - theta) / 2)
    b.details["apex"] = apex
    area = b.L**2 * exact.sin_deg(theta) / 2
    b.inradius = 2 * area / (2 * b.L + base)
    return b.shape(area, 2 * b.L + base)


def build_equilateral_triangle(b: Builder, p: Params) -> Shape:
    f = b.point(b.at(b.S) + b.Lf * rot(b.u, 60))
    _polygon_sides(b, [b.L] * 3)
    for a, v, c in ((f, b.S, b.E), (b.S, b.E, f), (b.E, f, b.S)):
        b.angle(a, v, c, 60)
    b.inradius = sp.sqrt(3) / 6 * b.L
    return b.shape(sp.sqrt(3) / 4 * b.L**2, 3 * b.L)


def build_sector(b: Builder, p: Params) -> Shape:
    """Sector of radius |SE| centred at S or E, central angle ``angle``."""
    theta = sp.Integer(int(p["angle"]))
    center_at_end = bool(p["center_at_end"])
    if center_at_end:
        center = b.E
        f = b.point(b.at(b.E) + b.Lf * rot(-b.u, -float(theta)))
        boundary: list[Piece] = [
            Segment(b.S, b.E),
            Segment(b.E, f),
            Arc(f, b.S, tuple(b.at(b.E)), b.Lf, True),
        ]
        b.angle(b.S, b.E, f, theta, given=True)
    else:
        center = b.S
        f = b.point(b.at(b.S) + b.Lf * rot(b.u, float(theta)))
        boundary = [Segment(b.S, b.E), Arc(b.E, f, tuple(b.at(b.S)), b.Lf, True), Segment(f, b.S)]
        b.angle(b.E, b.S, f, theta, given=True)
    b.length(b.S, b.E, b.L)
    b.length(center, f, b.L)
    arc = theta / 360 * 2 * sp.pi * b.L
    name = "".join(b.vertices)
    b.facts += [Fact("radius", (name,), b.L), Fact("arc_length", (name,), arc)]
    b.details["center"] = center
    return b.shape(theta / 360 * sp.pi * b.L**2, 2 * b.L + arc, boundary)


def build_rect_semicircle(b: Builder, p: Params) -> Shape:
    """Rectangle whose side opposite S-E is replaced by a semicircle, outward or inward."""
    inward = bool(p["inward"])
    h = b.rel(p["ratio"])
    if inward and not h > b.L * sp.Rational(3, 5):
        raise Rejected("degenerate_shape", "inward semicircle needs a taller rectangle")
    c, d = _rectangle_points(b, h)
    mid = tuple((b.at(c) + b.at(d)) / 2)
    boundary: list[Piece] = [
        Segment(b.S, b.E),
        Segment(b.E, c),
        Arc(c, d, mid, b.Lf / 2, not inward),
        Segment(d, b.S),
    ]
    b.length(b.S, b.E, b.L)
    b.length(b.E, c, h, given=True)
    b.length(d, b.S, h)
    b.length(c, d, b.L)
    _right_corners(b, c, d)
    name = "".join(b.vertices)
    arc = sp.pi * b.L / 2
    b.facts += [Fact("radius", (name,), b.L / 2), Fact("arc_length", (name,), arc)]
    b.details.update(removed=[c, d], inward=inward)
    sign = -1 if inward else 1
    return b.shape(b.L * h + sign * sp.pi * b.L**2 / 8, b.L + 2 * h + arc, boundary)


def build_rect_triangle(b: Builder, p: Params) -> Shape:
    """Rectangle whose side opposite S-E is replaced by an equilateral triangle."""
    inward = bool(p["inward"])
    h = b.rel(p["ratio"])
    if inward and not float(h) > 1.1 * float(b.L) * np.sqrt(3) / 2:
        raise Rejected("degenerate_shape", "inward triangle needs a taller rectangle")
    hf = float(h)
    c = b.point(b.at(b.E) + hf * b.n)
    mid = b.at(b.S) + hf * b.n + b.Lf / 2 * b.u
    sign = -1 if inward else 1
    g = b.point(mid + sign * b.Lf * np.sqrt(3) / 2 * b.n)
    d = b.point(b.at(b.S) + hf * b.n)
    _polygon_sides(b, [b.L, h, b.L, b.L, h], given={1})
    _right_corners(b, c, d)
    b.angle(c, g, d, 60)
    b.details.update(removed=[c, d], inward=inward)
    return b.shape(b.L * h + sign * sp.sqrt(3) / 4 * b.L**2, 3 * b.L + 2 * h)


def build_kite(b: Builder, p: Params) -> Shape:
    """Kite with apex angle ``angle`` at S between the two sides equal to the shared edge;
    the other two sides are ``m`` long."""
    theta = sp.Integer(int(p["angle"]))
    m = b.rel(p["ratio"])
    half_sin, half_cos = exact.sin_deg(theta / 2), exact.cos_deg(theta / 2)
    if m == b.L or not float(m) > 1.05 * float(b.L * half_sin):
        raise Rejected("degenerate_shape", "kite needs its other sides longer than the base")
    axis = b.L * half_cos + sp.sqrt(m**2 - b.L**2 * half_sin**2)  # S to the far apex
    f = b.point(b.at(b.S) + float(axis) * rot(b.u, float(theta) / 2))
    g = b.point(b.at(b.S) + b.Lf * rot(b.u, float(theta)))
    _polygon_sides(b, [b.L, m, m, b.L], given={1})
    far = 360 * sp.asin(b.L * half_sin / m) / sp.pi
    side = (360 - theta - far) / 2
    b.angle(g, b.S, b.E, theta, given=True)
    b.angle(b.S, b.E, f, side)
    b.angle(b.E, f, g, far)
    b.angle(f, g, b.S, side)
    area = axis * b.L * half_sin  # half the product of the diagonals
    b.inradius = area / (b.L + m)
    return b.shape(area, 2 * (b.L + m))


def build_regular_polygon(b: Builder, p: Params) -> Shape:
    n = int(p["sides"])
    exterior = 360 / n
    here = b.at(b.E)
    for k in range(1, n - 1):
        here = here + b.Lf * rot(b.u, k * exterior)
        b.point(here)
    _polygon_sides(b, [b.L] * n)
    vs = b.vertices
    interior = sp.Integer(180 * (n - 2)) / n
    for i in range(n):
        b.angle(vs[i - 1], vs[i], vs[(i + 1) % n], interior)
    b.details["sides"] = n
    area = n * b.L**2 / (4 * exact.tan_deg(sp.Integer(180) / n))
    b.inradius = b.L / (2 * exact.tan_deg(sp.Integer(180) / n))
    return b.shape(area, n * b.L)


@dataclass(frozen=True)
class ShapeKind:
    """One entry of the vocabulary: how to draw its parameters and build it."""

    name: str
    build: Callable[[Builder, Params], Shape]
    sample: Callable[[np.random.Generator], Params]
    inscribable: bool = False  # tangential polygon: its build sets Builder.inradius


def _pick(rng: np.random.Generator, options: tuple) -> int:
    return int(options[int(rng.integers(len(options)))])


def _ratio(rng: np.random.Generator, lo: float, hi: float) -> float:
    return round(float(rng.uniform(lo, hi)), 3)


KINDS: dict[str, ShapeKind] = {
    k.name: k
    for k in [
        ShapeKind("square", build_square, lambda r: {}, inscribable=True),
        ShapeKind("rectangle", build_rectangle, lambda r: {"ratio": _ratio(r, 0.4, 1.6)}),
        ShapeKind(
            "parallelogram",
            build_parallelogram,
            lambda r: {"ratio": _ratio(r, 0.5, 1.4), "angle": _pick(r, ANGLES_WIDE)},
        ),
        ShapeKind("rhombus", build_rhombus, lambda r: {"angle": _pick(r, ANGLES_WIDE)}, True),
        ShapeKind(
            "trapezoid",
            build_trapezoid,
            lambda r: {"top_ratio": _ratio(r, 0.3, 0.75), "angle": _pick(r, (45, 60, 75))},
        ),
        ShapeKind(
            "right_triangle",
            build_right_triangle,
            lambda r: {
                "right_at_end": bool(r.integers(2)),
                "by_angle": bool(r.integers(2)),
                "angle": _pick(r, ANGLES_ACUTE),
                "ratio": _ratio(r, 0.5, 1.5),
            },
            inscribable=True,
        ),
        ShapeKind(
            "isosceles_triangle",
            build_isosceles_triangle,
            lambda r: {
                "apex_at_end": bool(r.integers(2)),
                "angle": _pick(r, (30, 45, 60, 90, 120)),
            },
            inscribable=True,
        ),
        ShapeKind("equilateral_triangle", build_equilateral_triangle, lambda r: {}, True),
        ShapeKind(
            "sector",
            build_sector,
            lambda r: {"center_at_end": bool(r.integers(2)), "angle": _pick(r, SECTOR_ANGLES)},
        ),
        ShapeKind(
            "rect_semicircle",
            build_rect_semicircle,
            lambda r: {"inward": bool(r.random() < 0.4), "ratio": _ratio(r, 0.8, 1.6)},
        ),
        ShapeKind(
            "rect_triangle",
            build_rect_triangle,
            lambda r: {"inward": bool(r.random() < 0.4), "ratio": _ratio(r, 1.1, 1.7)},
        ),
        ShapeKind(
            "kite",
            build_kite,
            lambda r: {"angle": _pick(r, (60, 90, 120)), "ratio": _ratio(r, 1.2, 1.6)},
            inscribable=True,
        ),
        ShapeKind(
            "regular_polygon",
            build_regular_polygon,
            lambda r: {"sides": _pick(r, (5, 6))},
            inscribable=True,
        ),
    ]
}
