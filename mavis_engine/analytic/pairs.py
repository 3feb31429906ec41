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
    MIN_GAP,
    SOLID,
    GridFigure,
    circle_equation,
    extent,
    line_equation,
    relation,
    sides,
    square_term,
)
from mavis_engine.analytic.phrases import (
    AND,
    DIRECTIONS_ZH,
    PHRASES,
    in_both,
    in_figure,
    kinds,
    where_answer,
)
from mavis_engine.analytic.phrases import NO_FIGURE as NO_FIGURE_IN
from mavis_engine.analytic.phrases import NO_INTERSECTION as NO_INTERSECTION_IN
from mavis_engine.analytic.question import GridProblem, d, point_text, signed
from mavis_engine.errors import Rejected
from mavis_engine.figure import Fact

NO_INTERSECTION = NO_INTERSECTION_IN["en"]
NO_FIGURE = NO_FIGURE_IN["en"]
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


def points_text(pts: list[tuple], language: str = "en") -> str | None:
    """ "(1, 2) and (3 + √2, 4)", "(1, 2)", or "no intersection" (Chinese: 和, 没有交点);
    None where a coordinate has no short form (or one past what a reader works out by hand)."""
    if not pts:
        return NO_INTERSECTION_IN[language]
    if any(_too_long(c) for p in pts for c in p):
        return None
    shown = [(exact.nice(x), exact.nice(y)) for x, y in pts]
    if any(c is None for p in shown for c in p):
        return None
    return AND[language].join(f"({x}, {y})" for x, y in shown)


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


def intersection(line: GridFigure, circle: GridFigure, lang: str = "en") -> GridProblem:
    """Where line ``line`` meets circle ``circle``: two points, one (tangent), or none."""
    w = PHRASES[lang]
    through = line.params["through"]
    (cx, cy), r = circle.params["center"], circle.params["radius"]
    pts = line_circle_points(through, (cx, cy), r**2)
    label = points_text(pts, lang)
    if label is None:
        raise Rejected("no_question", "intersection points without a short exact form")
    (x1, y1), (x2, y2) = through
    ring = circle_equation(cx, cy, r**2)
    steps = [
        w["meet.equations"].format(
            ln=line.name, leq=line_equation(*through), cn=circle.name, ceq=ring
        )
    ]
    if x1 == x2:  # vertical: solve for y directly
        rest = r**2 - (x1 - cx) ** 2
        steps.append(
            w["meet.vertical"].format(
                x=d(x1), square=square_term("y", cy), r2=d(r**2), cx=signed(cx), rest=d(rest)
            )
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
            w["meet.substitute"].format(
                y=slope_form, equation=_equation([(qa, "x²"), (qb, "x"), (qc, "")])
            ),
            w["meet.discriminant"].format(
                qb=signed(qb), qa=signed(qa), qc=signed(qc), value=d(sign)
            ),
        ]
        roots = f"x = ({d(-qb)} ± {d(sp.sqrt(abs(sign)))}) / {d(2 * qa)}"
        solve = f"{roots}{w['meet.with']}{slope_form}"
    count = 0 if sign < 0 else 1 if sign == 0 else 2  # (the roots are used only when real)
    if count != len(pts):  # two derivations of the same count must agree
        raise Rejected("fact_mismatch", f"{count} intersections by the discriminant, {len(pts)}")
    steps.append(
        w[("meet.none", "meet.one", "meet.two")[count]].format(label=label, solve=solve)
        if count
        else w["meet.none"]
    )
    swapped = points_text([(y, x) for x, y in pts], lang)
    wrong = [
        (
            "centre's signs flipped",
            points_text(line_circle_points(through, (-cx, -cy), r**2), lang),
        ),
        ("r instead of r²", points_text(line_circle_points(through, (cx, cy), r), lang)),
        ("coordinates swapped", swapped),
        ("one of two points dropped", points_text(pts[:1], lang) if count == 2 else None),
        ("discriminant's sign misread", NO_INTERSECTION_IN[lang] if count else None),
        ("the centre given", point_text(cx, cy)),
    ]
    names = {"ln": line.name, "cn": circle.name}
    return GridProblem(
        line,
        Fact("intersection", (line.name, circle.name), sp.S.Zero),
        w["meet.question"].format(**names),
        steps,
        [(name, text) for name, text in wrong if text is not None],
        label,
        needs=[line, circle],
        asked=w["meet.asked"].format(**names),
        concluded=w["meet.so"].format(**names),
    )


def general_form(through: list[tuple]) -> tuple[int, int, int]:
    """Integers (a, b, c), a·x + b·y + c = 0 through two grid points, in lowest terms."""
    (x1, y1), (x2, y2) = through
    a, b = int(y2 - y1), int(x1 - x2)
    c = -(a * int(x1) + b * int(y1))
    g = math.gcd(a, b, c) * (-1 if (a, b) < (0, 0) else 1)
    return a // g, b // g, c // g


def centre_distance(line: GridFigure, circle: GridFigure, lang: str = "en") -> GridProblem:
    """The distance from a circle's centre to a line, and what it says about tangency."""
    w = PHRASES[lang]
    a, b, c = general_form(line.params["through"])
    (cx, cy), r = circle.params["center"], circle.params["radius"]
    top = a * cx + b * cy + c
    dist = abs(top) / sp.sqrt(a**2 + b**2)
    compare = "<" if dist < r else "=" if dist == r else ">"
    work = f"|{d(a)}·{signed(cx)} + {signed(b)}·{signed(cy)} + {signed(c)}| / √{d(a**2 + b**2)}"
    steps = [
        w["distance.general"].format(
            n=line.name, equation=_equation([(a, "x"), (b, "y"), (c, "")])
        ),
        w["distance.formula"].format(c=point_text(cx, cy), work=work, value=d(dist)),
        w["distance.verdict"].format(r=d(r), dist=d(dist), compare=compare, verdict=w[compare]),
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
        w["distance.question"].format(cn=circle.name, ln=line.name),
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


def _membership(fig: GridFigure, x: int, y: int, lang: str = "en") -> str:
    """One rationale line: why (x, y) is inside or outside ``fig``."""
    w = PHRASES[lang]
    p, inside = fig.params, _inside(fig, x, y) > 0
    said = {
        "n": fig.name,
        "x": x,
        "y": y,
        "where": w["inside" if inside else "outside"],
        "compare": "<" if inside else ">",
        **kinds(fig.kind, lang),
    }
    if fig.kind == "circle":
        (cx, cy), r = p["center"], p["radius"]
        s = (x - cx) ** 2 + (y - cy) ** 2
        return w["member.circle"].format(cx=signed(cx), cy=signed(cy), s=d(s), r2=d(r**2), **said)
    if fig.kind == "ellipse":
        (cx, cy), a, b = p["center"], p["a"], p["b"]
        s = sp.Rational((x - cx) ** 2, a**2) + sp.Rational((y - cy) ** 2, b**2)
        return w["member.ellipse"].format(
            cx=signed(cx), cy=signed(cy), a2=d(a**2), b2=d(b**2), s=d(s), **said
        )
    if fig.kind in ("rectangle", "square"):
        x0, y0, x1, y1 = extent(fig)
        return w["member.rect"].format(x0=d(x0), x1=d(x1), y0=d(y0), y1=d(y1), **said)
    crosses = w["list"].join(d(c) for c in _edge_crosses(fig, x, y))
    sign = w["all positive" if inside else "one is negative"]
    return w["member.polygon"].format(crosses=crosses, sign=sign, **said)


def containment(
    rng: np.random.Generator, figures: list[GridFigure], span: int, lang: str = "en"
) -> GridProblem:
    """Which closed figure holds a grid point (or none), each membership shown exactly."""
    solids = [f for f in figures if f.kind in SOLID]
    chosen = int(rng.integers(len(solids) + 1))  # the last choice: in none of them
    grid = [(x, y) for x in range(-span, span + 1) for y in range(-span, span + 1)]
    # Only points at least MIN_GAP from every outline: a dot a hair inside a thin
    # triangle covers its edge, and the picture cannot settle the answer. The margin
    # covers the drawn outline's polygon against the verifier's finer one for curves.
    outlines = [f.region().boundary for f in solids]
    clear = [
        (x, y)
        for x, y in grid
        if all(o.distance(shapely.Point(x, y)) >= MIN_GAP + 0.01 for o in outlines)
    ]
    if chosen < len(solids):
        spots = [(x, y) for x, y in clear if _inside(solids[chosen], x, y) > 0]
    else:
        spots = [(x, y) for x, y in clear if all(_inside(f, x, y) < 0 for f in solids)]
    if not spots:
        raise Rejected("no_question", "no grid point strictly inside the figure")
    x, y = spots[int(rng.integers(len(spots)))]
    w = PHRASES[lang]
    names = [in_figure(f.kind, f.name, lang) for f in solids]
    label = names[chosen] if chosen < len(solids) else NO_FIGURE_IN[lang]
    here = shapely.Point(x, y)
    nearest = sorted(
        (f for i, f in enumerate(solids) if i != chosen), key=lambda f: f.region().distance(here)
    )
    wrong = [("a neighbouring figure", in_figure(f.kind, f.name, lang)) for f in nearest]
    if chosen < len(solids):
        wrong.insert(1, ("outside every figure assumed", NO_FIGURE_IN[lang]))
    if len(solids) == 2:  # the two never overlap, so "both" is always wrong
        pair = [(f.kind, f.name) for f in solids]
        wrong.append(("figures assumed to overlap", in_both(*pair, lang)))
    steps = [_membership(f, x, y, lang) for f in solids]
    return GridProblem(
        solids[chosen] if chosen < len(solids) else solids[0],
        Fact("contains", tuple(f.name for f in solids), sp.S.Zero, (("at", [x, y]),)),
        w["contains.question"].format(x=x, y=y),
        steps,
        wrong,
        label,
        needs=[],
        marks={"P": (float(x), float(y))},
        asked=w["contains.asked"].format(x=x, y=y),
        concluded=w["contains.so"].format(x=x, y=y),
    )


def one_side(a: GridFigure, b: GridFigure) -> bool:
    """Whether ``a`` lies on exactly one side of ``b``: where it is off a corner (left of
    and below), two answers would be true, and the other three options are not all wrong."""
    ea, eb = extent(a), extent(b)
    return ea is not None and eb is not None and len(sides(ea, eb)) == 1


def position(a: GridFigure, b: GridFigure, lang: str = "en") -> GridProblem:
    """Where ``a`` lies relative to ``b``, from the ranges their coordinates cover; asked
    only where ``one_side`` holds, so the key is the one true side."""
    if not one_side(a, b):
        raise Rejected("no_question", f"{a.name} does not lie on exactly one side of {b.name}")
    w = PHRASES[lang]
    answer, opposite, others = DIRECTIONS[relation(a, b)]
    (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = extent(a), extent(b)

    def span(axis: str, lo: sp.Expr, hi: sp.Expr) -> str:
        return w["range"].format(axis=axis, lo=d(lo), hi=d(hi))

    if answer in ("to the left of", "to the right of"):
        ranges = span("x", ax0, ax1), span("x", bx0, bx1)
        edge = f"{d(ax1)} < {d(bx0)}" if answer == "to the left of" else f"{d(ax0)} > {d(bx1)}"
    else:
        ranges = span("y", ay0, ay1), span("y", by0, by1)
        edge = f"{d(ay0)} > {d(by1)}" if answer == "above" else f"{d(ay1)} < {d(by0)}"
    names = {"an": a.name, "bn": b.name, **kinds(a.kind, lang)}
    names["bkind"] = kinds(b.kind, lang)["kind"]
    where = answer if lang == "en" else DIRECTIONS_ZH[answer]
    steps = [
        w["position.ranges"].format(ra=ranges[0], rb=ranges[1], **names),
        w["position.since"].format(edge=edge, where=where, **names),
    ]
    wrong = [("roles swapped", where_answer(opposite, b.kind, b.name, lang))]
    wrong += [("x and y confused", where_answer(o, b.kind, b.name, lang)) for o in others]
    return GridProblem(
        a,
        Fact("position", (a.name, b.name), sp.S.Zero),
        w["position.question"].format(**names),
        steps,
        wrong,
        where_answer(answer, b.kind, b.name, lang),
        needs=[],
        asked=w["position.asked"].format(**names),
        concluded=w["position.so"].format(**names),
    )
