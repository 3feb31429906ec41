"""Questions about how figures meet and sit: where a line cuts a circle, the distance from
a centre to a line (tangency), which figure holds a point, and where one figure lies
relative to another. Each answer comes from exact arithmetic on the coordinates."""

from __future__ import annotations

import math

import numpy as np
import shapely
import sympy as sp

from mavis_engine import exact
from mavis_engine.analytic.figures import (
    SOLID,
    GridFigure,
    circle_equation,
    extent,
    line_equation,
    relation,
    square_term,
)
from mavis_engine.analytic.question import GridProblem, d, point_text, signed
from mavis_engine.errors import Rejected
from mavis_engine.figure import Fact

NO_INTERSECTION = "no intersection"
NO_FIGURE = "none of the figures"
DIRECTIONS = {  # relation → (answer, its opposite, the two on the other axis)
    "is to the left of": ("to the left of", "to the right of", ("above", "below")),
    "is to the right of": ("to the right of", "to the left of", ("above", "below")),
    "is above": ("above", "below", ("to the left of", "to the right of")),
    "is below": ("below", "above", ("to the left of", "to the right of")),
}


def line_circle_points(through: list[tuple], center: tuple, r2: sp.Expr) -> list[tuple]:
    """Exact common points of the line through two points and (x−a)² + (y−b)² = r2,
    ordered by x then y."""
    (x1, y1), (x2, y2) = through
    (cx, cy) = center
    dx, dy = x2 - x1, y2 - y1
    # The line as (x1, y1) + t·(dx, dy): a quadratic in t.
    qa = dx**2 + dy**2
    qb = 2 * (dx * (x1 - cx) + dy * (y1 - cy))
    qc = (x1 - cx) ** 2 + (y1 - cy) ** 2 - r2
    disc = sp.sympify(qb**2 - 4 * qa * qc)
    if disc < 0:
        return []
    roots = {(-qb + s * sp.sqrt(disc)) / (2 * qa) for s in (-1, 1)}
    pts = [(sp.expand(x1 + t * dx), sp.expand(y1 + t * dy)) for t in roots]
    return sorted(pts, key=lambda p: (exact.to_float(p[0]), exact.to_float(p[1])))


def points_text(pts: list[tuple]) -> str | None:
    """ "(1, 2) and (3 + √2, 4)", "(1, 2)", or "no intersection"; None where a coordinate
    has no short form (or one past what a reader works out by hand)."""
    if not pts:
        return NO_INTERSECTION
    if any(_too_long(c) for p in pts for c in p):
        return None
    shown = [(exact.nice(x), exact.nice(y)) for x, y in pts]
    if any(c is None for p in shown for c in p):
        return None
    return " and ".join(f"({x}, {y})" for x, y in shown)


def _too_long(v: sp.Expr) -> bool:
    """A denominator over 10 or the root of a number over 100."""
    return any(r.q > 10 for r in v.atoms(sp.Rational)) or any(
        p.base > 100 for p in v.atoms(sp.Pow) if p.exp == sp.S.Half
    )


def _equation(terms: list[tuple[sp.Expr, str]]) -> str:
    """Σ coefficient·term = 0 as text: 2x² − 4x + 1 = 0, 3x − 4y + 12 = 0 (unit and zero
    coefficients left out)."""
    parts = [
        ("-" if c < 0 else "+", ("" if abs(c) == 1 and term else d(abs(c))) + term)
        for c, term in terms
        if c != 0
    ]
    head, *rest = parts
    text = ("-" if head[0] == "-" else "") + head[1]
    return "".join([text, *(f" {'−' if s == '-' else '+'} {body}" for s, body in rest), " = 0"])


def short_intersection(line: GridFigure, circle: GridFigure) -> bool:
    """Whether the common points of ``line`` and ``circle`` have short exact forms."""
    (cx, cy), r = circle.params["center"], circle.params["radius"]
    return points_text(line_circle_points(line.params["through"], (cx, cy), r**2)) is not None


def intersection(line: GridFigure, circle: GridFigure) -> GridProblem:
    """Where line ``line`` meets circle ``circle``: two points, one (tangent), or none."""
    through = line.params["through"]
    (cx, cy), r = circle.params["center"], circle.params["radius"]
    pts = line_circle_points(through, (cx, cy), r**2)
    label = points_text(pts)
    if label is None:
        raise Rejected("no_question", "intersection points without a short exact form")
    (x1, y1), (x2, y2) = through
    ring = circle_equation(cx, cy, r**2)
    steps = [f"Line {line.name} is {line_equation(*through)}; circle {circle.name} is {ring}."]
    if x1 == x2:  # vertical: solve for y directly
        rest = r**2 - (x1 - cx) ** 2
        steps.append(
            f"Put x = {d(x1)} into the circle: {square_term('y', cy)} = {d(r**2)} − "
            f"({d(x1)} − {signed(cx)})² = {d(rest)}."
        )
        sign, solve = rest, f"y = {d(cy)} ± √{d(rest)} = {d(cy)} ± {d(sp.sqrt(abs(rest)))}"
    else:
        m = sp.Rational(y2 - y1, x2 - x1)
        b = y1 - m * x1
        coefficients = [1 + m**2, 2 * (m * (b - cy) - cx), cx**2 + (b - cy) ** 2 - r**2]
        # Cleared of fractions and common factors: the same roots, smaller numbers.
        scale = sp.Rational(
            sp.ilcm(*(c.q for c in coefficients)), sp.igcd(*(c.p for c in coefficients))
        )
        qa, qb, qc = (c * scale for c in coefficients)
        sign = qb**2 - 4 * qa * qc
        slope_form = line_equation(*through)[4:]
        steps += [
            f"Substitute y = {slope_form} and clear fractions: "
            + _equation([(qa, "x²"), (qb, "x"), (qc, "")])
            + ".",
            f"Its discriminant is {signed(qb)}² − 4·{signed(qa)}·{signed(qc)} = {d(sign)}.",
        ]
        solve = f"x = ({d(-qb)} ± {d(sp.sqrt(abs(sign)))}) / {d(2 * qa)} with y = {slope_form}"
    count = 0 if sign < 0 else 1 if sign == 0 else 2  # (the roots are used only when real)
    if count != len(pts):  # two derivations of the same count must agree
        raise Rejected("fact_mismatch", f"{count} intersections by the discriminant, {len(pts)}")
    steps.append(
        {
            0: "That is negative: the line misses the circle.",
            1: f"That is zero: the line is tangent to the circle and touches it at {label}.",
            2: f"That is positive: {solve} give the two crossing points {label}.",
        }[count]
    )
    swapped = points_text([(y, x) for x, y in pts])
    wrong = [
        ("centre's signs flipped", points_text(line_circle_points(through, (-cx, -cy), r**2))),
        ("r instead of r²", points_text(line_circle_points(through, (cx, cy), r))),
        ("coordinates swapped", swapped),
        ("one of two points dropped", points_text(pts[:1]) if count == 2 else None),
        ("discriminant's sign misread", NO_INTERSECTION if count else None),
        ("the centre given", point_text(cx, cy)),
    ]
    return GridProblem(
        line,
        Fact("intersection", (line.name, circle.name), sp.S.Zero),
        f"the intersection points of line {line.name} and circle {circle.name}",
        steps,
        [(name, text) for name, text in wrong if text is not None],
        label,
        needs=[line, circle],
        asked=f"What are the intersection points of line {line.name} and circle {circle.name}?",
        concluded=f"So the intersection points of line {line.name} and circle {circle.name} "
        "are: {answer}.",
    )


def general_form(through: list[tuple]) -> tuple[int, int, int]:
    """Integers (a, b, c), a·x + b·y + c = 0 through two grid points, in lowest terms."""
    (x1, y1), (x2, y2) = through
    a, b = int(y2 - y1), int(x1 - x2)
    c = -(a * int(x1) + b * int(y1))
    g = math.gcd(a, b, c) * (-1 if (a, b) < (0, 0) else 1)
    return a // g, b // g, c // g


def centre_distance(line: GridFigure, circle: GridFigure) -> GridProblem:
    """The distance from a circle's centre to a line, and what it says about tangency."""
    a, b, c = general_form(line.params["through"])
    (cx, cy), r = circle.params["center"], circle.params["radius"]
    top = a * cx + b * cy + c
    dist = abs(top) / sp.sqrt(a**2 + b**2)
    compare = "<" if dist < r else "=" if dist == r else ">"
    verdict = {
        "<": "so the line crosses the circle",
        "=": "so the line is tangent to the circle",
        ">": "so the line misses the circle",
    }[compare]
    steps = [
        f"Line {line.name} in general form: {_equation([(a, 'x'), (b, 'y'), (c, '')])}.",
        f"Distance from the centre {point_text(cx, cy)}: |a·x0 + b·y0 + c| / √(a² + b²) = "
        f"|{d(a)}·{signed(cx)} + {signed(b)}·{signed(cy)} + {signed(c)}| / √{d(a**2 + b**2)} "
        f"= {d(dist)}.",
        f"The radius is {d(r)} and {d(dist)} {compare} {d(r)}, {verdict}.",
    ]
    wrong = [
        ("forgot the absolute value", top / sp.sqrt(a**2 + b**2)),
        ("forgot the square root", sp.Rational(abs(top), a**2 + b**2)),
        ("no division by √(a² + b²)", abs(top)),
        ("the radius given", r),
    ]
    return GridProblem(
        line,
        Fact("distance", (circle.name, line.name), dist),
        f"the distance from the centre of circle {circle.name} to line {line.name}",
        steps,
        wrong,
        needs=[line, circle],
    )


def _inside(fig: GridFigure, x: int, y: int) -> int:
    """+1 strictly inside, 0 on the boundary, -1 outside (exact)."""
    p = fig.params
    if fig.kind in ("circle", "ellipse"):
        (cx, cy) = p["center"]
        rx, ry = (p["radius"],) * 2 if fig.kind == "circle" else (p["a"], p["b"])
        s = (x - cx) ** 2 * ry**2 + (y - cy) ** 2 * rx**2 - rx**2 * ry**2
        return -int(sp.sign(s))
    if fig.kind in ("rectangle", "square"):
        x0, y0, x1, y1 = extent(fig)
        return int(min(sp.sign(x - x0), sp.sign(x1 - x), sp.sign(y - y0), sp.sign(y1 - y)))
    return int(min(sp.sign(c) for c in _edge_crosses(fig, x, y)))


def _edge_crosses(fig: GridFigure, x: int, y: int) -> list[sp.Expr]:
    """Cross products of each edge (counterclockwise) with the point: all > 0 inside."""
    vs = list(fig.params["vertices"])
    edges = list(zip(vs, vs[1:] + vs[:1], strict=True))
    turn = 1 if sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in edges) > 0 else -1
    return [turn * ((x2 - x1) * (y - y1) - (y2 - y1) * (x - x1)) for (x1, y1), (x2, y2) in edges]


def _membership(fig: GridFigure, x: int, y: int) -> str:
    """One rationale line: why (x, y) is inside or outside ``fig``."""
    p, inside = fig.params, _inside(fig, x, y) > 0
    where = "inside" if inside else "outside"
    if fig.kind == "circle":
        (cx, cy), r = p["center"], p["radius"]
        s = (x - cx) ** 2 + (y - cy) ** 2
        return (
            f"Circle {fig.name}: ({x} − {signed(cx)})² + ({y} − {signed(cy)})² = {d(s)} "
            f"{'<' if inside else '>'} r² = {d(r**2)}, so it is {where}."
        )
    if fig.kind == "ellipse":
        (cx, cy), a, b = p["center"], p["a"], p["b"]
        s = sp.Rational((x - cx) ** 2, a**2) + sp.Rational((y - cy) ** 2, b**2)
        return (
            f"Ellipse {fig.name}: ({x} − {signed(cx)})²/{d(a**2)} + ({y} − {signed(cy)})²/"
            f"{d(b**2)} = {d(s)} {'<' if inside else '>'} 1, so it is {where}."
        )
    if fig.kind in ("rectangle", "square"):
        x0, y0, x1, y1 = extent(fig)
        return (
            f"{fig.kind.capitalize()} {fig.name} covers x from {d(x0)} to {d(x1)} and y from "
            f"{d(y0)} to {d(y1)}, so it is {where}."
        )
    crosses = ", ".join(d(c) for c in _edge_crosses(fig, x, y))
    return (
        f"{fig.kind.capitalize()} {fig.name}: the edge cross products, counterclockwise, are "
        f"{crosses}; {'all positive' if inside else 'one is negative'}, so it is {where}."
    )


def containment(rng: np.random.Generator, figures: list[GridFigure], span: int) -> GridProblem:
    """Which closed figure holds a grid point (or none), each membership shown exactly."""
    solids = [f for f in figures if f.kind in SOLID]
    chosen = int(rng.integers(len(solids) + 1))  # the last choice: in none of them
    grid = [(x, y) for x in range(-span, span + 1) for y in range(-span, span + 1)]
    if chosen < len(solids):
        spots = [(x, y) for x, y in grid if _inside(solids[chosen], x, y) > 0]
    else:
        spots = [(x, y) for x, y in grid if all(_inside(f, x, y) < 0 for f in solids)]
    if not spots:
        raise Rejected("no_question", "no grid point strictly inside the figure")
    x, y = spots[int(rng.integers(len(spots)))]
    names = [f"{f.kind} {f.name}" for f in solids]
    label = names[chosen] if chosen < len(solids) else NO_FIGURE
    here = shapely.Point(x, y)
    nearest = sorted(
        (f for i, f in enumerate(solids) if i != chosen), key=lambda f: f.region().distance(here)
    )
    wrong = [("a neighbouring figure", f"{f.kind} {f.name}") for f in nearest]
    if chosen < len(solids):
        wrong.insert(1, ("outside every figure assumed", NO_FIGURE))
    if len(solids) == 2:  # the two never overlap, so "both" is always wrong
        wrong.append(("figures assumed to overlap", f"both {names[0]} and {names[1]}"))
    steps = [_membership(f, x, y) for f in solids]
    return GridProblem(
        solids[chosen] if chosen < len(solids) else solids[0],
        Fact("contains", tuple(f.name for f in solids), sp.S.Zero, (("at", [x, y]),)),
        f"which figure contains the point ({x}, {y})",
        steps,
        wrong,
        label,
        needs=[],
        marks={"P": (float(x), float(y))},
        asked=f"Which figure contains the point ({x}, {y})?",
        concluded=f"So the point ({x}, {y}) lies in {{answer}}.",
    )


def position(a: GridFigure, b: GridFigure) -> GridProblem:
    """Where ``a`` lies relative to ``b``, from the ranges their coordinates cover."""
    answer, opposite, others = DIRECTIONS[relation(a, b)]
    (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = extent(a), extent(b)
    if answer in ("to the left of", "to the right of"):
        ranges = f"x from {d(ax0)} to {d(ax1)}", f"x from {d(bx0)} to {d(bx1)}"
        edge = f"{d(ax1)} < {d(bx0)}" if answer == "to the left of" else f"{d(ax0)} > {d(bx1)}"
    else:
        ranges = f"y from {d(ay0)} to {d(ay1)}", f"y from {d(by0)} to {d(by1)}"
        edge = f"{d(ay0)} > {d(by1)}" if answer == "above" else f"{d(ay1)} < {d(by0)}"
    steps = [
        f"{a.kind.capitalize()} {a.name} covers {ranges[0]}; {b.kind} {b.name} covers {ranges[1]}.",
        f"Since {edge}, {a.name} lies wholly {answer} {b.name}.",
    ]
    wrong = [("roles swapped", f"{opposite} {b.kind} {b.name}")]
    wrong += [("x and y confused", f"{o} {b.kind} {b.name}") for o in others]
    return GridProblem(
        a,
        Fact("position", (a.name, b.name), sp.S.Zero),
        f"where {a.kind} {a.name} lies relative to {b.kind} {b.name}",
        steps,
        wrong,
        f"{answer} {b.kind} {b.name}",
        needs=[],
        asked=f"Where does {a.kind} {a.name} lie relative to {b.kind} {b.name}?",
        concluded=f"So {a.kind} {a.name} lies {{answer}}.",
    )
