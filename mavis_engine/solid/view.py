"""The projections a textbook draws solids in, and what the viewer sees of a solid.

A projection is a 2x3 matrix from 3-D to the drawing's plane. Its kernel is the viewing
direction; ``view`` points away from the viewer. A surface faces away from the viewer
when its outward normal has a positive component along ``view``; a line (an edge, a rim,
a radius) is hidden when every surface through it faces away, and a segment through the
inside, lying on no surface, is always hidden.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    """Each edge of a polyhedron (names sorted) with the normals of the faces it bounds."""
    out: dict[tuple[str, str], list[np.ndarray]] = {}
    for face in solid.faces:
        normal = solid.face_normal(face)
        for a, b in zip(face, face[1:] + face[:1], strict=True):
            out.setdefault((min(a, b), max(a, b)), []).append(normal)
    return out


def hidden_edges(solid: Solid, view: np.ndarray) -> list[tuple[str, str]]:
    """The edges of a polyhedron that every face around them hides, in sorted order."""
    return sorted(e for e, normals in edges(solid).items() if _faces_away(normals, view))


def strokes(solid: Solid, view: np.ndarray) -> list[Stroke]:
    """Everything drawn of ``solid``: edges or rims and contours, then its segments."""
    pts = {k: np.array(v) for k, v in solid.points3d.items()}
    out = []
    if solid.round:
        out += _round_strokes(solid, view)
    else:
        for (a, b), normals in sorted(edges(solid).items()):
            out.append(Stroke(np.array([pts[a], pts[b]]), _faces_away(normals, view), (a, b)))
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
    changes = [i for i in range(n) if hidden[i] != hidden[i - 1]]
    if not changes:
        return [Stroke(np.vstack([points, points[:1]]), bool(hidden[0]))]
    out = []
    for k, start in enumerate(changes):
        stop = changes[(k + 1) % len(changes)]
        idx = [(start + j) % n for j in range((stop - start) % n or n)] + [stop]
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
