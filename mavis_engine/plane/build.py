"""Plane-geometry parameters and the pure build: params -> Figure.

``sample_params`` holds all the randomness of the maths; ``build`` is a pure function of
the params, so any row can be replayed from the params stored with it.
"""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass

import numpy as np
import shapely
import sympy as sp

from mavis_engine import exact
from mavis_engine.errors import Rejected
from mavis_engine.figure import Circle, Fact, Figure, Piece, Segment, Shape, outline
from mavis_engine.plane.shapes import KINDS, Builder, Edge, Params

# Clearance between a new shape and the figure, away from the shared edge, as a fraction
# of the figure's extent: below it letters and labels have no room.
GAP = 0.03
# GEOS overlays go wrong on float-noisy shared edges (a union that drops whole shapes was
# seen); snapping to a fine grid makes them robust.
GRID = 1e-9


@dataclass(frozen=True)
class Step:
    """One shape: its kind, parameters, where it attaches and whether it has an incircle."""

    kind: str
    params: Params
    edge_pick: float
    incircle: bool = False


@dataclass(frozen=True)
class PlaneParams:
    """Everything random about one plane figure."""

    base_length: int
    steps: tuple[Step, ...]

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> PlaneParams:
        return cls(data["base_length"], tuple(Step(**s) for s in data["steps"]))


def sample_params(
    rng: np.random.Generator,
    depth: tuple[int, int],
    kinds: tuple[str, ...],
    base_length: tuple[int, int],
    incircle_prob: float,
) -> PlaneParams:
    """Draw the parameters of one figure from the params stream."""
    n_shapes = int(rng.integers(depth[0], depth[1] + 1))
    steps = []
    for _ in range(n_shapes):
        kind = kinds[int(rng.integers(len(kinds)))]
        params = KINDS[kind].sample(rng)
        incircle = KINDS[kind].inscribable and bool(rng.random() < incircle_prob)
        steps.append(Step(kind, params, float(rng.random()), incircle))
    return PlaneParams(int(rng.integers(base_length[0], base_length[1] + 1)), tuple(steps))


def _letters() -> Iterator[str]:
    yield from string.ascii_uppercase
    raise Rejected("too_many_points", "more than 26 vertices")


def _incenter(vs: np.ndarray) -> np.ndarray:
    """Where the interior angle bisectors of a tangential polygon meet (those of the first
    two vertices suffice)."""

    def bisector(i: int) -> np.ndarray:
        a, b = vs[i - 1] - vs[i], vs[(i + 1) % len(vs)] - vs[i]
        return a / np.linalg.norm(a) + b / np.linalg.norm(b)

    # vs[0] + s * d0 = vs[1] + t * d1
    d0, d1 = bisector(0), bisector(1)
    s, _ = np.linalg.solve(np.column_stack([d0, -d1]), vs[1] - vs[0])
    return vs[0] + s * d0


def _incircle(shape: Shape, points: dict[str, tuple[float, float]]) -> Shape:
    radius = shape.inradius
    center = _incenter(np.array([points[v] for v in shape.vertices]))
    name = f"incircle({shape.name})"
    facts = [
        Fact("radius", (name,), radius),
        Fact("area", (name,), sp.pi * radius**2),
        Fact("perimeter", (name,), 2 * sp.pi * radius),
    ]
    circle = Circle((float(center[0]), float(center[1])), exact.to_float(radius))
    return Shape(name, "inscribed_circle", [], [circle], facts=facts, details={"in": shape.name})


def _exposed_edges(solids: list[Shape], last_only: bool) -> list[tuple[str, str]]:
    """Straight edges used by one shape only (of the last shape, or of any)."""
    uses = Counter(
        frozenset((p.a, p.b)) for s in solids for p in s.boundary if isinstance(p, Segment)
    )
    return [
        (p.a, p.b)
        for s in (solids[-1:] if last_only else solids)
        for p in s.boundary
        if isinstance(p, Segment) and uses[frozenset((p.a, p.b))] == 1
    ]


def _hull(shape: Shape, points: dict) -> shapely.Polygon:
    # Hulls, not outlines: nothing may sit in an inward notch, where it would read as
    # part of the notched shape.
    return shapely.convex_hull(shapely.Polygon(outline(shape, points)))


def _check_clear(
    body: shapely.Polygon,
    hulls: list[shapely.Polygon],
    new: Shape,
    points: dict,
    shared: tuple[str, str],
) -> None:
    """Reject a shape that overlaps the figure or crowds it away from the shared edge."""
    bounds = np.array([g.bounds for g in [body, *hulls]])
    gap = GAP * max(np.ptp(bounds[:, [0, 2]]), np.ptp(bounds[:, [1, 3]]))
    overlap = shapely.area(shapely.intersection(body, hulls, grid_size=GRID))
    if overlap.max() > 1e-9 * body.area:
        raise Rejected("overlap", f"{new.name} overlaps the figure")
    edge = shapely.LineString([points[shared[0]], points[shared[1]]])
    away = shapely.difference(body, edge.buffer(3 * gap), grid_size=GRID)
    if not away.is_empty and shapely.distance(away, hulls).min() < gap:
        raise Rejected("overlap", f"{new.name} crowds the figure")
    new_names = set(new.vertices) - set(shared)
    old = np.array([xy for name, xy in points.items() if name not in new_names])
    for name in new_names:
        if np.min(np.linalg.norm(old - np.asarray(points[name]), axis=1)) < 2 * gap:
            raise Rejected("vertex_collision", f"{name} lands on another vertex")


def build(params: PlaneParams) -> Figure:
    """Build the exact figure described by ``params`` (pure; raises Rejected)."""
    names = _letters()
    a, b = next(names), next(names)
    L0 = sp.Integer(params.base_length)
    points: dict[str, tuple[float, float]] = {a: (0.0, 0.0), b: (float(L0), 0.0)}
    lengths: dict[frozenset, exact.Expr] = {frozenset((a, b)): L0}
    shapes: list[Shape] = []  # in drawing order, inscribed circles included
    solids: list[Shape] = []
    hulls: list[shapely.Polygon] = []
    for i, step in enumerate(params.steps):
        if i == 0:
            start, end = a, b
        else:
            edges = _exposed_edges(solids, last_only=True) or _exposed_edges(solids, False)
            if not edges:
                raise Rejected("no_free_edge")
            # The figure runs counter-clockwise; the new shape takes the edge reversed.
            end, start = edges[int(step.edge_pick * len(edges))]
        edge = Edge(
            start,
            end,
            np.asarray(points[start]),
            np.asarray(points[end]),
            lengths[frozenset((start, end))],
        )
        builder = Builder(step.kind, edge, names)
        shape = KINDS[step.kind].build(builder, step.params)
        for name, xy in builder.coords.items():
            points[name] = (float(xy[0]), float(xy[1]))
        hull = _hull(shape, points)
        if i == 0:
            shape.givens.insert(0, Fact("length", (a, b), L0))
        else:
            shape.attached_to = (start, end)
            _check_clear(hull, hulls, shape, points, (start, end))
        hulls.append(hull)
        for fact in shape.facts:
            if fact.kind == "length":
                lengths[frozenset(fact.of)] = fact.exact
        shapes.append(shape)
        solids.append(shape)
        if step.incircle:
            shapes.append(_incircle(shape, points))
    return Figure(points, shapes, _collect_facts(shapes))


def _collect_facts(shapes: list[Shape]) -> list[Fact]:
    """Facts of every shape (each segment once) plus the whole figure's area and perimeter."""
    facts: list[Fact] = []
    seen: set = set()
    for shape in shapes:
        for fact in shape.facts:
            key = (fact.kind, frozenset(fact.of)) if fact.kind == "length" else (fact.kind, fact.of)
            if key not in seen:
                seen.add(key)
                facts.append(fact)
    solids = [s for s in shapes if s.kind != "inscribed_circle"]
    length_of = {frozenset(f.of): f.exact for f in facts if f.kind == "length"}
    pieces: list[Piece] = [p for s in solids for p in s.boundary]
    uses = Counter(frozenset((p.a, p.b)) for p in pieces if isinstance(p, Segment))
    perimeter = sp.Integer(0)
    for s in solids:
        for p in s.boundary:
            if isinstance(p, Segment) and uses[frozenset((p.a, p.b))] == 1:
                perimeter += length_of[frozenset((p.a, p.b))]
        perimeter += sum((f.exact for f in s.facts if f.kind == "arc_length"), sp.Integer(0))
    area = sum(
        (f.exact for s in solids for f in s.facts if f.kind == "area" and f.of == (s.name,)),
        sp.Integer(0),
    )
    facts += [Fact("area", ("*",), area), Fact("perimeter", ("*",), perimeter)]
    return facts
