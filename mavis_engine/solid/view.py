"""The projections a textbook draws solids in, and what the viewer sees of a solid.

A projection is a 2x3 matrix from 3-D to the drawing's plane. Its kernel is the viewing
direction; ``view`` points away from the viewer. A surface faces away from the viewer
when its outward normal has a positive component along ``view``; a line (an edge, a rim,
a radius) is hidden when every surface through it faces away, and a segment through the
inside, lying on no surface, is always hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from mavis_engine.solid.solids import Solid

#: Projections polyhedra are drawn in: oblique "cabinet" (receding edges at 45 degrees,
#: halved) and an orthographic view from above and to one side ("elevated"). Round
#: solids are always drawn "elevated", as textbooks draw them (a sphere as a circle).
PROJECTIONS = ("cabinet", "elevated")
CURVE_STEPS = 144  # samples per full turn of a rim or equator


def matrix(projection: dict) -> np.ndarray:
    """The 2x3 matrix of a projection's parameters (as the params column holds them)."""
    if projection["kind"] == "cabinet":
        c = 0.5 * np.cos(np.radians(45)) * projection["side"]
        s = 0.5 * np.sin(np.radians(45))
        return np.array([[1.0, c, 0.0], [0.0, s, 1.0]])
    phi, eps = np.radians(projection["azimuth"]), np.radians(projection["elevation"])
    u = np.array([np.cos(phi), np.sin(phi), 0.0])
    toward = np.cos(eps) * np.array([np.sin(phi), -np.cos(phi), 0.0]) + np.array(
        [0.0, 0.0, np.sin(eps)]
    )
    return np.array([u, np.cross(toward, u)])


def view_direction(m: np.ndarray) -> np.ndarray:
    """Unit direction away from the viewer: the projection's kernel, oriented so that the
    drawing's x, y and the direction toward the viewer are right-handed."""
    d = -np.cross(m[0], m[1])
    return d / np.linalg.norm(d)


@dataclass
class Stroke:
    """A line of the drawing in 3-D (a polyline), hidden or not; ``ends`` names the
    points it joins (an edge or a segment), None for a piece of a curve."""

    points: np.ndarray
    hidden: bool
    ends: tuple[str, str] | None = None


def _faces_away(normals, view: np.ndarray) -> bool:
    return all(float(np.dot(n, view)) > 0 for n in normals)


def edges(solid: Solid) -> dict[tuple[str, str], list[np.ndarray]]:
    """Each edge of a polyhedron (names sorted) with the normals of the faces it bounds
    (worked out once per solid: its points and faces never change)."""
    if solid.edge_normals is not None:
        return solid.edge_normals
    out: dict[tuple[str, str], list[np.ndarray]] = {}
    for face in solid.faces:
        normal = solid.face_normal(face)
        for a, b in zip(face, face[1:] + face[:1], strict=True):
            out.setdefault((min(a, b), max(a, b)), []).append(normal)
    solid.edge_normals = out
    return out


def hidden_edges(solid: Solid, view: np.ndarray) -> list[tuple[str, str]]:
    """The edges of a polyhedron that every face around them hides, in sorted order."""
    return sorted(e for e, normals in edges(solid).items() if _faces_away(normals, view))


def strokes(solid: Solid, view: np.ndarray) -> list[Stroke]:
    """Everything drawn of ``solid``: edges or rims and contours, then its segments."""
    pts = {k: np.array(v) for k, v in solid.points3d.items()}
    out = []
    if solid.profile is not None:
        out += _turned_strokes(solid.profile, view)
    elif solid.round:
        out += _round_strokes(solid, view)
    else:
        for (a, b), normals in sorted(edges(solid).items()):
            out.append(Stroke(np.array([pts[a], pts[b]]), _faces_away(normals, view), (a, b)))
        if solid.cut:
            out += _hole_strokes(solid.parts[-1].params, view)
    for seg in solid.segments:
        out.append(
            Stroke(
                np.array([pts[seg.a], pts[seg.b]]), _faces_away(seg.normals, view), (seg.a, seg.b)
            )
        )
    return out


def _runs(points: np.ndarray, hidden: np.ndarray) -> list[Stroke]:
    """A sampled closed curve cut where its visibility changes (the runs share ends)."""
    n = len(hidden)
    changes = np.flatnonzero(hidden != np.roll(hidden, 1)).tolist()
    if not changes:
        return [Stroke(np.vstack([points, points[:1]]), bool(hidden[0]))]
    out = []
    for k, start in enumerate(changes):
        stop = changes[(k + 1) % len(changes)]
        idx = np.append(np.arange(start, start + ((stop - start) % n or n)) % n, stop)
        out.append(Stroke(points[idx], bool(hidden[start])))
    return out


def _circle(radius: float, z: float) -> tuple[np.ndarray, np.ndarray]:
    t = 2 * np.pi * np.arange(CURVE_STEPS) / CURVE_STEPS
    ring = np.column_stack([radius * np.cos(t), radius * np.sin(t), np.full_like(t, z)])
    return t, ring


def _round_strokes(solid: Solid, view: np.ndarray) -> list[Stroke]:
    r, kind = solid.params["radius"], solid.kind
    dx, dy, dz = view
    t, bottom = _circle(r, 0.0)
    # Outward normal of the side (or sphere) along the bottom rim (equator), per sample.
    if kind == "cone":
        h = solid.params["height"]
        side = h * (np.cos(t) * dx + np.sin(t) * dy) + r * dz
    else:
        side = np.cos(t) * dx + np.sin(t) * dy
    base_away = dz < 0 if kind != "sphere" else True  # a base's normal is (0, 0, -1)
    out = _runs(bottom, (side > 0) & base_away)
    if kind == "sphere":
        # The outline: the great circle across the view, always seen.
        m0, m1 = _orthonormal(view)
        ring = r * (np.outer(np.cos(t), m0) + np.outer(np.sin(t), m1))
        return [*out, Stroke(np.vstack([ring, ring[:1]]), False)]
    h = solid.params["height"]
    # Contours: where the side turns away, its generators are the outline.
    rho, alpha = np.hypot(dx, dy), np.arctan2(dy, dx)
    if kind == "cylinder":
        _, top = _circle(r, h)
        out += _runs(top, (side > 0) & (dz > 0))
        for ts in (alpha + np.pi / 2, alpha - np.pi / 2):
            p = np.array([r * np.cos(ts), r * np.sin(ts), 0.0])
            out.append(Stroke(np.array([p, p + np.array([0.0, 0.0, h])]), False))
    else:
        apex = np.array([0.0, 0.0, h])
        spread = np.arccos(np.clip(-r * dz / (h * rho), -1, 1))
        for ts in (alpha + spread, alpha - spread):
            out.append(Stroke(np.array([[r * np.cos(ts), r * np.sin(ts), 0.0], apex]), False))
    return out


def _orthonormal(view: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a = np.cross(view, [0.0, 0.0, 1.0])
    a /= np.linalg.norm(a)
    return a, np.cross(view, a)


def cone_has_outline(radius: float, height: float, view: np.ndarray) -> bool:
    """Whether a cone's apex is drawn outside its base (else it has no side contours)."""
    return radius * abs(view[2]) < height * float(np.hypot(view[0], view[1])) * 0.95


def _piece_normals(piece: tuple, t: np.ndarray) -> np.ndarray:
    """Outward normals (n, 3), not unit, of a profile piece along a rim it bounds (a
    side's normal is the same all along a generator; a dome's rim is its equator)."""
    kind = piece[0]
    if kind == "disc":
        return np.tile([0.0, 0.0, 1.0 if piece[3] else -1.0], (len(t), 1))
    if kind == "dome":  # its rim is its equator
        return np.column_stack([np.cos(t), np.sin(t), np.zeros_like(t)])
    _, z0, r0, z1, r1 = piece
    return np.column_stack([(z1 - z0) * np.cos(t), (z1 - z0) * np.sin(t), np.full_like(t, r0 - r1)])


def _turned_strokes(profile: list[tuple], view: np.ndarray) -> list[Stroke]:
    """A solid of revolution (convex: a point is seen when a surface through it faces
    the viewer): the rims where two pieces of the profile meet, hidden where both face
    away, and each piece's contour (a side's generators where it turns away, a dome's
    outline), always seen."""
    dx, dy, dz = view
    t = 2 * np.pi * np.arange(CURVE_STEPS) / CURVE_STEPS
    out = []
    for low, high in pairwise(profile):
        z, r = _top(low)
        if r <= 0:
            continue
        ring = np.column_stack([r * np.cos(t), r * np.sin(t), np.full_like(t, z)])
        away = (_piece_normals(low, t) @ view > 0) & (_piece_normals(high, t) @ view > 0)
        out += _runs(ring, away)
    rho, alpha = np.hypot(dx, dy), np.arctan2(dy, dx)
    for piece in profile:
        if piece[0] == "band":
            _, z0, r0, z1, r1 = piece
            spread = np.arccos(np.clip(-(r0 - r1) * dz / ((z1 - z0) * rho), -1, 1))
            for ts in (alpha + spread, alpha - spread):
                c, s = np.cos(ts), np.sin(ts)
                out.append(Stroke(np.array([[r0 * c, r0 * s, z0], [r1 * c, r1 * s, z1]]), False))
        elif piece[0] == "dome":
            _, z0, r = piece
            m0, m1 = _orthonormal(view)
            if m1[2] < 0:
                m1 = -m1
            s = np.linspace(0, np.pi, CURVE_STEPS // 2 + 1)
            arc = r * (np.outer(np.cos(s), m0) + np.outer(np.sin(s), m1)) + [0.0, 0.0, z0]
            out.append(Stroke(arc, False))
    return out


def _top(piece: tuple) -> tuple[float, float]:
    """Height and radius of a profile piece's top rim."""
    if piece[0] == "disc":
        return piece[1], piece[2]
    if piece[0] == "dome":
        return piece[1] + piece[2], 0.0
    return piece[3], piece[4]


def _hole_strokes(hole: dict, view: np.ndarray) -> list[Stroke]:
    """A cylindrical hole through a cuboid from its top face to its bottom: the top
    circle seen (the top faces the viewer), the bottom circle and the hole's contour
    generators hidden. The build keeps only holes deeper than the opening shows
    (``hole_shows_bottom``), so no part of the bottom circle is seen through the top."""
    r, h = hole["radius"], hole["height"]
    centre = np.array(hole["center"])
    bottom = _circle(r, 0.0)[1]
    out = [
        Stroke(np.vstack([bottom, bottom[:1]]) + centre, True),
        Stroke(np.vstack([bottom, bottom[:1]]) + centre + [0.0, 0.0, h], bool(view[2] > 0)),
    ]
    alpha = np.arctan2(view[1], view[0])
    for ts in (alpha + np.pi / 2, alpha - np.pi / 2):
        p = centre + np.array([r * np.cos(ts), r * np.sin(ts), 0.0])
        out.append(Stroke(np.array([p, p + np.array([0.0, 0.0, h])]), True))
    return out


def hole_shows_bottom(hole: dict, view: np.ndarray) -> bool:
    """Whether a vertical hole's bottom could be seen through its top opening: a line of
    sight rising through the hole's depth moves sideways less than its diameter."""
    drift = hole["height"] * float(np.hypot(view[0], view[1])) / max(abs(view[2]), 1e-9)
    return drift <= 2 * hole["radius"] * 1.05
