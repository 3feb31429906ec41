"""Every solid fact recomputed from the figure's JSON by another path than the formulas
that made it: polyhedra from ``points3d`` and their faces (volume by the divergence
theorem, areas by Newell's method), round solids from a fine mesh of their surface
(extrapolated to the limit); and the hidden lines re-derived by casting a ray from each
line's midpoint toward the viewer through the solid's faces."""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable
from functools import lru_cache

import numpy as np

MESH_TURN = 96  # triangles around a round solid (and a half and a quarter as many)
#: The mesh rays are cast through: a line's midpoint is never within a hair of a round
#: surface it is not on, so a coarser mesh tells hidden from seen just as well.
RAY_TURN = MESH_TURN // 2
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
        r, z = prof[:, 0, None], np.broadcast_to(prof[:, 1, None], (len(prof), len(t)))
        rings = np.stack([r * np.cos(t), r * np.sin(t), z], axis=-1) + np.array(center)
        a, b = rings[:-1, :-1], rings[:-1, 1:]
        c, d = rings[1:, 1:], rings[1:, :-1]
        tris = np.concatenate([np.stack([a, b, c], -2), np.stack([a, c, d], -2)])
        parts[part] = tris.reshape(-1, 3, 3)
    return parts


def _dims(shape: dict) -> str:
    """A round solid's kind and dimensions as a cache key (its JSON, keys sorted)."""
    return json.dumps(
        {k: shape.get(k) for k in ("kind", "radius", "radii", "height")}, sort_keys=True
    )


def _mesh(shape: dict, turn: int = MESH_TURN) -> dict[str, np.ndarray]:
    return _revolution(_dims(shape), tuple(shape["center"]), turn)


def _cross_parts(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The three components of row-wise cross products of (..., 3) arrays."""
    a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2]
    b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2]
    return a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise cross products of (..., 3) arrays (np.cross without its axis handling)."""
    return np.stack(_cross_parts(a, b), axis=-1)


def volume(tris: np.ndarray) -> float:
    """Signed volume enclosed by outward triangles (divergence theorem)."""
    c0, c1, c2 = _cross_parts(tris[:, 1], tris[:, 2])
    a = tris[:, 0]
    return float((a[:, 0] * c0 + a[:, 1] * c1 + a[:, 2] * c2).sum() / 6)


def area(tris: np.ndarray) -> float:
    n0, n1, n2 = _cross_parts(tris[:, 1] - tris[:, 0], tris[:, 2] - tris[:, 0])
    return float(np.sqrt(n0 * n0 + n1 * n1 + n2 * n2).sum() / 2)


@lru_cache(maxsize=1024)
def _mesh_measures(key: str, center: tuple, turn: int) -> dict[str, float]:
    """Volume, surface and lateral area of a round solid's mesh at one size."""
    parts = _revolution(key, center, turn)
    areas = {part: area(tris) for part, tris in parts.items()}  # each piece once
    return {
        "volume": sum(volume(tris) for tris in parts.values()),
        "surface_area": sum(areas.values()),
        "lateral_area": areas["side"],
    }


def _all(parts: dict[str, np.ndarray]) -> np.ndarray:
    return np.concatenate(list(parts.values()))


def _limit(measure: Callable[[int], float]) -> float:
    """A mesh measure's limit as the mesh gets finer (Romberg): at 1/4, 1/2 and all of
    MESH_TURN, its errors in 1/turn^2 and 1/turn^4 taken out (what is left falls as
    1/turn^6, under 4e-8 of the value at the default sizes)."""
    coarse, middle, fine = (measure(MESH_TURN // d) for d in (4, 2, 1))
    low, high = (4 * middle - coarse) / 3, (4 * fine - middle) / 3
    return (16 * high - low) / 15


def _round_measure(kind: str, shape: dict, figure: dict) -> float:
    return _round_at(kind, _dims(shape), tuple(shape["center"]))


@lru_cache(maxsize=4096)
def _round_at(kind: str, key: str, center: tuple) -> float:
    """A round solid's measure from its mesh: areas and volume extrapolated to the
    smooth solid (``_limit``), lengths read off the finest mesh's points."""
    if kind in ("volume", "surface_area", "lateral_area"):
        return _limit(lambda turn: _mesh_measures(key, center, turn)[kind])
    verts = _revolution(key, center, MESH_TURN)["side"].reshape(-1, 3) - np.array(center)
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
    corners = tris.reshape(-1, 3)
    for face in faces:
        p = np.array([points[v] for v in face])
        n = _cross(p - p[0], np.concatenate([p[1:], p[:1]]) - p[0]).sum(axis=0)
        n /= np.linalg.norm(n)
        near = np.abs((corners - p[0]) @ n) < 1e-9 * (1 + np.abs(p).max())
        out |= near.reshape(-1, 3).all(axis=1)
    return out


def _keys(tris: np.ndarray) -> np.ndarray:
    """Each triangle's corners, rounded and in a fixed order, as one opaque (bytes) key."""
    r = np.round(tris, 9) + 0.0
    order = np.lexsort((r[..., 2], r[..., 1], r[..., 0]), axis=-1)
    r = np.ascontiguousarray(np.take_along_axis(r, order[..., None], axis=1))
    return r.reshape(len(r), -1).view(np.dtype((np.void, 9 * r.itemsize)))[:, 0]


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    """The surface of solids joined face to face: every triangle of every part, less
    those two parts share (the same corners: a face inside the joined solid)."""
    every = np.concatenate(parts)
    owner = np.repeat(np.arange(len(parts)), [len(tris) for tris in parts])
    # A shared triangle's corners lie in both parts, so in both parts' bounding boxes:
    # only triangles inside another part's box are looked at further. (Coordinates as
    # rows, (3, n): numpy reduces a short middle or last axis slowly.)
    low = np.minimum(np.minimum(every[:, 0], every[:, 1]), every[:, 2]).T.copy()
    high = np.maximum(np.maximum(every[:, 0], every[:, 1]), every[:, 2]).T.copy()
    bounds = np.cumsum([0, *(len(tris) for tris in parts)])
    in_other = np.zeros(len(every), dtype=bool)
    for a, b in itertools.pairwise(bounds):
        box_low, box_high = low[:, a:b].min(axis=1) - 1e-6, high[:, a:b].max(axis=1) + 1e-6
        inside = np.ones(len(every), dtype=bool)
        for axis in range(3):
            inside &= (low[axis] >= box_low[axis]) & (high[axis] <= box_high[axis])
        inside[a:b] = False  # the part's own triangles
        in_other |= inside
    candidates = np.flatnonzero(in_other)
    shared = np.zeros(len(every), dtype=bool)
    if len(candidates):
        tris, owners = every[candidates], owner[candidates]
        # Only triangles whose corners' sum of mixed bits another part also has can be
        # shared (a necessary condition, whatever the corners' order); compare those
        # exactly.
        bits = (np.round(tris, 9) + 0.0).view(np.uint64) * _MIX
        might = _shared_between(bits.sum(axis=(1, 2)), owners)
        if might.any():
            _, key = np.unique(_keys(tris[might]), return_inverse=True)
            shared[candidates[might]] = _shared_between(key, owners[might])
    return every[~shared]


_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64)


def _shared_between(key: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """Which items have a key that an item of another owner also has."""
    # One sort: a run of equal keys is shared when its owners' least and greatest differ.
    order = np.argsort(key, kind="stable")
    sorted_key, sorted_owner = key[order], owner[order]
    starts = np.flatnonzero(np.concatenate([[True], sorted_key[1:] != sorted_key[:-1]]))
    mixed = np.minimum.reduceat(sorted_owner, starts) != np.maximum.reduceat(sorted_owner, starts)
    out = np.empty(len(key), dtype=bool)
    out[order] = np.repeat(mixed, np.diff(np.append(starts, len(key))))
    return out


def _composite_key(shape: dict, shapes: dict, points: dict) -> str:
    """A composite's parts, operation and vertices as JSON (a cache key)."""
    parts = [shapes[n] for n in shape["parts"]]
    names = {v for p in parts for v in p.get("vertices", [])}
    return json.dumps(
        {
            "parts": parts,
            "operation": shape["operation"],
            "points": {n: [float(c) for c in points[n]] for n in sorted(names)},
        },
        sort_keys=True,
    )


def _composite_tris(key: str, turn: int) -> tuple[list[dict], dict, list[np.ndarray]]:
    """A composite's parts, points and each part's triangles at one mesh size."""
    spec = json.loads(key)
    parts, points = spec["parts"], {k: np.array(v) for k, v in spec["points"].items()}
    return parts, points, [_part_triangles(p, points, turn) for p in parts]


@lru_cache(maxsize=16)  # meshes are large: kept for the figure being checked
def _joined_at(key: str, turn: int) -> np.ndarray:
    """The surface of a joined composite (its JSON in ``key``) at one mesh size."""
    surface = _joined(_composite_tris(key, turn)[2])
    surface.flags.writeable = False
    return surface


@lru_cache(maxsize=8192)  # two floats an entry: every composite of a run
def _composite_at(key: str, turn: int) -> tuple[float, float]:
    """Volume and surface area of a composite (its JSON in ``key``) at one mesh size."""
    parts, points, tris = _composite_tris(key, turn)
    if json.loads(key)["operation"] == "cut":
        body, hole = tris
        on = _on_faces(hole, points, parts[0]["faces"])
        return volume(body) - volume(hole), area(body) - area(hole[on]) + area(hole[~on])
    surface = _joined_at(key, turn)
    return volume(surface), area(surface)


def _composite_measure(kind: str, shape: dict, shapes: dict, key: str) -> float:
    """A composite's volume or surface area from its parts' faces and meshes (its JSON in
    ``key``): joined parts lose the faces they share; a cut part's volume is taken away,
    its faces that lie on the body's faces are taken from the body's area and the others
    added."""
    if kind not in ("volume", "surface_area"):
        raise KeyError(kind)
    i = 0 if kind == "volume" else 1
    if all("faces" in shapes[n] for n in shape["parts"]):  # polyhedra: exact at any turn
        return _composite_at(key, MESH_TURN)[i]
    return _limit(lambda turn: _composite_at(key, turn)[i])


def recompute(figure: dict, fact: dict) -> tuple[float, float]:
    """The value of ``fact`` re-derived from ``figure`` and the relative tolerance."""
    return recompute_all(figure, [fact])[0]


def recompute_all(figure: dict, facts: list[dict]) -> list[tuple[float, float]]:
    """``recompute`` of each of ``facts``, the figure read once."""
    points = {k: np.array(v, dtype=float) for k, v in figure["points3d"].items()}
    shapes = {s["name"]: s for s in figure["shapes"]}
    keys: dict[str, str] = {}  # each composite's cache key, made once
    out = []
    for fact in facts:
        kind, of = fact["kind"], fact["of"]
        if kind == "length":
            out.append((float(np.linalg.norm(points[of[0]] - points[of[1]])), POLY_TOL))
            continue
        if kind == "angle":
            a, v, b = (points[n] for n in of)
            u, w = a - v, b - v
            cos = float(np.dot(u, w) / (np.linalg.norm(u) * np.linalg.norm(w)))
            out.append((math.degrees(math.acos(max(-1.0, min(1.0, cos)))), POLY_TOL))
            continue
        shape = shapes[of[0]]
        if "parts" in shape:
            if shape["name"] not in keys:
                keys[shape["name"]] = _composite_key(shape, shapes, points)
            value = _composite_measure(kind, shape, shapes, keys[shape["name"]])
            out.append((value, ROUND_TOL))
        elif "faces" in shape:
            out.append((_poly_measure(kind, shape, points), POLY_TOL))
        else:
            out.append((_round_measure(kind, shape, figure), ROUND_TOL))
    return out


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
            tris += [mine, _mesh(hole, RAY_TURN)["side"]]
        elif "parts" in shape:
            tris.append(_joined_at(_composite_key(shape, shapes, points), RAY_TURN))
        elif "faces" in shape:
            tris.append(_triangles(points, shape["faces"]))
        else:
            tris.append(_all(_mesh(shape, RAY_TURN)))
        count = sum(len(t) for t in tris)
    return np.concatenate(tris), holes


def _hits(
    origins: np.ndarray, direction: np.ndarray, tris: np.ndarray, eps: float, holes=()
) -> np.ndarray:
    """Whether each ray origin + s*direction (s > eps) meets a triangle (Moller-Trumbore),
    not counting a meeting inside a hole: one bool per row of ``origins`` (n, 3)."""
    e1, e2 = tris[:, 1] - tris[:, 0], tris[:, 2] - tris[:, 0]
    p = _cross(direction, e2)
    (t0, t1, t2), (a0, a1, a2), (b0, b1, b2) = tris[:, 0].T, e1.T, e2.T
    p0, p1, p2 = p.T
    det = a0 * p0 + a1 * p1 + a2 * p2
    ok = np.abs(det) > 1e-12
    inv = np.where(ok, 1.0 / np.where(ok, det, 1.0), 0.0)
    d0, d1, d2 = (float(c) for c in direction)
    out = np.zeros(len(origins), dtype=bool)
    # The rays a few at a time against every triangle, as (rays, triangles) arrays.
    step = max(1, 1_000_000 // max(1, len(tris)))
    for first in range(0, len(origins), step):
        o = origins[first : first + step]
        s0, s1, s2 = o[:, 0, None] - t0, o[:, 1, None] - t1, o[:, 2, None] - t2
        u = (s0 * p0 + s1 * p1 + s2 * p2) * inv
        q0, q1, q2 = s1 * a2 - s2 * a1, s2 * a0 - s0 * a2, s0 * a1 - s1 * a0
        v = (q0 * d0 + q1 * d1 + q2 * d2) * inv
        dist = (b0 * q0 + b1 * q1 + b2 * q2) * inv
        hit = ok & (u >= 0) & (v >= 0) & (u + v <= 1) & (dist > eps)
        for where, center, radius in holes:
            at = o[:, None, :] + dist[:, where, None] * direction
            outside = np.hypot(at[..., 0] - center[0], at[..., 1] - center[1]) >= radius
            hit[:, where] &= outside
        out[first : first + step] = hit.any(axis=1)
    return out


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
    corners = np.ascontiguousarray(tris.reshape(-1, 3).T)  # rows: fast reductions
    eps = 1e-6 * float((corners.max(axis=1) - corners.min(axis=1)).max())
    if not len(where):
        return []
    origins = np.array([np.asarray(p, dtype=float) for p in where]).reshape(-1, 3)
    return [bool(h) for h in _hits(origins, toward, tris, eps, holes)]
