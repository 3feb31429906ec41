"""Every solid fact recomputed from the figure's JSON by another path than the formulas
that made it: polyhedra from ``points3d`` and their faces (volume by the divergence
theorem, areas by Newell's method), round solids from a fine mesh of their surface
(extrapolated to the limit); and the hidden lines re-derived by casting a ray from each
line's midpoint toward the viewer through the solid's faces."""

from __future__ import annotations

import json
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
    kind = shape["kind"]
    if kind == "sphere":
        r = shape["radius"]
        phi = np.linspace(0, np.pi, steps // 2 + 1)
        return {"side": np.column_stack([r * np.sin(phi), -r * np.cos(phi)])}
    if kind == "hemisphere":
        r = shape["radius"]
        phi = np.linspace(0, np.pi / 2, steps // 4 + 1)
        side = np.column_stack([r * np.cos(phi), r * np.sin(phi)])
        return {"base": np.array([[0.0, 0.0], [r, 0.0]]), "side": side}
    h = shape["height"]
    r, top_r = shape["radii"] if kind == "frustum" else (shape["radius"], shape["radius"])
    if kind == "cone":
        top_r = 0.0
    out = {"base": np.array([[0.0, 0.0], [r, 0.0]]), "side": np.array([[r, 0.0], [top_r, h]])}
    if top_r > 0:
        out["top"] = np.array([[top_r, h], [0.0, h]])
    return out


@lru_cache(maxsize=512)
def _revolution(key: str, center: tuple, turn: int):
    shape = json.loads(key)
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
    dims = {k: shape.get(k) for k in ("kind", "radius", "radii", "height")}
    return _revolution(json.dumps(dims, sort_keys=True), tuple(shape["center"]), turn)


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
    if kind == "slant_height":  # a point of the bottom rim to the nearest of the top
        top = verts[verts[:, 2] > verts[:, 2].max() - 1e-9]
        rim = verts[np.argmin(verts[:, 2])]
        return float(np.linalg.norm(top - rim, axis=1).min())
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


def _part_triangles(shape: dict, points: dict, turn: int) -> np.ndarray:
    if "faces" in shape:
        return _triangles(points, shape["faces"])
    return _all(_mesh(shape, turn))


def _on_faces(tris: np.ndarray, points: dict, faces: list[list[str]]) -> np.ndarray:
    """Which triangles lie in the plane of one of ``faces`` (all three corners)."""
    out = np.zeros(len(tris), dtype=bool)
    for face in faces:
        p = np.array([points[v] for v in face])
        n = np.cross(p - p[0], np.roll(p, -1, axis=0) - p[0]).sum(axis=0)
        n /= np.linalg.norm(n)
        out |= np.all(np.abs((tris - p[0]) @ n) < 1e-9 * (1 + np.abs(p).max()), axis=1)
    return out


def _keys(tris: np.ndarray) -> list[bytes]:
    """Each triangle's corners, rounded and in a fixed order, as bytes."""
    r = np.round(tris, 9) + 0.0
    order = np.lexsort((r[..., 2], r[..., 1], r[..., 0]), axis=-1)
    r = np.take_along_axis(r, order[..., None], axis=1)
    return [row.tobytes() for row in np.ascontiguousarray(r).reshape(len(r), -1)]


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    """The surface of solids joined face to face: every triangle of every part, less
    those two parts share (the same corners: a face inside the joined solid)."""
    keys = [_keys(tris) for tris in parts]
    seen = [set(k) for k in keys]
    kept = []
    for i, (tris, ks) in enumerate(zip(parts, keys, strict=True)):
        others = set().union(*(seen[j] for j in range(len(parts)) if j != i))
        kept.append(tris[[k not in others for k in ks]])
    return np.concatenate(kept)


@lru_cache(maxsize=256)
def _composite_at(key: str, turn: int) -> tuple[float, float]:
    """Volume and surface area of a composite (its JSON in ``key``) at one mesh size."""
    spec = json.loads(key)
    parts, points = spec["parts"], {k: np.array(v) for k, v in spec["points"].items()}
    tris = [_part_triangles(p, points, turn) for p in parts]
    if spec["operation"] == "cut":
        body, hole = tris
        on = _on_faces(hole, points, parts[0]["faces"])
        return volume(body) - volume(hole), area(body) - area(hole[on]) + area(hole[~on])
    surface = _joined(tris)
    return volume(surface), area(surface)


def _composite_measure(kind: str, shape: dict, shapes: dict, points: dict) -> float:
    """A composite's volume or surface area from its parts' faces and meshes: joined
    parts lose the faces they share; a cut part's volume is taken away, its faces that
    lie on the body's faces are taken from the body's area and the others added."""
    if kind not in ("volume", "surface_area"):
        raise KeyError(kind)
    parts = [shapes[n] for n in shape["parts"]]
    names = {v for p in parts for v in p.get("vertices", [])}
    key = json.dumps(
        {
            "parts": parts,
            "operation": shape["operation"],
            "points": {n: [float(c) for c in points[n]] for n in sorted(names)},
        },
        sort_keys=True,
    )
    i = 0 if kind == "volume" else 1
    return (4 * _composite_at(key, 2 * MESH_TURN)[i] - _composite_at(key, MESH_TURN)[i]) / 3


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
    shapes = {s["name"]: s for s in figure["shapes"]}
    shape = shapes[fact["of"][0]]
    if "parts" in shape:
        return _composite_measure(fact["kind"], shape, shapes, points), ROUND_TOL
    if "faces" in shape:
        return _poly_measure(fact["kind"], shape, points), POLY_TOL
    return _round_measure(fact["kind"], shape, figure), ROUND_TOL


def _occluders(figure: dict, points: dict) -> tuple[np.ndarray, list[tuple]]:
    """The triangles of the drawn solid's surface, and the holes cut through it: (the
    triangles a hole removes from, its axis point, radius); a hit on those triangles
    counts only outside the hole."""
    tris, holes, count = [], [], 0
    shapes = {s["name"]: s for s in figure["shapes"]}
    for shape in figure["shapes"]:
        if "part_of" in shape:
            continue
        if shape.get("operation") == "cut":
            body, hole = (shapes[n] for n in shape["parts"])
            mine = _triangles(points, body["faces"])
            holes.append((slice(count, count + len(mine)), hole["center"], hole["radius"]))
            tris += [mine, _mesh(hole)["side"]]
        elif "parts" in shape:
            tris.append(
                _joined([_part_triangles(shapes[n], points, MESH_TURN) for n in shape["parts"]])
            )
        elif "faces" in shape:
            tris.append(_triangles(points, shape["faces"]))
        else:
            tris.append(_all(_mesh(shape)))
        count = sum(len(t) for t in tris)
    return np.concatenate(tris), holes


def _hits(
    origin: np.ndarray, direction: np.ndarray, tris: np.ndarray, eps: float, holes=()
) -> bool:
    """Whether the ray origin + s*direction (s > eps) meets a triangle (Moller-Trumbore),
    not counting a meeting inside a hole."""
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
    hit = ok & (u >= 0) & (v >= 0) & (u + v <= 1) & (dist > eps)
    for where, center, radius in holes:
        at = origin + dist[where, None] * direction
        hit[where] &= np.hypot(at[:, 0] - center[0], at[:, 1] - center[1]) >= radius
    return bool(np.any(hit))


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
    lines = drawn_lines(figure)
    mids = [(points[a] + points[b]) / 2 for a, b in lines]
    return [line for line, hidden in zip(lines, hidden_at(figure, mids), strict=True) if hidden]


def hidden_at(figure: dict, where: list[np.ndarray]) -> list[bool]:
    """Whether the solid hides each 3-D point from the viewer: a ray from it toward the
    viewer passes through the solid's surface (outside any hole cut through it)."""
    points = {k: np.array(v, dtype=float) for k, v in figure["points3d"].items()}
    toward = -np.array(figure["projection"]["view"], dtype=float)
    tris, holes = _occluders(figure, points)
    eps = 1e-6 * float(np.ptp(tris.reshape(-1, 3), axis=0).max())
    return [_hits(np.asarray(p, dtype=float), toward, tris, eps, holes) for p in where]
