"""The function families: parameters from the params stream, an exact SymPy expression.

Coefficients are small integers or simple fractions so expressions stay readable; roots of
polynomials are drawn first (then expanded) so their zeros are exact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

x = sp.Symbol("x", real=True)

Params = dict[str, int | float | list]


def _q(value: float | sp.Basic) -> sp.Expr:
    """A parameter as an exact number (a SymPy symbol passes through: unknown constants)."""
    if isinstance(value, sp.Basic):
        return value
    return sp.Rational(value).limit_denominator(12)


def _choice(rng: np.random.Generator, options) -> float:
    return options[int(rng.integers(len(options)))]


@dataclass(frozen=True)
class Family:
    """A family: how to draw its parameters, and the expression they give."""

    name: str
    sample: Callable[[np.random.Generator], Params]
    expression: Callable[[Params], sp.Expr]


def _poly_sample(r: np.random.Generator) -> Params:
    degree = int(r.integers(1, 4))
    roots = sorted(float(v) for v in r.choice(np.arange(-8, 9) / 2, size=degree, replace=False))
    return {
        "roots": roots,
        "a": _choice(r, (-2, -1, -0.5, 0.5, 1, 2)),
        "c": float(r.integers(-3, 4)) if degree == 1 else 0.0,
    }


def _poly(p: Params) -> sp.Expr:
    expr = _q(p["a"]) * sp.Mul(*[(x - _q(v)) for v in p["roots"]]) + _q(p["c"])
    return sp.expand(expr)


def _trig_sample(r: np.random.Generator) -> Params:
    return {
        "a": _choice(r, (-3, -2, -1, 1, 2, 3)),
        "b": _choice(r, (0.5, 1, 2)),
        "c": _choice(r, (0, 1, 2, 3)),
        "d": float(r.integers(-2, 3)),
    }


def _trig(fn):
    def expression(p: Params) -> sp.Expr:
        return _q(p["a"]) * fn(_q(p["b"]) * x + _q(p["c"]) * sp.pi / 6) + _q(p["d"])

    return expression


def _piece_sample(r: np.random.Generator) -> Params:
    return {
        "s": float(r.integers(-2, 3)),
        "m": _choice(r, (-2, -1, 1, 2)),
        "a": _choice(r, (-1, -0.5, 0.5, 1)),
        "h": float(r.integers(-2, 5)),
        "k": float(r.integers(-4, 5)),
    }


def piece_parts(p: Params) -> tuple[sp.Expr, sp.Expr, sp.Rational]:
    """A line left of the break s, a parabola from s on, joined continuously at s."""
    s, a, h, k, m = (_q(p[n]) for n in ("s", "a", "h", "k", "m"))
    parabola = a * (x - h) ** 2 + k
    line = m * (x - s) + parabola.subs(x, s)
    return sp.expand(line), parabola, s


def _piecewise(p: Params) -> sp.Expr:
    line, parabola, s = piece_parts(p)
    return sp.Piecewise((line, x < s), (parabola, True))


FAMILIES: dict[str, Family] = {
    f.name: f
    for f in [
        Family("polynomial", _poly_sample, _poly),
        Family("sine", _trig_sample, _trig(sp.sin)),
        Family("cosine", _trig_sample, _trig(sp.cos)),
        Family(
            "tangent",
            lambda r: {
                "a": _choice(r, (-2, -1, 1, 2)),
                "b": _choice(r, (0.5, 1)),
                "c": 0,
                "d": float(r.integers(-2, 3)),
            },
            _trig(sp.tan),
        ),
        Family(
            "logarithm",
            lambda r: {
                "a": _choice(r, (-3, -2, -1, 1, 2, 3)),
                "base": _choice(r, (2, 3, 10)),
                "b": _choice(r, (1, 2, 3)),
                "c": float(r.integers(-4, 5)),
            },
            lambda p: _q(p["a"]) * sp.log(_q(p["b"]) * x + _q(p["c"]), p["base"]),
        ),
        Family(
            "absolute",
            lambda r: {
                "a": _choice(r, (-2, -1, -0.5, 0.5, 1, 2)),
                "h": float(r.integers(-4, 5)),
                "k": float(r.integers(-4, 5)),
            },
            lambda p: _q(p["a"]) * sp.Abs(x - _q(p["h"])) + _q(p["k"]),
        ),
        Family(
            "exponential",
            lambda r: {
                "a": _choice(r, (-2, -1, 1, 2)),
                "base": _choice(r, (2, 3, 0.5)),
                "c": float(r.integers(-3, 4)),
            },
            lambda p: _q(p["a"]) * _q(p["base"]) ** x + _q(p["c"]),
        ),
        Family(
            "rational",
            lambda r: {
                "a": _choice(r, (-4, -2, -1, 1, 2, 4)),
                "h": float(r.integers(-3, 4)),
                "k": float(r.integers(-3, 4)),
            },
            lambda p: _q(p["a"]) / (x - _q(p["h"])) + _q(p["k"]),
        ),
        Family(
            "square_root",
            lambda r: {
                "a": _choice(r, (-2, -1, 1, 2, 3)),
                "h": float(r.integers(-4, 3)),
                "k": float(r.integers(-3, 4)),
            },
            lambda p: _q(p["a"]) * sp.sqrt(x - _q(p["h"])) + _q(p["k"]),
        ),
        Family("piecewise", _piece_sample, _piecewise),
        Family(
            "line_plus_reciprocal",  # a sum that stays analysable: zeros solve a quadratic
            lambda r: {
                "m": _choice(r, (-1, -0.5, 0.5, 1)),
                "q": float(r.integers(-3, 4)),
                "a": _choice(r, (-4, -2, -1, 1, 2, 4)),
                "h": float(r.integers(-3, 4)),
            },
            lambda p: _q(p["m"]) * x + _q(p["q"]) + _q(p["a"]) / (x - _q(p["h"])),
        ),
    ]
}


_TRIG_NAMES = {sp.sin: "sine", sp.cos: "cosine", sp.tan: "tangent"}


def trig_form(expr: sp.Expr) -> tuple[str, bool, bool] | None:
    """A trigonometric expression a·g(bx + c) + d as it reads: g's name, whether it is
    scaled (|a| or b not 1), whether it is shifted (c or d not 0). SymPy rewrites the
    phase π/2 (sin(u + π/2) is cos(u)), so the name follows the expression, not the
    family drawn. None where ``expr`` holds no single trigonometric call."""
    calls = list(expr.atoms(sp.sin, sp.cos, sp.tan))
    if len(calls) != 1:
        return None
    call, g = calls[0], sp.Dummy("g")
    arg = call.args[0]
    scale = expr.xreplace({call: g}).diff(g)  # the factor a (expr is linear in the call)
    scaled = abs(scale) != 1 or arg.coeff(x) != 1
    shifted = arg.subs(x, 0) != 0 or expr.subs(call, 0) != 0
    return _TRIG_NAMES[call.func], bool(scaled), bool(shifted)


def shown_family(family: str, expr: sp.Expr) -> str:
    """The family a text names: a sine drawn with phase π/2 is shown as a cosine (and
    the other way round), so texts call it by the function its expression shows."""
    form = trig_form(expr) if family in ("sine", "cosine") else None
    return form[0] if form else family


def sample_interval(rng: np.random.Generator) -> tuple[int, int]:
    """An x-interval of the plot (integers, 6 to 12 wide)."""
    lo = int(rng.integers(-8, -1))
    return lo, lo + int(rng.integers(6, 13))
