"""The Figure: the contract between the maths, the picture and the words.

Model coordinates are floats (y up); every measure is an exact SymPy value in a Fact.
The renderer and the text layer read only this structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from mavis_engine import exact

# Model coordinates are written to 9 decimals: far below any tolerance, and float noise
# such as 7e-16 reads as the 0 it is.
DIGITS = 9


def _coords(xy: tuple[float, float]) -> list[float]:
    return [round(float(v), DIGITS) + 0.0 for v in xy]  # + 0.0 turns -0.0 into 0.0


@dataclass(frozen=True)
class Segment:
    """A straight boundary piece between two named points."""

    a: str
    b: str

    def to_json(self) -> dict[str, Any]:
        return {"segment": [self.a, self.b]}


@dataclass(frozen=True)
class Arc:
    """A circular boundary piece from one named point to another around ``center``."""

    start: str
    end: str
    center: tuple[float, float]
    radius: float
    ccw: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "arc": {
                "from": self.start,
                "to": self.end,
                "center": _coords(self.center),
                "radius": round(self.radius, DIGITS),
                "ccw": self.ccw,
            }
        }


@dataclass(frozen=True)
class Circle:
    """A whole circle (an inscribed-circle decoration); it has no named points."""

    center: tuple[float, float]
    radius: float

    def to_json(self) -> dict[str, Any]:
        return {"circle": {"center": _coords(self.center), "radius": round(self.radius, DIGITS)}}


Piece = Segment | Arc | Circle


@dataclass(frozen=True)
class Fact:
    """One exact measure: ``kind`` of the named things in ``of``."""

    kind: str
    of: tuple[str, ...]
    exact: exact.Expr
    # Where a function fact sits: ("x", ...) for zeros, extrema, values; ("axis", "x") for a
    # vertical asymptote; ("from", ...), ("to", ...) for integrals. Floats, as the contract.
    where: tuple[tuple[str, Any], ...] = ()

    @property
    def value(self) -> float:
        return exact.to_float(self.exact)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "of": list(self.of),
            "exact": exact.to_str(self.exact),
            "value": self.value,
            **dict(self.where),
        }


@dataclass
class Shape:
    """A named shape: its outline in order and what the text layer needs to describe it."""

    name: str
    kind: str
    vertices: list[str]
    boundary: list[Piece]
    givens: list[Fact] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    right_angles: list[tuple[str, str, str]] = field(default_factory=list)
    attached_to: tuple[str, str] | None = None
    details: dict[str, Any] = field(default_factory=dict)
    inradius: exact.Expr | None = None  # set by kinds that have an inscribed circle

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "boundary": [piece.to_json() for piece in self.boundary],
            **({"attached_to": list(self.attached_to)} if self.attached_to else {}),
            **self.details,
        }


Points = dict[str, tuple[float, float]]


def arc_sweep(arc: Arc, points: Points) -> tuple[float, float]:
    """Start angle and signed sweep (radians, counter-clockwise positive) of an arc."""
    cx, cy = arc.center
    t0 = np.arctan2(points[arc.start][1] - cy, points[arc.start][0] - cx)
    t1 = np.arctan2(points[arc.end][1] - cy, points[arc.end][0] - cx)
    sweep = (t1 - t0) % (2 * np.pi) if arc.ccw else -((t0 - t1) % (2 * np.pi))
    return float(t0), float(sweep)


def piece_points(piece: Piece, points: Points, per_turn: int = 96) -> np.ndarray:
    """A boundary piece as a polyline from its start to its end (a circle closes itself)."""
    if isinstance(piece, Segment):
        return np.array([points[piece.a], points[piece.b]], dtype=float)
    if isinstance(piece, Arc):
        t0, sweep = arc_sweep(piece, points)
        k = max(4, int(abs(sweep) / (2 * np.pi) * per_turn))
        t = t0 + np.linspace(0.0, sweep, k + 1)
    else:
        t = np.linspace(0.0, 2 * np.pi, per_turn + 1)
    cx, cy = piece.center
    return np.column_stack([cx + piece.radius * np.cos(t), cy + piece.radius * np.sin(t)])


def outline(shape: Shape, points: Points, per_turn: int = 96) -> np.ndarray:
    """The shape's closed outline as a polyline (arcs sampled), model coordinates."""
    return np.concatenate([piece_points(p, points, per_turn)[:-1] for p in shape.boundary])


@dataclass
class Figure:
    """Named points, shapes and the facts they guarantee; pixels are filled by the renderer."""

    points: dict[str, tuple[float, float]]
    shapes: list[Shape]
    facts: list[Fact]
    width: int = 0
    height: int = 0
    pixels: dict[str, tuple[float, float]] = field(default_factory=dict)
    labels: list[dict[str, Any]] = field(default_factory=list)
    transform: list[list[float]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "width": self.width,
            "height": self.height,
            "points": {k: _coords(xy) for k, xy in self.points.items()},
            "pixels": {k: [round(v, 2) for v in xy] for k, xy in self.pixels.items()},
            "labels": self.labels,
            "shapes": self._shapes_json,
            "transform": self.transform,
        }

    @cached_property
    def _shapes_json(self) -> list[dict[str, Any]]:
        # The shapes are final once built, while a problem renders the figure (and asks
        # for its JSON) once per look: make their JSON once.
        return [shape.to_json() for shape in self.shapes]

    def facts_json(self) -> list[dict[str, Any]]:
        return [fact.to_json() for fact in self.facts]
