"""The solids: named 3-D points, outward faces and exact facts, from integer dimensions.

Coordinates are floats (what the drawing and the checks read); every measure is an exact
SymPy value from the solid's formulas. ``check`` recomputes each one from the points and
faces (or from a mesh of a round solid), never from these formulas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import sympy as sp

from mavis_engine import exact
from mavis_engine.figure import Fact

POLYHEDRA = ("cube", "cuboid", "prism", "pyramid")
ROUND = ("cylinder", "cone", "sphere")
#: Solids of revolution drawn from their profile (``Solid.profile``).
TURNED = ("hemisphere", "frustum", "cone_on_cylinder", "hemisphere_on_cylinder")
#: Two solids joined on a shared face, or one cut from another (``Solid.parts``).
COMPOSITES = ("cone_on_cylinder", "hemisphere_on_cylinder", "cuboid_with_roof", "cuboid_with_hole")
KINDS = POLYHEDRA + ROUND + ("hemisphere", "frustum") + COMPOSITES[:2] + COMPOSITES[2:]
#: Regular bases a prism or pyramid may have (their areas are surds).
BASE_SIDES = (3, 4, 6)
# A hexagonal pyramid's height and slant height cross a crowded front: 1 in 300 of its
# drawings found a place for every label, so none is asked for (hexagonal prisms are).
PYRAMID_SIDES = (3, 4)
# A pyramid taller than this many base edges draws its base corners on top of each other
# (none of ~150 such drawings passed).
PYRAMID_TALLEST = 2.5
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
    # A solid of revolution about the z axis, bottom to top: ("disc", z, r, up),
    # ("band", z0, r0, z1, r1) (a cylinder's or cone's side) or ("dome", z0, r).
    profile: list[tuple] | None = None
    # A composite's parts (each a Solid of its own); ``cut``: the last part is cut out.
    parts: list[Solid] = field(default_factory=list)
    cut: bool = False
    # Each edge with the normals of its faces, worked out once (``view.edges``).
    edge_normals: dict | None = field(default=None, init=False, repr=False, compare=False)
    _face_normals: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def round(self) -> bool:
        return self.kind in ROUND or self.profile is not None

    def face_normal(self, face: list[str]) -> np.ndarray:
        """Unit outward normal of a face (Newell's method: any planar polygon), worked out
        once per face (a solid's points never change; every view asks again)."""
        key = tuple(face)
        if key not in self._face_normals:
            p = np.array([self.points3d[v] for v in face])
            q = np.roll(p, -1, axis=0)
            (a0, a1, a2), (b0, b1, b2) = p.T, q.T  # np.cross's products, without its overhead
            n = np.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=1)
            n = n.sum(axis=0)
            self._face_normals[key] = n / np.linalg.norm(n)
        return self._face_normals[key]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "kind": self.kind}
        if self.faces:
            out |= {"vertices": self.vertices, "faces": self.faces, "bases": self.bases}
        if self.parts:
            out |= {
                "parts": [p.name for p in self.parts],
                "operation": "cut" if self.cut else "join",
            }
        return out | self.params


def _fact(kind: str, of: tuple[str, ...] | list[str], value: sp.Expr) -> Fact:
    # Expanded: a sum of surd and pi terms, which the text can state term by term. With
    # no sum anywhere in it there is nothing to expand (most values: the costly call skipped).
    return Fact(kind, tuple(of), sp.expand(value) if value.has(sp.Add) else value)


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


@lru_cache(maxsize=2048, typed=True)  # pure; the Solid is never changed
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


@lru_cache(maxsize=2048, typed=True)  # pure; the Solid is never changed
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


@lru_cache(maxsize=2048, typed=True)  # pure; the Solid is never changed
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


@lru_cache(maxsize=4096)
def _cylinder_facts(radius: int, height: int) -> tuple[Fact, ...]:
    """Its exact facts, by dimensions alone (where its rim point lies changes none)."""
    r, h = sp.Integer(radius), sp.Integer(height)
    name = "OP"
    facts = [
        _length("O", "A", r),
        _length("O", "P", h),
        _fact("radius", (name,), r),
        _fact("height", (name,), h),
        _fact("volume", (name,), sp.pi * r**2 * h),
        _fact("lateral_area", (name,), 2 * sp.pi * r * h),
        _fact("surface_area", (name,), 2 * sp.pi * r * (r + h)),
    ]
    return tuple(facts)


@lru_cache(maxsize=2048, typed=True)  # pure; the Solid is never changed
def cylinder(radius: int, height: int, t: float) -> Solid:
    """A cylinder on the disc of centre O, top centre P; A on the bottom rim at angle t."""
    name = "OP"
    pts = {"O": (0.0, 0.0, 0.0), "P": (0.0, 0.0, float(height)), "A": _rim(radius, t, 0)}
    facts = list(_cylinder_facts(radius, height))
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


@lru_cache(maxsize=4096)
def _cone_facts(radius: int, height: int) -> tuple[Fact, ...]:
    """Its exact facts, by dimensions alone (where its rim point lies changes none)."""
    r, h = sp.Integer(radius), sp.Integer(height)
    slant = exact.hypot(r, h)
    name = "PO"
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
    return tuple(facts)


@lru_cache(maxsize=2048, typed=True)  # pure; the Solid is never changed
def cone(radius: int, height: int, t: float) -> Solid:
    """A cone on the disc of centre O with apex P; A on the rim at angle t."""
    name = "PO"
    pts = {"O": (0.0, 0.0, 0.0), "P": (0.0, 0.0, float(height)), "A": _rim(radius, t, 0)}
    normal = np.array([height * np.cos(t), height * np.sin(t), radius], dtype=float)
    normal = tuple(float(v) for v in normal / np.linalg.norm(normal))
    facts = list(_cone_facts(radius, height))
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


@lru_cache(maxsize=4096)
def _sphere_facts(radius: int) -> tuple[Fact, ...]:
    """Its exact facts, by dimensions alone (where its rim point lies changes none)."""
    r = sp.Integer(radius)
    name = "O"
    facts = [
        _length("O", "A", r),
        _fact("radius", (name,), r),
        _fact("volume", (name,), 4 * sp.pi * r**3 / 3),
        _fact("surface_area", (name,), 4 * sp.pi * r**2),
    ]
    return tuple(facts)


@lru_cache(maxsize=2048, typed=True)  # pure; the Solid is never changed
def sphere(radius: int, t: float) -> Solid:
    """A sphere of centre O; A on its equator at angle t."""
    name = "O"
    pts = {"O": (0.0, 0.0, 0.0), "A": _rim(radius, t, 0)}
    facts = list(_sphere_facts(radius))
    return Solid(
        name,
        "sphere",
        pts,
        params={"center": [0.0, 0.0, 0.0], "radius": radius},
        segments=[Segment("O", "A")],
        givens=facts[:1],
        facts=facts,
    )


def _part(name: str, kind: str, **params: Any) -> Solid:
    """A part of a composite: its name, kind and round parameters (its facts are the
    composite's, of its name)."""
    return Solid(name, kind, {}, params=params)


def _side_normal(t: float, h: float, dr: float) -> Vec:
    """Unit outward normal of a cone's or frustum's side at angle t (dr: r0 - r1)."""
    n = np.array([h * np.cos(t), h * np.sin(t), dr], dtype=float)
    return tuple(float(v) for v in n / np.linalg.norm(n))


@lru_cache(maxsize=4096)
def _hemisphere_facts(radius: int) -> tuple[Fact, ...]:
    """Its exact facts, by dimensions alone (where its rim point lies changes none)."""
    r = sp.Integer(radius)
    name = "O"
    facts = [
        _length("O", "A", r),
        _fact("radius", (name,), r),
        _fact("volume", (name,), 2 * sp.pi * r**3 / 3),
        _fact("lateral_area", (name,), 2 * sp.pi * r**2),
        _fact("surface_area", (name,), 3 * sp.pi * r**2),
    ]
    return tuple(facts)


@lru_cache(maxsize=2048, typed=True)  # pure; the Solid is never changed
def hemisphere(radius: int, t: float) -> Solid:
    """A hemisphere on its flat base of centre O (dome up); A on the rim at angle t."""
    name = "O"
    facts = list(_hemisphere_facts(radius))
    return Solid(
        name,
        "hemisphere",
        {"O": (0.0, 0.0, 0.0), "A": _rim(radius, t, 0)},
        params={"center": [0.0, 0.0, 0.0], "radius": radius},
        segments=[Segment("O", "A", ((0.0, 0.0, -1.0),))],
        givens=facts[:1],
        facts=facts,
        profile=[("disc", 0.0, radius, False), ("dome", 0.0, radius)],
    )


@lru_cache(maxsize=4096)
def _frustum_facts(big: int, small: int, height: int) -> tuple[Fact, ...]:
    """Its exact facts, by dimensions alone (where its rim point lies changes none)."""
    R, r, h = sp.Integer(big), sp.Integer(small), sp.Integer(height)
    slant = exact.hypot(h, R - r)
    name = "OP"
    facts = [
        _length("O", "A", R),
        _length("P", "B", r),
        _length("O", "P", h),
        _length("A", "B", slant),
        _fact("height", (name,), h),
        _fact("slant_height", (name,), slant),
        _fact("volume", (name,), sp.pi * h * (R**2 + R * r + r**2) / 3),
        _fact("lateral_area", (name,), sp.pi * (R + r) * slant),
        _fact("surface_area", (name,), sp.pi * (R**2 + r**2) + sp.pi * (R + r) * slant),
    ]
    return tuple(facts)


@lru_cache(maxsize=2048, typed=True)  # pure; the Solid is never changed
def frustum(big: int, small: int, height: int, t: float) -> Solid:
    """A frustum of a cone: bottom disc of centre O and radius OA = big, top disc of
    centre P and radius PB = small (B above A), height OP."""
    name = "OP"
    pts = {
        "O": (0.0, 0.0, 0.0),
        "P": (0.0, 0.0, float(height)),
        "A": _rim(big, t, 0),
        "B": _rim(small, t, height),
    }
    facts = list(_frustum_facts(big, small, height))
    return Solid(
        name,
        "frustum",
        pts,
        params={"center": [0.0, 0.0, 0.0], "radii": [big, small], "height": height},
        segments=[
            Segment("O", "A", ((0.0, 0.0, -1.0),)),
            Segment("P", "B", ((0.0, 0.0, 1.0),)),
            Segment("O", "P"),
            Segment("A", "B", (_side_normal(t, height, big - small),)),
        ],
        right_angles=[("A", "O", "P")],
        givens=facts[:3],
        facts=facts,
        roles={("A", "B"): "slant height"},
        profile=[
            ("disc", 0.0, big, False),
            ("band", 0.0, big, float(height), small),
            ("disc", float(height), small, True),
        ],
    )


@lru_cache(maxsize=4096)
def _cone_on_cylinder_facts(radius: int, low: int, high: int) -> tuple[Fact, ...]:
    """Its exact facts, by dimensions alone (where its rim point lies changes none)."""
    r, h1, h2 = sp.Integer(radius), sp.Integer(low), sp.Integer(high)
    slant = exact.hypot(r, h2)
    name, cyl, con = "OPV", "OP", "PV"
    facts = [
        _length("O", "A", r),
        _length("O", "P", h1),
        _length("P", "V", h2),
        _length("V", "B", slant),
        _fact("slant_height", (con,), slant),
        _fact("volume", (cyl,), sp.pi * r**2 * h1),
        _fact("volume", (con,), sp.pi * r**2 * h2 / 3),
        _fact("lateral_area", (cyl,), 2 * sp.pi * r * h1),
        _fact("lateral_area", (con,), sp.pi * r * slant),
        _fact("volume", (name,), sp.pi * r**2 * h1 + sp.pi * r**2 * h2 / 3),
        _fact("surface_area", (name,), sp.pi * r**2 + 2 * sp.pi * r * h1 + sp.pi * r * slant),
    ]
    return tuple(facts)


@lru_cache(maxsize=2048, typed=True)  # pure; the Solid is never changed
def cone_on_cylinder(radius: int, low: int, high: int, t: float) -> Solid:
    """A cone PV standing on the top face of a cylinder OP of the same radius OA: O the
    centre of the bottom, P of the shared face, V the apex; B on the shared rim above A."""
    name, cyl, con = "OPV", "OP", "PV"
    top = float(low + high)
    pts = {
        "O": (0.0, 0.0, 0.0),
        "A": _rim(radius, t, 0),
        "P": (0.0, 0.0, float(low)),
        "B": _rim(radius, t, low),
        "V": (0.0, 0.0, top),
    }
    facts = list(_cone_on_cylinder_facts(radius, low, high))
    return Solid(
        name,
        "cone_on_cylinder",
        pts,
        segments=[
            Segment("O", "A", ((0.0, 0.0, -1.0),)),
            Segment("O", "P"),
            Segment("P", "V"),
            Segment("V", "B", (_side_normal(t, high, radius),)),
        ],
        right_angles=[("A", "O", "P")],
        givens=facts[:3],
        facts=facts,
        roles={("V", "B"): "slant height of the cone"},
        profile=[
            ("disc", 0.0, radius, False),
            ("band", 0.0, radius, float(low), radius),
            ("band", float(low), radius, top, 0),
        ],
        parts=[
            _part(cyl, "cylinder", center=[0.0, 0.0, 0.0], radius=radius, height=low),
            _part(con, "cone", center=[0.0, 0.0, float(low)], radius=radius, height=high),
        ],
    )


@lru_cache(maxsize=4096)
def _hemisphere_on_cylinder_facts(radius: int, height: int) -> tuple[Fact, ...]:
    """Its exact facts, by dimensions alone (where its rim point lies changes none)."""
    r, h = sp.Integer(radius), sp.Integer(height)
    name, cyl, dome = "OPV", "OP", "P"
    facts = [
        _length("O", "A", r),
        _length("O", "P", h),
        _length("P", "V", r),
        _fact("volume", (cyl,), sp.pi * r**2 * h),
        _fact("volume", (dome,), 2 * sp.pi * r**3 / 3),
        _fact("lateral_area", (cyl,), 2 * sp.pi * r * h),
        _fact("lateral_area", (dome,), 2 * sp.pi * r**2),
        _fact("volume", (name,), sp.pi * r**2 * h + 2 * sp.pi * r**3 / 3),
        _fact("surface_area", (name,), 3 * sp.pi * r**2 + 2 * sp.pi * r * h),
    ]
    return tuple(facts)


@lru_cache(maxsize=2048, typed=True)  # pure; the Solid is never changed
def hemisphere_on_cylinder(radius: int, height: int, t: float) -> Solid:
    """A hemisphere of centre P on the top face of a cylinder OP of the same radius OA;
    V the top of the dome."""
    name, cyl, dome = "OPV", "OP", "P"
    pts = {
        "O": (0.0, 0.0, 0.0),
        "A": _rim(radius, t, 0),
        "P": (0.0, 0.0, float(height)),
        "V": (0.0, 0.0, float(height + radius)),
    }
    facts = list(_hemisphere_on_cylinder_facts(radius, height))
    return Solid(
        name,
        "hemisphere_on_cylinder",
        pts,
        segments=[Segment("O", "A", ((0.0, 0.0, -1.0),)), Segment("O", "P"), Segment("P", "V")],
        right_angles=[("A", "O", "P")],
        givens=facts[:2],
        facts=facts,
        profile=[
            ("disc", 0.0, radius, False),
            ("band", 0.0, radius, float(height), radius),
            ("dome", float(height), radius),
        ],
        parts=[
            _part(cyl, "cylinder", center=[0.0, 0.0, 0.0], radius=radius, height=height),
            _part(dome, "hemisphere", center=[0.0, 0.0, float(height)], radius=radius),
        ],
    )


@lru_cache(maxsize=2048, typed=True)  # pure; the Solid is never changed
def cuboid_with_roof(a: int, b: int, c: int, k: int) -> Solid:
    """A cuboid ABCD-EFGH (AB = a, BC = b, AE = c) with a triangular prism EFI-HGJ on its
    top face EFGH, as a house's roof: the gables EFI and HGJ over the front and back
    edges, the ridge IJ over the middle; M the midpoint of EF and IM = k the gable's
    height."""
    pts = _extrude([(0, 0), (a, 0), (a, b), (0, b)], c, "ABCDEFGH")
    pts |= {
        "I": (a / 2, 0.0, float(c + k)),
        "J": (a / 2, float(b), float(c + k)),
        "M": (a / 2, 0.0, float(c)),
    }
    A, B, C, K = (sp.Integer(v) for v in (a, b, c, k))
    roof = sp.sqrt((A / 2) ** 2 + K**2)
    box_name, prism_name = "ABCD-EFGH", "EFI-HGJ"
    name = "ABCD-EFGH-IJ"
    box_faces = _prism_faces(list("ABCD"), list("EFGH"))
    roof_faces = [list("EFI"), list("GHJ"), list("FGJI"), list("HEIJ")]
    facts = [
        _length("A", "B", A),
        _length("B", "C", B),
        _length("A", "E", C),
        _length("I", "M", K),
        _length("F", "I", roof),
        _fact("volume", (box_name,), A * B * C),
        _fact("volume", (prism_name,), A * K * B / 2),
        _fact("volume", (name,), A * B * C + A * K * B / 2),
        _fact("surface_area", (name,), A * B + 2 * (A + B) * C + A * K + 2 * B * roof),
    ]
    return Solid(
        name,
        "cuboid_with_roof",
        pts,
        list("ABCDEFGHIJ"),
        [box_faces[0], *box_faces[2:], *roof_faces],
        [0],
        segments=[Segment("I", "M", ((0.0, -1.0, 0.0),))],
        right_angles=[("I", "M", "F")],
        givens=facts[:4],
        facts=facts,
        roles={("F", "I"): "slant edge of the roof"},
        parts=[
            Solid(box_name, "cuboid", {}, list("ABCDEFGH"), box_faces, [0, 1]),
            Solid(prism_name, "prism", {}, list("EFGHIJ"), [list("EHGF"), *roof_faces], [1, 2]),
        ],
    )


@lru_cache(maxsize=4096)
def _cuboid_with_hole_facts(a: int, b: int, c: int, radius: int) -> tuple[Fact, ...]:
    """Its exact facts, by dimensions alone (where its rim point lies changes none)."""
    A, B, C, r = (sp.Integer(v) for v in (a, b, c, radius))
    box_name, hole, name = "ABCD-EFGH", "P", "ABCD-EFGH-P"
    facts = [
        _length("A", "B", A),
        _length("B", "C", B),
        _length("A", "E", C),
        _length("P", "K", r),
        _fact("volume", (box_name,), A * B * C),
        _fact("volume", (hole,), sp.pi * r**2 * C),
        _fact("lateral_area", (hole,), 2 * sp.pi * r * C),
        _fact("volume", (name,), A * B * C - sp.pi * r**2 * C),
        _fact(
            "surface_area",
            (name,),
            2 * (A * B + B * C + A * C) - 2 * sp.pi * r**2 + 2 * sp.pi * r * C,
        ),
    ]
    return tuple(facts)


@lru_cache(maxsize=2048, typed=True)  # pure; the Solid is never changed
def cuboid_with_hole(a: int, b: int, c: int, radius: int, t: float) -> Solid:
    """A cuboid ABCD-EFGH with a cylindrical hole of radius PK drilled through it from
    the top face to the bottom, its axis through the centres of the two faces: P the
    centre of the hole's top circle, K on that circle at angle t."""
    pts = _extrude([(0, 0), (a, 0), (a, b), (0, b)], c, "ABCDEFGH")
    x, y = a / 2, b / 2
    pts |= {
        "P": (x, y, float(c)),
        "K": (x + radius * float(np.cos(t)), y + radius * float(np.sin(t)), float(c)),
    }
    box_name, hole, name = "ABCD-EFGH", "P", "ABCD-EFGH-P"
    faces = _prism_faces(list("ABCD"), list("EFGH"))
    facts = list(_cuboid_with_hole_facts(a, b, c, radius))
    return Solid(
        name,
        "cuboid_with_hole",
        pts,
        list("ABCDEFGH"),
        faces,
        [0, 1],
        segments=[Segment("P", "K", ((0.0, 0.0, 1.0),))],
        givens=facts[:4],
        facts=facts,
        parts=[
            Solid(box_name, "cuboid", {}, list("ABCDEFGH"), faces, [0, 1]),
            _part(hole, "cylinder", center=[x, y, 0.0], radius=radius, height=c),
        ],
        cut=True,
    )
