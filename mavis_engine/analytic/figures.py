"""Figures on a coordinate grid: exact parameters, their outlines, and their facts."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import shapely
import sympy as sp

from mavis_engine import exact
from mavis_engine.errors import Rejected
from mavis_engine.figure import Fact

KINDS = (
    "circle",
    "ellipse",
    "rectangle",
    "square",
    "triangle",
    "polygon",
    "segment",
    "line",
    "parabola",
    "point",
)
SOLID = ("circle", "ellipse", "rectangle", "square", "triangle", "polygon")
# A figure's parameters in its JSON (the other keys are derived: equation, boundary...).
PARAMS = {"center", "radius", "a", "b", "corner", "width", "height", "vertices", "through"}
PARAMS |= {"span", "vertex", "endpoints", "at"}


@dataclass
class GridFigure:
    """One figure: kind, name, exact parameters, and what it shows and guarantees."""

    kind: str
    name: str
    params: dict[str, Any]  # exact (SymPy) values
    facts: list[Fact] = field(default_factory=list)

    def outline(self, per_turn: int = 128) -> np.ndarray:
        """Model-coordinate polyline (closed for solids)."""
        p = {
            k: (np.array([float(c) for c in v]) if isinstance(v, tuple) else float(v))
            for k, v in self.params.items()
            if not isinstance(v, list)
        }
        if self.kind in ("circle", "ellipse"):
            rx, ry = (p["radius"], p["radius"]) if self.kind == "circle" else (p["a"], p["b"])
            t = np.linspace(0, 2 * np.pi, per_turn + 1)
            return np.column_stack(
                [p["center"][0] + rx * np.cos(t), p["center"][1] + ry * np.sin(t)]
            )
        if self.kind in ("rectangle", "square"):
            (x0, y0), w, h = p["corner"], p["width"], p["height"]
            return np.array([(x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h), (x0, y0)])
        if self.kind in ("triangle", "polygon"):
            vs = np.array([[float(c) for c in v] for v in self.params["vertices"]])
            return np.vstack([vs, vs[:1]])
        if self.kind == "line":  # across the whole view, through its two points
            (x1, y1), (x2, y2) = ([float(c) for c in v] for v in self.params["through"])
            half = float(self.params["span"]) + 1
            dx, dy = x2 - x1, y2 - y1
            far = shapely.LineString(
                [(x1 - 1e3 * dx, y1 - 1e3 * dy), (x1 + 1e3 * dx, y1 + 1e3 * dy)]
            )
            return np.asarray(shapely.box(-half, -half, half, half).intersection(far).coords)
        if self.kind == "parabola":  # the part inside the view; the vertex is a sample point
            (h, k), a = (float(c) for c in self.params["vertex"]), float(self.params["a"])
            half = float(self.params["span"]) + 1
            xs = np.union1d(np.linspace(-half, half, 8 * per_turn), [h])
            ys = a * (xs - h) ** 2 + k
            inside = np.abs(ys) <= half  # one interval: the parabola is convex
            return np.column_stack([xs[inside], ys[inside]])
        if self.kind == "segment":
            return np.array([[float(c) for c in v] for v in self.params["endpoints"]])
        return np.array([[float(c) for c in self.params["at"]]])

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> GridFigure:
        """The figure a row's JSON describes: its exact parameters read back, its facts
        derived again (``to_json`` and this replay each other)."""

        def exact_value(v: Any) -> Any:
            if isinstance(v, list):
                pair = all(isinstance(c, int | float) for c in v)
                return tuple(map(exact_value, v)) if pair else [exact_value(c) for c in v]
            return sp.Rational(str(v))

        params = {k: exact_value(v) for k, v in data.items() if k in PARAMS}
        return grid_figure(data["kind"], data["name"], params)

    def region(self) -> shapely.Geometry:
        """The figure as a shapely geometry (made once: relations ask for it pairwise)."""
        return self._region

    @cached_property
    def _region(self) -> shapely.Geometry:
        ring = self.outline()
        if self.kind in SOLID:
            return shapely.Polygon(ring)
        return shapely.LineString(ring) if len(ring) > 1 else shapely.Point(ring[0])

    def to_json(self) -> dict[str, Any]:
        def js(v):
            if isinstance(v, tuple):
                return [float(c) for c in v]
            if isinstance(v, list):
                return [js(c) for c in v]
            return float(v)

        boundary: list[dict] = []
        if self.kind == "circle":
            boundary = [
                {
                    "circle": {
                        "center": js(self.params["center"]),
                        "radius": js(self.params["radius"]),
                    }
                }
            ]
        data = {"name": self.name, "kind": self.kind, "boundary": boundary}
        if self.kind == "line":
            data["equation"] = line_equation(*self.params["through"])
        if self.kind == "parabola":
            data["equation"] = parabola_equation(self.params["a"], *self.params["vertex"])
        data.update({k: js(v) for k, v in self.params.items()})
        if self.kind == "ellipse":
            data["semi_axes"] = [js(self.params["a"]), js(self.params["b"])]
        return data


def line_equation(p: tuple, q: tuple) -> str:
    """y = m·x + b (or x = c) through two points, exact."""
    if p[0] == q[0]:
        return f"x = {exact.display(sp.sympify(p[0]))}"
    m, b = slope_intercept(p, q)
    shown = exact.display(m)
    coefficient = f"({shown})" if "/" in shown else shown  # (4/7)x, not 4/7x
    slope = {1: "x", -1: "-x"}.get(m, f"{coefficient}x") if m != 0 else ""
    if not slope:
        return f"y = {exact.display(b)}"
    if b == 0:
        return f"y = {slope}"
    return f"y = {slope} {'+' if b > 0 else '-'} {exact.display(abs(b))}"


def through_point(line: dict, point: tuple, relation: str) -> str:
    """The equation of the line through ``point`` parallel or perpendicular to ``line``."""
    (x1, y1), (x2, y2) = line["through"]
    dx, dy = (x2 - x1, y2 - y1) if relation == "parallel" else (y1 - y2, x2 - x1)
    px, py = point
    return line_equation((px, py), (px + dx, py + dy))


def slope_intercept(p: tuple, q: tuple) -> tuple[sp.Expr, sp.Expr]:
    """Exact slope m and y-intercept b of the non-vertical line through p and q."""
    (x1, y1), (x2, y2) = p, q
    m = sp.sympify(y2 - y1) / (x2 - x1)
    return m, sp.sympify(y1) - m * x1


def square_term(v: str, c: sp.Expr) -> str:
    """(x − 2)², (x + 1)², or x² where the centre coordinate is 0."""
    if c == 0:
        return f"{v}²"
    return f"({v} − {exact.display(c)})²" if c > 0 else f"({v} + {exact.display(-c)})²"


def parabola_equation(a: sp.Expr, h: sp.Expr, k: sp.Expr) -> str:
    """y = a(x − h)² + k in vertex form, exact: y = -(x + 1)² + 3, y = 0.5x² − 2."""
    shown = exact.display(a)
    lead = {1: "", -1: "-"}.get(a, shown)
    text = f"y = {lead}{square_term('x', h)}"
    return text if k == 0 else f"{text} {'+' if k > 0 else '−'} {exact.display(abs(k))}"


def circle_equation(cx: sp.Expr, cy: sp.Expr, r2: sp.Expr) -> str:
    """(x − 2)² + (y + 1)² = 9."""
    return f"{square_term('x', cx)} + {square_term('y', cy)} = {exact.display(r2)}"


def ellipse_equation(cx: sp.Expr, cy: sp.Expr, a2: sp.Expr, b2: sp.Expr) -> str:
    """(x − 2)²/9 + (y + 1)²/4 = 1, with no "/1" under a unit semi-axis."""

    def term(v: str, c: sp.Expr, under: sp.Expr) -> str:
        return square_term(v, c) + ("" if under == 1 else f"/{exact.display(under)}")

    return f"{term('x', cx, a2)} + {term('y', cy, b2)} = 1"


def shoelace(vs: list[tuple]) -> sp.Expr:
    """Exact area of a simple polygon from its vertices in order."""
    pairs = zip(vs, vs[1:] + vs[:1], strict=True)
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs)) / 2


def perimeter(vs: list[tuple]) -> sp.Expr:
    """Exact perimeter: the sum of the side lengths (surds)."""
    return sum(side_lengths(vs))


def side_lengths(vs: list[tuple]) -> list[sp.Expr]:
    pairs = zip(vs, vs[1:] + vs[:1], strict=True)
    return [sp.sqrt((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) for a, b in pairs]


PARABOLA_A = ("-2", "-1", "-1/2", "1/2", "1", "2")  # opening factors that keep it readable


def _int(rng: np.random.Generator, lo: int, hi: int) -> sp.Integer:
    return sp.Integer(int(rng.integers(lo, hi + 1)))


def _two_different(rng: np.random.Generator, most: int) -> tuple[sp.Integer, sp.Integer]:
    """Two different integers from 1 to ``most``, in random order."""
    a, b = rng.choice(np.arange(1, most + 1), size=2, replace=False)
    return sp.Integer(int(a)), sp.Integer(int(b))


def sample_figure(rng: np.random.Generator, kind: str, name: str, span: int) -> GridFigure:
    """A figure of ``kind`` with integer parameters inside [-span, span]²."""
    if kind == "circle":
        r = _int(rng, 1, max(1, span // 3))
        params = {"center": (_int(rng, -span + r, span - r), _int(rng, -span + r, span - r))}
        params["radius"] = r
    elif kind == "ellipse":
        a, b = _two_different(rng, max(2, span // 3))  # equal semi-axes: a circle
        params = {"center": (_int(rng, -span + a, span - a), _int(rng, -span + b, span - b))}
        params |= {"a": a, "b": b}
    elif kind in ("rectangle", "square"):
        if kind == "square":
            w = h = _int(rng, 1, max(2, span // 2))
        else:  # equal sides would make a square
            w, h = _two_different(rng, max(2, span // 2))
        params = {"corner": (_int(rng, -span, span - w), _int(rng, -span, span - h))}
        params |= {"width": w, "height": h}
    elif kind == "triangle":
        vs = [(_int(rng, -span, span), _int(rng, -span, span)) for _ in range(3)]
        if shoelace(vs) < 2:
            raise Rejected("degenerate_shape", "a thin triangle")
        params = {"vertices": vs}
    elif kind == "polygon":  # convex, 4 or 5 corners on grid points
        # The hull of six random grid points; kept when it has 4 or 5 corners.
        picked = shapely.MultiPoint(
            [tuple(map(int, rng.integers(-span, span + 1, 2))) for _ in range(6)]
        )
        hull = shapely.geometry.polygon.orient(picked.convex_hull, 1.0)  # counterclockwise
        corners = len(hull.exterior.coords) - 1 if hull.geom_type == "Polygon" else 0
        if corners not in (4, 5) or hull.area < 4:
            raise Rejected("degenerate_shape", "hull with too few or too many corners, or thin")
        params = {
            "vertices": [
                (sp.Integer(round(x)), sp.Integer(round(y))) for x, y in hull.exterior.coords[:-1]
            ]
        }
    elif kind == "line":
        through = [
            (_int(rng, -span + 1, span - 1), _int(rng, -span + 1, span - 1)) for _ in range(2)
        ]
        if through[0] == through[1]:
            raise Rejected("degenerate_shape", "a line needs two distinct points")
        params = {"through": through, "span": sp.Integer(span)}
    elif kind == "parabola":
        vertex = (_int(rng, -span + 2, span - 2), _int(rng, -span + 2, span - 2))
        a = sp.Rational(PARABOLA_A[int(rng.integers(len(PARABOLA_A)))])
        params = {"vertex": vertex, "a": a, "span": sp.Integer(span)}
    elif kind == "segment":
        ends = [(_int(rng, -span, span), _int(rng, -span, span)) for _ in range(2)]
        if ends[0] == ends[1]:
            raise Rejected("degenerate_shape", "a segment of length 0")
        params = {"endpoints": ends}
    else:
        kind, params = "point", {"at": (_int(rng, -span, span), _int(rng, -span, span))}
    return grid_figure(kind, name, params)


def grid_figure(kind: str, name: str, params: dict[str, Any]) -> GridFigure:
    """The figure of ``kind`` with these exact parameters and the facts they give."""
    p, of = params, (name,)
    if kind == "circle":
        r = p["radius"]
        facts = [Fact("radius", of, r), Fact("area", of, sp.pi * r**2)]
        facts.append(Fact("perimeter", of, 2 * sp.pi * r))
    elif kind == "ellipse":
        facts = [
            Fact("semi_axis", of, p["a"], (("axis", "x"),)),
            Fact("semi_axis", of, p["b"], (("axis", "y"),)),
            Fact("area", of, sp.pi * p["a"] * p["b"]),
        ]
    elif kind in ("rectangle", "square"):
        w, h = p["width"], p["height"]
        facts = [Fact("area", of, w * h), Fact("perimeter", of, 2 * (w + h))]
    elif kind in ("triangle", "polygon"):
        vs = p["vertices"]
        facts = [Fact("area", of, shoelace(vs)), Fact("perimeter", of, perimeter(vs))]
    elif kind == "line":
        return line_figure(name, p["through"], int(p["span"]))
    elif kind == "parabola":
        turning = "minimum" if p["a"] > 0 else "maximum"
        facts = [Fact(turning, of, p["vertex"][1], (("x", float(p["vertex"][0])),))]
    elif kind == "segment":
        (x1, y1), (x2, y2) = p["endpoints"]
        facts = [Fact("length", of, sp.sqrt((x2 - x1) ** 2 + (y2 - y1) ** 2))]
        if x2 != x1:
            facts.append(Fact("slope", of, (y2 - y1) / (x2 - x1)))
    else:
        facts = []
    return GridFigure(kind, name, params, facts)


def line_figure(name: str, through: list[tuple], span: int) -> GridFigure:
    """The line through two grid points, with its slope and intercept facts."""
    fig = GridFigure("line", name, {"through": through, "span": sp.Integer(span)})
    if through[0][0] != through[1][0]:
        m, b = slope_intercept(*through)
        fig.facts = [Fact("slope", (name,), m), Fact("intercept", (name,), b, (("axis", "y"),))]
    return fig


# Unit normals (a, b)/n of lines through grid points whose distance to a grid point can be
# any whole number: n = √(a² + b²) is an integer (3-4-5), so tangents need not be axis-aligned.
NORMALS = ((1, 0, 1), (0, 1, 1), (3, 4, 5), (4, 3, 5), (3, -4, 5), (4, -3, 5))


def tangent_line(rng: np.random.Generator, circle: GridFigure, name: str, span: int) -> GridFigure:
    """A line through two grid points that touches ``circle`` (integer centre and radius)."""
    (cx, cy), r = circle.params["center"], circle.params["radius"]
    a, b, n = NORMALS[int(rng.integers(len(NORMALS)))]
    c = -(a * cx + b * cy) + int(rng.choice((-1, 1))) * r * n  # a·x + b·y + c = 0
    return _line_on(rng, (a, b, c), name, span, circle)


def chord_line(rng: np.random.Generator, circle: GridFigure, name: str, span: int) -> GridFigure:
    """A line through two of the grid points where ``circle`` meets its own axes (so it
    cuts the circle at grid points), drawn through two other grid points of it."""
    (cx, cy), r = circle.params["center"], circle.params["radius"]
    rim = [(cx + r, cy), (cx, cy + r), (cx - r, cy), (cx, cy - r)]
    i, j = rng.choice(4, size=2, replace=False)
    (x1, y1), (x2, y2) = rim[i], rim[j]
    a, b = y2 - y1, x1 - x2
    return _line_on(rng, (a, b, -(a * x1 + b * y1)), name, span, circle)


def _line_on(
    rng: np.random.Generator, abc: tuple, name: str, span: int, circle: GridFigure
) -> GridFigure:
    """The line a·x + b·y + c = 0 through two random grid points of it in view, neither on
    ``circle`` (a labelled point there would show where the two meet)."""
    a, b, c = abc
    (cx, cy), r = circle.params["center"], circle.params["radius"]
    inner = range(-span + 1, span)
    on_line = [
        (x, y)
        for x in inner
        for y in inner
        if a * x + b * y + c == 0 and (x - cx) ** 2 + (y - cy) ** 2 != r**2
    ]
    if len(on_line) < 2:
        raise Rejected("degenerate_shape", "the line passes too few grid points in view")
    i, j = sorted(rng.choice(len(on_line), size=2, replace=False))
    return line_figure(name, [tuple(map(sp.Integer, on_line[k])) for k in (i, j)], span)


def extent(fig: GridFigure) -> tuple[sp.Expr, ...] | None:
    """Exact bounding box (x0, y0, x1, y1); None for lines and parabolas (they leave the view)."""
    p = fig.params
    if fig.kind in ("circle", "ellipse"):
        (cx, cy) = p["center"]
        rx, ry = (p["radius"],) * 2 if fig.kind == "circle" else (p["a"], p["b"])
        return cx - rx, cy - ry, cx + rx, cy + ry
    if fig.kind in ("rectangle", "square"):
        (x, y), w, h = p["corner"], p["width"], p["height"]
        return x, y, x + w, y + h
    pts = p.get("vertices") or p.get("endpoints") or ([p["at"]] if "at" in p else None)
    if pts is None:
        return None
    xs, ys = [v[0] for v in pts], [v[1] for v in pts]
    return min(xs), min(ys), max(xs), max(ys)


def line_circle_gap(line: GridFigure, circle: GridFigure) -> sp.Expr:
    """Exact (distance from the circle's centre to the line)² − radius²: 0 means tangent."""
    (x1, y1), (x2, y2) = line.params["through"]
    (cx, cy), r = circle.params["center"], circle.params["radius"]
    cross = (x2 - x1) * (cy - y1) - (y2 - y1) * (cx - x1)
    return sp.Rational(cross**2, (x2 - x1) ** 2 + (y2 - y1) ** 2) - r**2


def relation(a: GridFigure, b: GridFigure) -> str:
    """How figure ``a`` sits relative to ``b``, from their coordinates."""
    if {a.kind, b.kind} == {"line", "circle"}:  # exact: tangency is a matter of equality
        gap = line_circle_gap(*sorted((a, b), key=lambda f: f.kind != "line"))
        if gap <= 0:
            return "is tangent to" if gap == 0 else "crosses"
    ra, rb = a.region(), b.region()
    if b.kind not in SOLID and ra.contains(rb):
        return "contains"
    if a.kind not in SOLID and rb.contains(ra):
        return "lies inside"
    if ra.intersects(rb):
        return "crosses"
    # The first side that holds: a caption's "A is to the left of B" may leave out that A
    # is also below B (true, if incomplete); a question asks only where one side holds.
    return (sides(extent(a) or ra.bounds, extent(b) or rb.bounds) or ["does not touch"])[0]


def sides(box: tuple, other: tuple) -> list[str]:
    """Every side of the box ``other`` (x0, y0, x1, y1) that ``box`` lies wholly on, in the
    order left, right, above, below: two of them for a box off a corner, none where the
    ranges overlap on both axes."""
    (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = box, other
    held = (
        ("is to the left of", ax1 < bx0),
        ("is to the right of", ax0 > bx1),
        ("is above", ay0 > by1),
        ("is below", ay1 < by0),
    )
    return [name for name, holds in held if holds]


# The least gap, in grid units, between figures drawn apart (or between a figure and the
# outline of the closed figure holding it): 6 px at the widest grid of a 512 px image, so a
# point's marker and a line's stroke do not seem to touch where the caption says they don't.
MIN_GAP = 0.3


def near_misses(figures: list[GridFigure]) -> list[str]:
    """Pairs of figures that do not meet but are drawn closer than ``MIN_GAP``: a point
    beside a line, a line passing a corner, a point just inside a circle's rim."""
    out = []
    for a, b in itertools.combinations(figures, 2):
        how = relation(a, b)
        if how in ("is tangent to", "crosses"):
            continue  # they meet, and the picture shows it
        if how in ("contains", "lies inside"):  # the gap to the holding figure's outline
            outer, inner = (a, b) if how == "contains" else (b, a)
            if outer.kind not in SOLID:
                continue  # a point on a line or segment: on it, gap 0
            gap = outer.region().boundary.distance(inner.region())
        else:
            gap = a.region().distance(b.region())
        if 0 < gap < MIN_GAP:
            out.append(f"{a.name} and {b.name} are {gap:.2f} apart, drawn as if touching")
    return out
