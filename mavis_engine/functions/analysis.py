"""Exact analysis of one function on its interval: zeros, extrema, asymptotes, values,
derivatives, an integral, the period. Each family solves its own equations in closed
form (SymPy), which is exact and fast; `check.py` then verifies every fact numerically."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import sympy as sp

from mavis_engine import exact
from mavis_engine.errors import Rejected
from mavis_engine.figure import Fact
from mavis_engine.functions.families import _q, piece_parts, x

F = ("f",)


@dataclass
class Analysis:
    """What the plot and the text need: facts, key points and asymptotes."""

    facts: list[Fact] = field(default_factory=list)
    domain: tuple[sp.Expr, sp.Expr, bool, bool] = (0, 0, True, True)  # lo, hi, closed?
    vertical: list[sp.Expr] = field(default_factory=list)
    horizontal: list[sp.Expr] = field(default_factory=list)
    critical: list[sp.Expr] = field(default_factory=list)  # inside the domain
    increasing: list[tuple[sp.Expr, sp.Expr]] = field(default_factory=list)
    decreasing: list[tuple[sp.Expr, sp.Expr]] = field(default_factory=list)
    unbounded: list[str] = field(default_factory=list)  # "up" (to +∞), "down" (to −∞)


def _in(v: sp.Expr, lo: sp.Expr, hi: sp.Expr, closed: bool = True) -> bool:
    f, a, b = exact.to_float(v), exact.to_float(lo), exact.to_float(hi)
    return (a <= f <= b) if closed else (a < f < b)


def _periodic(base: list[sp.Expr], period: sp.Expr, lo, hi) -> list[sp.Expr]:
    """Every base + k·period inside [lo, hi]."""
    out = []
    p = exact.to_float(period)
    for b in base:
        k0 = math.floor((exact.to_float(lo) - exact.to_float(b)) / p) - 1
        k1 = math.ceil((exact.to_float(hi) - exact.to_float(b)) / p) + 1
        out += [b + k * period for k in range(k0, k1 + 1)]
    return sorted({v for v in out if _in(v, lo, hi)}, key=exact.to_float)


def _unbounded(expr: sp.Expr, vertical: list[sp.Expr], d_lo, d_hi) -> list[str]:
    """Which ways f runs off beside its vertical asymptotes, from the one-sided limits on
    the sides that lie in the domain: "up" (+∞), "down" (−∞), both or neither."""
    ways = set()
    lo, hi = exact.to_float(d_lo), exact.to_float(d_hi)
    for v in vertical:
        at = exact.to_float(v)
        # From the left only where the domain reaches left of v, from the right likewise.
        for side in [s for s, ok in (("-", at > lo), ("+", at < hi)) if ok]:
            limit = sp.limit(expr, x, v, side)
            if limit == sp.oo or limit == -sp.oo:
                ways.add("up" if limit == sp.oo else "down")
            elif limit == sp.zoo:  # no signed limit: treat as both ways
                ways.update(("up", "down"))
    return sorted(ways, reverse=True)


def _special(family: str, p: dict, lo, hi):
    """Family knowledge: (zeros, critical points, vertical asymptotes, horizontal
    asymptotes, domain (lo, hi, lo closed, hi closed), period)."""
    a = _q(p.get("a", 1))
    if family == "polynomial":
        expr = sp.Poly(_q(p["a"]) * sp.Mul(*[(x - _q(v)) for v in p["roots"]]) + _q(p["c"]), x)
        zeros = [r for r in sp.roots(expr, filter="R")]
        crit = [r for r in sp.roots(expr.diff(x), filter="R")]
        return zeros, crit, [], [], (lo, hi, True, True), None
    if family in ("sine", "cosine", "tangent"):
        b, c, d = _q(p["b"]), _q(p["c"]) * sp.pi / 6, _q(p["d"])
        to_x = lambda u: (u - c) / b  # noqa: E731
        if family == "tangent":
            period = sp.pi / b
            zeros = _periodic([to_x(sp.atan(-d / a))], period, lo, hi)
            vertical = _periodic([to_x(sp.pi / 2)], period, lo, hi)
            return zeros, [], vertical, [], (lo, hi, True, True), period
        period = 2 * sp.pi / b
        ratio = -d / a
        zeros = []
        if abs(ratio) <= 1:
            if family == "sine":
                u0 = sp.asin(ratio)
                zeros = _periodic([to_x(u0), to_x(sp.pi - u0)], period, lo, hi)
            else:
                u0 = sp.acos(ratio)
                zeros = _periodic([to_x(u0), to_x(-u0)], period, lo, hi)
        crit_u = [sp.pi / 2] if family == "sine" else [sp.S.Zero]
        crit = _periodic([to_x(u) for u in crit_u], period / 2, lo, hi)
        return zeros, crit, [], [], (lo, hi, True, True), period
    if family == "logarithm":
        b, c = _q(p["b"]), _q(p["c"])
        edge = -c / b
        zeros = [(1 - c) / b]
        if exact.to_float(lo) <= exact.to_float(edge) < exact.to_float(hi):
            return zeros, [], [edge], [], (edge, hi, False, True), None
        if exact.to_float(edge) >= exact.to_float(hi):
            raise Rejected("empty_domain", "the logarithm is undefined on the interval")
        return zeros, [], [], [], (lo, hi, True, True), None
    if family == "absolute":
        h, k = _q(p["h"]), _q(p["k"])
        r = -k / a
        zeros = [h - r, h + r] if r > 0 else ([h] if r == 0 else [])
        return zeros, [h], [], [], (lo, hi, True, True), None
    if family == "exponential":
        base, c = _q(p["base"]), _q(p["c"])
        r = -c / a
        zeros = [sp.log(r) / sp.log(base)] if r > 0 else []
        return zeros, [], [], [c], (lo, hi, True, True), None
    if family == "rational":
        h, k = _q(p["h"]), _q(p["k"])
        zeros = [h - a / k] if k != 0 else []
        vertical = [h] if _in(h, lo, hi, closed=False) else []
        if _in(h, lo, hi) and not vertical:
            raise Rejected("asymptote_at_edge", "the pole sits on the interval's end")
        return zeros, [], vertical, [k], (lo, hi, True, True), None
    if family == "square_root":
        h, k = _q(p["h"]), _q(p["k"])
        zeros = [h + (k / a) ** 2] if (k == 0 or (k > 0) != (a > 0)) else []
        if exact.to_float(h) >= exact.to_float(hi):
            raise Rejected("empty_domain", "the square root is undefined on the interval")
        start = h if exact.to_float(h) > exact.to_float(lo) else lo
        return zeros, [], [], [], (start, hi, True, True), None
    if family == "line_plus_reciprocal":
        m, q, h = _q(p["m"]), _q(p["q"]), _q(p["h"])
        # m·x + q + a/(x - h) = 0  <=>  (m·x + q)(x - h) + a = 0, a quadratic.
        quadratic = sp.Poly(sp.expand((m * x + q) * (x - h) + a), x)
        zeros = [r for r in sp.roots(quadratic, filter="R") if r != h]
        crit = [h + r for r in (sp.sqrt(a / m), -sp.sqrt(a / m))] if a / m > 0 else []
        vertical = [h] if _in(h, lo, hi, closed=False) else []
        if _in(h, lo, hi) and not vertical:
            raise Rejected("asymptote_at_edge", "the pole sits on the interval's end")
        return zeros, crit, vertical, [], (lo, hi, True, True), None
    if family == "piecewise":
        line, _, s = piece_parts(p)
        a, h, k = _q(p["a"]), _q(p["h"]), _q(p["k"])
        zeros = [z for z in [sp.solve(line, x)[0]] if exact.to_float(z) < exact.to_float(s)]
        if -k / a >= 0:
            root = sp.sqrt(-k / a)
            zeros += [z for z in {h - root, h + root} if exact.to_float(z) >= exact.to_float(s)]
        crit = [s] + ([h] if exact.to_float(h) > exact.to_float(s) else [])
        return zeros, crit, [], [], (lo, hi, True, True), None
    raise ValueError(f"unknown family {family}")


def antiderivative(family: str, p: dict) -> sp.Expr | None:
    """A closed-form antiderivative per family (``sympy.integrate`` is 10-50 ms a call;
    these are checked numerically like every other fact). None: no integral asked."""
    a = _q(p.get("a", 1))
    if family == "polynomial":
        poly = _q(p["a"]) * sp.Mul(*[(x - _q(v)) for v in p["roots"]]) + _q(p["c"])
        return sp.Poly(poly, x).integrate().as_expr()
    if family in ("sine", "cosine"):
        b, c, d = _q(p["b"]), _q(p["c"]) * sp.pi / 6, _q(p["d"])
        u = b * x + c
        inner = -sp.cos(u) if family == "sine" else sp.sin(u)
        return a * inner / b + d * x
    if family == "logarithm":
        u = _q(p["b"]) * x + _q(p["c"])
        return a / sp.log(p["base"]) * (u * sp.log(u) - u) / _q(p["b"])
    if family == "exponential":
        base = _q(p["base"])
        return a * base**x / sp.log(base) + _q(p["c"]) * x
    if family == "rational":
        return a * sp.log(sp.Abs(x - _q(p["h"]))) + _q(p["k"]) * x
    if family == "square_root":
        return a * sp.Rational(2, 3) * (x - _q(p["h"])) ** sp.Rational(3, 2) + _q(p["k"]) * x
    if family == "absolute":
        h = _q(p["h"])
        return a * (x - h) * sp.Abs(x - h) / 2 + _q(p["k"]) * x
    if family == "line_plus_reciprocal":
        m, q, h = _q(p["m"]), _q(p["q"]), _q(p["h"])
        return m * x**2 / 2 + q * x + a * sp.log(sp.Abs(x - h))
    if family == "piecewise":  # continuous at the break: the pieces' primitives, joined
        line, parabola, s = piece_parts(p)
        left = sp.integrate(line, x)
        right = (
            sp.integrate(parabola, x)
            - sp.integrate(parabola, x).xreplace({x: s})
            + left.xreplace({x: s})
        )
        return sp.Piecewise((left, x < s), (right, True))
    return None  # tangent: left out


def analyse(family: str, p: dict, expr: sp.Expr, lo: int, hi: int) -> Analysis:
    """All facts of ``expr`` on [lo, hi] (rejects what it cannot state exactly)."""
    lo, hi = sp.Integer(lo), sp.Integer(hi)
    zeros, crit, vertical, horizontal, domain, period = _special(family, p, lo, hi)
    d_lo, d_hi, lo_closed, hi_closed = domain
    an = Analysis(
        domain=domain,
        vertical=vertical,
        horizontal=horizontal,
        critical=[c for c in crit if _in(c, domain[0], domain[1], closed=False)],
    )
    zeros = sorted(
        {z for z in zeros if _in(z, d_lo, d_hi) and z not in vertical}, key=exact.to_float
    )
    if any(z.has(sp.CRootOf) for z in zeros + crit):
        raise Rejected("inexact_root", "a root has no closed form")
    an.facts += [Fact("zero", F, z, (("x", exact.to_float(z)),)) for z in zeros]
    for v in vertical:
        an.facts.append(Fact("asymptote", F, v, (("axis", "x"),)))
    for h in horizontal:
        an.facts.append(Fact("asymptote", F, h, (("axis", "y"),)))
    if period is not None:
        an.facts.append(Fact("period", F, period))

    # Extrema on the interval: f's values at the critical points and closed ends, unless a
    # vertical asymptote sends f to +∞ (no maximum) or −∞ (no minimum) beside it. A log
    # whose asymptote is the domain's left end falls without bound there but still has its
    # maximum at the right end: one side unbounded leaves the other extremum standing.
    an.unbounded = _unbounded(expr, vertical, d_lo, d_hi)
    candidates = [c for c in crit if _in(c, d_lo, d_hi) and c not in vertical]
    candidates += [
        e for e, closed in ((d_lo, lo_closed), (d_hi, hi_closed)) if closed and e not in vertical
    ]
    try:
        values = [(exact.to_float(expr.xreplace({x: c})), c) for c in candidates]
    except TypeError:  # a complex value: the domain was misjudged, say so
        raise Rejected("complex_value", f"{expr} is not real on its domain") from None
    if values:
        top = max(values, key=lambda t: t[0])
        bottom = min(values, key=lambda t: t[0])
        for kind, (_, where), gone in (("maximum", top, "up"), ("minimum", bottom, "down")):
            if gone in an.unbounded:
                continue
            val = expr.xreplace({x: where})
            an.facts.append(
                Fact(
                    kind,
                    F,
                    val,
                    (("x", exact.to_float(where)), ("x_exact", exact.to_str(where))),
                )
            )

    # Where f rises and falls: between consecutive critical points, poles and the domain's
    # ends, the sign of f' at the middle of each piece (f' keeps its sign inside it).
    derivative_fn = sp.diff(expr, x)
    cuts = sorted(
        {
            d_lo,
            d_hi,
            *(c for c in crit if _in(c, d_lo, d_hi, closed=False)),
            *(v for v in vertical if _in(v, d_lo, d_hi, closed=False)),
        },
        key=exact.to_float,
    )
    for a, b in itertools.pairwise(cuts):
        mid = (a + b) / 2
        slope = exact.to_float(derivative_fn.xreplace({x: mid}))
        if slope == 0:
            continue
        kind = "increasing" if slope > 0 else "decreasing"
        (an.increasing if slope > 0 else an.decreasing).append((a, b))
        an.facts.append(
            Fact(
                kind,
                F,
                b - a,
                (
                    ("from", exact.to_float(a)),
                    ("to", exact.to_float(b)),
                    ("from_exact", exact.to_str(a)),
                    ("to_exact", exact.to_str(b)),
                ),
            )
        )
    # The y-intercept, where x = 0 is inside the domain.
    if _in(sp.S.Zero, d_lo, d_hi, closed=False) and all(
        abs(exact.to_float(v)) > 1e-9 for v in vertical
    ):
        an.facts.append(Fact("intercept", F, expr.xreplace({x: sp.S.Zero}), (("axis", "y"),)))

    # Parity: f(-x) = f(x) (even) or -f(x) (odd), decided exactly; the fact's value is the
    # factor k in f(-x) = k·f(x).
    mirrored = expr.xreplace({x: -x})
    for parity, k in (("even", sp.S.One), ("odd", sp.S.NegativeOne)):
        # SymPy's automatic simplification settles every case these families produce
        # (cos(-u) = cos(u), sin(-u) = -sin(u), |−x| = |x|, like terms cancel); a parity
        # it cannot see is simply not stated.
        if mirrored - k * expr == 0:
            an.facts.append(Fact("symmetry", F, k, (("parity", parity),)))
            break

    # A value and a derivative at an integer inside the domain, away from asymptotes.
    derivative = sp.diff(expr, x)
    # Corners (|x - h| at h, a piecewise break) have no derivative: stay off them.
    corners = crit if family in ("absolute", "piecewise") else []
    inside = [
        sp.Integer(k)
        for k in range(int(lo), int(hi) + 1)
        if _in(sp.Integer(k), d_lo, d_hi, closed=False)
        and all(abs(k - exact.to_float(v)) > 0.25 for v in [*vertical, *corners])
    ]
    if not inside:
        raise Rejected("empty_domain", "no integer point inside the domain")
    at = inside[len(inside) // 2]
    an.facts.append(Fact("value_at", F, expr.xreplace({x: at}), (("x", float(at)),)))
    if len(inside) > 1:  # a second value, to compare with the first
        other = inside[(len(inside) // 2 + 1 + len(inside) // 3) % len(inside)]
        if other != at:
            an.facts.append(Fact("value_at", F, expr.xreplace({x: other}), (("x", float(other)),)))
    slope = derivative.xreplace({x: at})
    if slope.is_real is not False and not slope.has(sp.zoo, sp.nan):
        an.facts.append(Fact("derivative_at", F, slope, (("x", float(at)),)))
        # The tangent line there, y = slope·x + c: the fact's value is c, where it meets
        # the y-axis; the slope rides along.
        c = expr.xreplace({x: at}) - slope * at
        an.facts.append(
            Fact(
                "tangent_line",
                F,
                c,
                (
                    ("x", float(at)),
                    ("slope", exact.to_float(slope)),
                    ("slope_exact", exact.to_str(slope)),
                ),
            )
        )
    # A definite integral over one unit to the right of that point, if continuous there.
    end = at + 1
    primitive = antiderivative(family, p)
    if (
        primitive is not None
        and _in(end, d_lo, d_hi)
        and not any(_in(v, at, end) for v in vertical)
    ):
        integral = primitive.xreplace({x: end}) - primitive.xreplace({x: at})
        an.facts.append(Fact("integral", F, integral, (("from", float(at)), ("to", float(end)))))
    return an
