"""Every solid fact recomputed from the figure's JSON by another path than the formulas
that made it: polyhedra from ``points3d`` and their faces (volume by the divergence
theorem, areas by Newell's method), round solids from a fine mesh of their surface
(extrapolated to the limit); and the hidden lines re-derived by casting a ray from each
line's midpoint toward the viewer through the solid's faces."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

MESH_TURN = 128  # triangles around a round solid (doubled for the extrapolation)
POLY_TOL, ROUND_TOL = 1e-9, 1e-6


def _triangles(points: dict, faces: list[list[str]]) -> np.ndarray:
    """Fan triangles (k, 3, 3) of polygonal faces, each oriented as its face."""
    return np.array(
        [
            [points[f[0]], points[f[i]], points[f[i + 1]]]
            for f in faces
            for i in range(1, len(f) - 1)
        ],
        dtype=float,
    )


def _profile(shape: dict, steps: int) -> dict[str, np.ndarray]:
    """A round solid's profile (r, z) from bottom to top, by part (its mesh turns it)."""
    r = shape["radius"]
    if shape["kind"] == "sphere":
        phi = np.linspace(0, np.pi, steps // 2 + 1)
        return {"side": np.column_stack([r * np.sin(phi), -r * np.cos(phi)])}
    h = shape["height"]
    top = [[r, 0.0], [0.0, h]] if shape["kind"] == "cone" else [[r, 0.0], [r, h]]
    out = {"base": np.array([[0.0, 0.0], [r, 0.0]]), "side": np.array(top)}
    if shape["kind"] == "cylinder":
        out["top"] = np.array([[r, h], [0.0, h]])
    return out


@lru_cache(maxsize=512)
def _revolution(kind: str, radius: float, height: float | None, center: tuple, turn: int):
    shape = {"kind": kind, "radius": radius, "height": height}
    t = 2 * np.pi * np.arange(turn + 1) / turn
    parts = {}
    for part, prof in _profile(shape, turn).items():
        rings = np.stack(
            [np.column_stack([r * np.cos(t), r * np.sin(t), np.full_like(t, z)]) for r, z in prof]
        ) + np.array(center)
        a, b = rings[:-1, :-1], rings[:-1, 1:]
        c, d = rings[1:, 1:], rings[1:, :-1]
        tris = np.concatenate([np.stack([a, b, c], -2), np.stack([a, c, d], -2)])
        parts[part] = tris.reshape(-1, 3, 3)
    return parts


def _mesh(shape: dict, turn: int = MESH_TURN) -> dict[str, np.ndarray]:
    return _revolution(
        shape["kind"], shape["radius"], shape.get("height"), tuple(shape["center"]), turn
    )


def volume(tris: np.ndarray) -> float:
    """Signed volume enclosed by outward triangles (divergence theorem)."""
    return float(np.einsum("ij,ij->i", tris[:, 0], np.cross(tris[:, 1], tris[:, 2])).sum() / 6)


def area(tris: np.ndarray) -> float:
    return float(
        np.linalg.norm(np.cross(tris[:, 1] - tris[:, 0], tris[:, 2] - tris[:, 0]), axis=1).sum() / 2
    )


def _limit(f, shape: dict) -> float:
    """A mesh measure extrapolated to the smooth solid (its error falls as 1/turn^2)."""
    coarse, fine = f(_mesh(shape, MESH_TURN)), f(_mesh(shape, 2 * MESH_TURN))
    return (4 * fine - coarse) / 3


def _all(parts: dict[str, np.ndarray]) -> np.ndarray:
    return np.concatenate(list(parts.values()))


def _round_measure(kind: str, shape: dict, figure: dict) -> float:
    if kind == "volume":
        return _limit(lambda m: volume(_all(m)), shape)
    if kind == "surface_area":
        return _limit(lambda m: area(_all(m)), shape)
    if kind == "lateral_area":
        return _limit(lambda m: area(m["side"]), shape)
    verts = _mesh(shape)["side"].reshape(-1, 3) - np.array(shape["center"])
    if kind == "radius":
        return float(np.max(np.hypot(verts[:, 0], verts[:, 1])))
    if kind == "height":
        return float(np.ptp(verts[:, 2]))
    if kind == "slant_height":  # the apex to a point of the rim
        apex, rim = verts[np.argmax(verts[:, 2])], verts[np.argmin(verts[:, 2])]
        return float(np.linalg.norm(apex - rim))
    raise KeyError(kind)


def _poly_measure(kind: str, shape: dict, points: dict) -> float:
    tris = _triangles(points, shape["faces"])
    if kind == "volume":
        return volume(tris)
    if kind == "surface_area":
        return area(tris)
    bases = [shape["faces"][i] for i in shape["bases"]]
    if kind == "lateral_area":
        return area(tris) - area(_triangles(points, bases))
    base = np.array([points[v] for v in bases[0]])
    normal = np.cross(base[1] - base[0], base[2] - base[0])
    normal /= np.linalg.norm(normal)
    heights = [abs(float(np.dot(np.array(points[v]) - base[0], normal))) for v in shape["vertices"]]
    if kind == "height":
        return max(heights)
    if kind == "slant_height":  # the apex to the line of a base edge
        apex = np.array(points[shape["vertices"][int(np.argmax(heights))]])
        a, b = base[0], base[1]
        return float(np.linalg.norm(np.cross(b - a, apex - a)) / np.linalg.norm(b - a))
    raise KeyError(kind)


def recompute(figure: dict, fact: dict) -> tuple[float, float]:
    """The value of ``fact`` re-derived from ``figure`` and the relative tolerance."""
    points = {k: np.array(v, dtype=float) for k, v in figure["points3d"].items()}
    if fact["kind"] == "length":
        a, b = fact["of"]
        return float(np.linalg.norm(points[a] - points[b])), POLY_TOL
    if fact["kind"] == "angle":
        a, v, b = (points[n] for n in fact["of"])
        u, w = a - v, b - v
        cos = float(np.dot(u, w) / (np.linalg.norm(u) * np.linalg.norm(w)))
        return math.degrees(math.acos(max(-1.0, min(1.0, cos)))), POLY_TOL
    shape = next(s for s in figure["shapes"] if s["name"] == fact["of"][0])
    if "faces" in shape:
        return _poly_measure(fact["kind"], shape, points), POLY_TOL
    return _round_measure(fact["kind"], shape, figure), ROUND_TOL


def _solid_triangles(shape: dict, points: dict) -> np.ndarray:
    if "faces" in shape:
        return _triangles(points, shape["faces"])
    return _all(_mesh(shape))


def _hits(origin: np.ndarray, direction: np.ndarray, tris: np.ndarray, eps: float) -> bool:
    """Whether the ray origin + s*direction (s > eps) meets a triangle (Moller-Trumbore)."""
    e1, e2 = tris[:, 1] - tris[:, 0], tris[:, 2] - tris[:, 0]
    p = np.cross(direction, e2)
    det = np.einsum("ij,ij->i", e1, p)
    ok = np.abs(det) > 1e-12
    inv = np.where(ok, 1.0 / np.where(ok, det, 1.0), 0.0)
    s = origin - tris[:, 0]
    u = np.einsum("ij,ij->i", s, p) * inv
    q = np.cross(s, e1)
    v = (q @ direction) * inv
    dist = np.einsum("ij,ij->i", e2, q) * inv
    return bool(np.any(ok & (u >= 0) & (v >= 0) & (u + v <= 1) & (dist > eps)))


def drawn_lines(figure: dict) -> list[tuple[str, str]]:
    """Every straight line drawn between named points: edges, then heights and radii."""
    out = set()
    for shape in figure["shapes"]:
        for face in shape.get("faces", []):
            out |= {(min(a, b), max(a, b)) for a, b in zip(face, face[1:] + face[:1], strict=True)}
        out |= {(min(a, b), max(a, b)) for a, b in shape.get("segments", [])}
    return sorted(out)


def ray_hidden(figure: dict) -> list[tuple[str, str]]:
    """The drawn lines whose midpoint the solid hides from the viewer: a ray from it
    toward the viewer passes through a face (each line's ends: sorted names)."""
    points = {k: np.array(v, dtype=float) for k, v in figure["points3d"].items()}
    toward = -np.array(figure["projection"]["view"], dtype=float)
    tris = np.concatenate([_solid_triangles(s, points) for s in figure["shapes"]])
    eps = 1e-6 * float(np.ptp(tris.reshape(-1, 3), axis=0).max())
    return [
        (a, b)
        for a, b in drawn_lines(figure)
        if _hits((points[a] + points[b]) / 2, toward, tris, eps)
    ]
