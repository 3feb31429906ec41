"""The solids: named 3-D points, outward faces and exact facts, from integer dimensions.

Coordinates are floats (what the drawing and the checks read); every measure is an exact
SymPy value from the solid's formulas. ``check`` recomputes each one from the points and
faces (or from a mesh of a round solid), never from these formulas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from mavis_engine import exact
from mavis_engine.figure import Fact

POLYHEDRA = ("cube", "cuboid", "prism", "pyramid")
ROUND = ("cylinder", "cone", "sphere")
KINDS = POLYHEDRA + ROUND
#: Regular bases a prism or pyramid may have (their areas are surds).
BASE_SIDES = (3, 4, 6)
LETTERS = "ABCDEFGHIJKLMN"

Vec = tuple[float, float, float]


@dataclass(frozen=True)
class Segment:
    """A drawn segment that is no edge (a height, radius or slant height): the outward
    normals of the surfaces it lies on; none when it runs through the inside."""

    a: str
    b: str
    normals: tuple[Vec, ...] = ()


@dataclass
class Solid:
    """One solid: named points, faces (outward by the right-hand rule), what is drawn
    besides its edges, the measures labelled on the drawing (``givens``) and its facts."""

    name: str
    kind: str
    points3d: dict[str, Vec]
    vertices: list[str] = field(default_factory=list)
    faces: list[list[str]] = field(default_factory=list)
    bases: list[int] = field(default_factory=list)  # faces that are not lateral
    params: dict[str, Any] = field(default_factory=dict)  # round solids: center, radius, ...
    segments: list[Segment] = field(default_factory=list)
    right_angles: list[tuple[str, str, str]] = field(default_factory=list)
    givens: list[Fact] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    roles: dict[tuple[str, ...], str] = field(default_factory=dict)  # what a length is

    @property
    def round(self) -> bool:
        return self.kind in ROUND

    def face_normal(self, face: list[str]) -> np.ndarray:
        """Unit outward normal of a face (Newell's method: any planar polygon)."""
        p = np.array([self.points3d[v] for v in face])
        q = np.roll(p, -1, axis=0)
        n = np.cross(p, q).sum(axis=0)
        return n / np.linalg.norm(n)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "kind": self.kind}
        if self.faces:
            out |= {"vertices": self.vertices, "faces": self.faces, "bases": self.bases}
        return out | self.params


def _fact(kind: str, of: tuple[str, ...] | list[str], value: sp.Expr) -> Fact:
    # Expanded: a sum of surd and pi terms, which the text can state term by term.
    return Fact(kind, tuple(of), sp.expand(value))


def _length(a: str, b: str, value: sp.Expr) -> Fact:
    return _fact("length", (a, b), value)


# Circumradius and apothem of a regular n-gon of side 1 (n in BASE_SIDES), exact.
_UNIT_NGON = {
    3: (sp.sqrt(3) / 3, sp.sqrt(3) / 6),
    4: (sp.sqrt(2) / 2, sp.Rational(1, 2)),
    6: (sp.Integer(1), sp.sqrt(3) / 2),
}


def _regular(n: int, side: sp.Expr) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """Circumradius, apothem and area of a regular n-gon of ``side`` (n in BASE_SIDES)."""
    circum, apothem = (side * v for v in _UNIT_NGON[n])
    return circum, apothem, n * side * apothem / 2


def _polygon(n: int, side: float) -> list[tuple[float, float]]:
    """A regular n-gon counter-clockwise from above, edge 0 at the front (least y)."""
    r = side / (2 * np.sin(np.pi / n))
    angles = -np.pi / 2 - np.pi / n + 2 * np.pi * np.arange(n) / n
    return [(float(r * np.cos(t)), float(r * np.sin(t))) for t in angles]


def _prism_faces(bottom: list[str], top: list[str]) -> list[list[str]]:
    n = len(bottom)
    sides = [[bottom[i], bottom[(i + 1) % n], top[(i + 1) % n], top[i]] for i in range(n)]
    return [bottom[::-1], top, *sides]


def _extrude(base: list[tuple[float, float]], height: float, letters: str) -> dict[str, Vec]:
    n = len(base)
    pts = {letters[i]: (x, y, 0.0) for i, (x, y) in enumerate(base)}
    return pts | {letters[n + i]: (x, y, float(height)) for i, (x, y) in enumerate(base)}


def box(a: int, b: int, c: int, kind: str) -> Solid:
    """A cuboid (a cube when ``kind`` is cube): AB = a, BC = b, AE = c."""
    pts = _extrude([(0, 0), (a, 0), (a, b), (0, b)], c, "ABCDEFGH")
    name = "ABCD-EFGH"
    A, B, C = sp.Integer(a), sp.Integer(b), sp.Integer(c)
    facts = [
        _length("A", "B", A),
        _length("B", "C", B),
        _length("A", "E", C),
        _length("A", "C", exact.hypot(A, B)),
        _length("A", "G", sp.sqrt(A**2 + B**2 + C**2)),
        _fact("angle", ("G", "A", "C"), exact.atan_deg(C / exact.hypot(A, B))),
        _fact("volume", (name,), A * B * C),
        _fact("surface_area", (name,), 2 * (A * B + B * C + A * C)),
        _fact("lateral_area", (name,), 2 * (A + B) * C),
    ]
    if kind == "cube":
        facts = [f for f in facts if f.of not in (("B", "C"), ("A", "E"))]
    givens = facts[:1] if kind == "cube" else facts[:3]
    roles = {("A", "C"): "face diagonal", ("A", "G"): "space diagonal"}
    return Solid(
        name,
        kind,
        pts,
        list("ABCDEFGH"),
        _prism_faces(list("ABCD"), list("EFGH")),
        [0, 1],
        givens=givens,
        facts=facts,
        roles=roles,
    )


def prism(n: int, side: int, height: int, lateral: str) -> Solid:
    """A right prism on a regular n-gon of ``side``; ``lateral`` names the lateral edge
    labelled with the height (one the drawing shows)."""
    letters = LETTERS[: 2 * n]
    bottom, top = list(letters[:n]), list(letters[n:])
    name = f"{''.join(bottom)}-{''.join(top)}"
    a, h = sp.Integer(side), sp.Integer(height)
    _, _, area = _regular(n, a)
    i = bottom.index(lateral)
    facts = [
        _length("A", "B", a),
        _length(lateral, top[i], h),
        _length("A", top[1], exact.hypot(a, h)),
        _fact("height", (name,), h),
        _fact("volume", (name,), area * h),
        _fact("lateral_area", (name,), n * a * h),
        _fact("surface_area", (name,), 2 * area + n * a * h),
    ]
    return Solid(
        name,
        "prism",
        _extrude(_polygon(n, side), height, letters),
        bottom + top,
        _prism_faces(bottom, top),
        [0, 1],
        params={"sides": n},
        givens=facts[:2],
        facts=facts,
        roles={("A", top[1]): "lateral face diagonal"},
    )


def pyramid(n: int, side: int, height: int) -> Solid:
    """A right pyramid P on a regular n-gon of ``side``: O the foot of its height PO,
    M the midpoint of AB (PM its slant height)."""
    bottom = list(LETTERS[:n])
    name = f"P-{''.join(bottom)}"
    pts = {v: (x, y, 0.0) for v, (x, y) in zip(bottom, _polygon(n, side), strict=True)}
    (ax, ay, _), (bx, _, _) = pts["A"], pts["B"]
    pts |= {"P": (0.0, 0.0, float(height)), "O": (0.0, 0.0, 0.0), "M": ((ax + bx) / 2, ay, 0.0)}
    a, h = sp.Integer(side), sp.Integer(height)
    circum, apothem, area = _regular(n, a)
    slant = sp.sqrt(h**2 + apothem**2)
    faces = [bottom[::-1], *[[bottom[i], bottom[(i + 1) % n], "P"] for i in range(n)]]
    down = (0.0, 0.0, -1.0)
    facts = [
        _length("A", "B", a),
        _length("P", "O", h),
        _length("P", "M", slant),
        _length("P", "A", sp.sqrt(h**2 + circum**2)),
        _length("O", "M", apothem),
        _fact("height", (name,), h),
        _fact("slant_height", (name,), slant),
        _fact("volume", (name,), area * h / 3),
        _fact("lateral_area", (name,), n * a * slant / 2),
        _fact("surface_area", (name,), area + n * a * slant / 2),
    ]
    solid = Solid(
        name,
        "pyramid",
        pts,
        [*bottom, "P"],
        faces,
        [0],
        params={"sides": n},
        right_angles=[("P", "O", "M")],
        givens=facts[:2],
        facts=facts,
        roles={
            ("P", "M"): "slant height",
            ("P", "A"): "lateral edge",
            ("O", "M"): "apothem of the base",
        },
    )
    front = tuple(float(v) for v in solid.face_normal(faces[1]))
    solid.segments = [Segment("P", "O"), Segment("O", "M", (down,)), Segment("P", "M", (front,))]
    return solid


def _rim(radius: int, t: float, z: float) -> Vec:
    return (float(radius * np.cos(t)), float(radius * np.sin(t)), float(z))


def cylinder(radius: int, height: int, t: float) -> Solid:
    """A cylinder on the disc of centre O, top centre P; A on the bottom rim at angle t."""
    r, h = sp.Integer(radius), sp.Integer(height)
    name = "OP"
    pts = {"O": (0.0, 0.0, 0.0), "P": (0.0, 0.0, float(height)), "A": _rim(radius, t, 0)}
    facts = [
        _length("O", "A", r),
        _length("O", "P", h),
        _fact("radius", (name,), r),
        _fact("height", (name,), h),
        _fact("volume", (name,), sp.pi * r**2 * h),
        _fact("lateral_area", (name,), 2 * sp.pi * r * h),
        _fact("surface_area", (name,), 2 * sp.pi * r * (r + h)),
    ]
    return Solid(
        name,
        "cylinder",
        pts,
        params={"center": [0.0, 0.0, 0.0], "radius": radius, "height": height},
        segments=[Segment("O", "A", ((0.0, 0.0, -1.0),)), Segment("O", "P")],
        right_angles=[("A", "O", "P")],
        givens=facts[:2],
        facts=facts,
    )


def cone(radius: int, height: int, t: float) -> Solid:
    """A cone on the disc of centre O with apex P; A on the rim at angle t."""
    r, h = sp.Integer(radius), sp.Integer(height)
    slant = exact.hypot(r, h)
    name = "PO"
    pts = {"O": (0.0, 0.0, 0.0), "P": (0.0, 0.0, float(height)), "A": _rim(radius, t, 0)}
    normal = np.array([height * np.cos(t), height * np.sin(t), radius], dtype=float)
    normal = tuple(float(v) for v in normal / np.linalg.norm(normal))
    facts = [
        _length("O", "A", r),
        _length("P", "O", h),
        _length("P", "A", slant),
        _fact("radius", (name,), r),
        _fact("height", (name,), h),
        _fact("slant_height", (name,), slant),
        _fact("volume", (name,), sp.pi * r**2 * h / 3),
        _fact("lateral_area", (name,), sp.pi * r * slant),
        _fact("surface_area", (name,), sp.pi * r * (r + slant)),
    ]
    return Solid(
        name,
        "cone",
        pts,
        params={"center": [0.0, 0.0, 0.0], "radius": radius, "height": height},
        segments=[
            Segment("O", "A", ((0.0, 0.0, -1.0),)),
            Segment("P", "O"),
            Segment("P", "A", (normal,)),
        ],
        right_angles=[("A", "O", "P")],
        givens=facts[:2],
        facts=facts,
        roles={("P", "A"): "slant height"},
    )


def sphere(radius: int, t: float) -> Solid:
    """A sphere of centre O; A on its equator at angle t."""
    r = sp.Integer(radius)
    name = "O"
    pts = {"O": (0.0, 0.0, 0.0), "A": _rim(radius, t, 0)}
    facts = [
        _length("O", "A", r),
        _fact("radius", (name,), r),
        _fact("volume", (name,), 4 * sp.pi * r**3 / 3),
        _fact("surface_area", (name,), 4 * sp.pi * r**2),
    ]
    return Solid(
        name,
        "sphere",
        pts,
        params={"center": [0.0, 0.0, 0.0], "radius": radius},
        segments=[Segment("O", "A")],
        givens=facts[:1],
        facts=facts,
    )
