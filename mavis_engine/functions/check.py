"""Numeric verification of function facts against the expression alone.

Reads only what a row carries (the ``expression`` string, ``x_range`` and the facts), so it
serves the engine before writing, ``mavis-engine verify`` and the tests alike: zeros by
value, extrema against a dense grid, asymptotes by blow-up or limit, values, derivatives
by central differences, integrals by the trapezoid rule, periods by shifting.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import sympy as sp

GRID = 4001


@lru_cache(maxsize=4096)
def numeric(expression: str):
    x = sp.Symbol("x", real=True)
    expr = sp.sympify(expression, locals={"x": x})
    # docstring_limit=0: lambdify otherwise spends ~90% of its time writing a docstring.
    fn = sp.lambdify(x, expr, modules="numpy", docstring_limit=0)

    def f(values):
        with np.errstate(all="ignore"):
            out = np.asarray(fn(np.asarray(values, dtype=float)), dtype=complex)
        real = out.real.copy()
        real[np.abs(out.imag) > 1e-9] = np.nan  # outside the real domain
        return real

    return f


def fact_mismatches(expression: str, x_range: list[float], facts: list[dict]) -> list[str]:
    """Facts that disagree with the expression (empty when all hold)."""
    f = numeric(expression)
    lo, hi = x_range
    xs = np.linspace(lo, hi, GRID)
    ys = f(xs)
    finite = np.isfinite(ys)
    # A robust size of the curve: near a pole the largest values mean nothing.
    scale = max(1.0, float(np.nanpercentile(np.abs(ys[finite]), 90)) if finite.any() else 1.0)
    out = []

    def bad(fact: dict, got: float) -> None:
        out.append(f"{fact['kind']} {fact.get('x', '')}: stated {fact['value']}, got {got}")

    verticals = [fc["value"] for fc in facts if fc["kind"] == "asymptote" and fc["axis"] == "x"]
    for fact in facts:
        kind, v = fact["kind"], fact["value"]
        if kind == "zero":
            got = float(f([v])[0])
            if not abs(got) <= 1e-9 * scale:
                bad(fact, got)
        elif kind in ("maximum", "minimum"):
            at = float(f([fact["x"]])[0])
            grid = np.nanmax(ys) if kind == "maximum" else np.nanmin(ys)
            step = (hi - lo) / (GRID - 1)
            slack = 1e-6 * scale + 50 * step * float(np.nanmax(np.abs(np.diff(ys)) / step))
            beyond = grid > v + 1e-9 * scale if kind == "maximum" else grid < v - 1e-9 * scale
            if (
                not math.isclose(at, v, rel_tol=1e-9, abs_tol=1e-9)
                or beyond
                or abs(grid - v) > slack
            ):
                bad(fact, float(grid))
        elif kind == "asymptote" and fact["axis"] == "x":
            near = np.abs(f([v - 1e-7, v + 1e-7]))
            if not (np.nanmax(near) > 1e3 * scale or np.isnan(near).any()):
                bad(fact, float(np.nanmax(near)))
        elif kind == "asymptote" and fact["axis"] == "y":
            far = f([-1e3, 1e3, -1e6, 1e6])
            if not np.nanmin(np.abs(far - v)) < 1e-2:
                bad(fact, float(np.nanmin(np.abs(far - v))))
        elif kind == "value_at":
            got = float(f([fact["x"]])[0])
            if not math.isclose(got, v, rel_tol=1e-9, abs_tol=1e-9):
                bad(fact, got)
        elif kind == "derivative_at":
            h = 1e-5
            a, b = f([fact["x"] - h, fact["x"] + h])
            got = (b - a) / (2 * h)
            if not math.isclose(got, v, rel_tol=1e-5, abs_tol=1e-5):
                bad(fact, got)
        elif kind == "integral":
            t = np.linspace(fact["from"], fact["to"], 20001)
            got = float(np.trapezoid(f(t), t))
            if not math.isclose(got, v, rel_tol=1e-6, abs_tol=1e-6):
                bad(fact, got)
        elif kind in ("increasing", "decreasing"):
            a, b = fact["from"], fact["to"]
            inner = np.linspace(a, b, 2001)[1:-1]
            steps = np.diff(f(inner))
            steps = steps[np.isfinite(steps)]
            # Monotone: no step against the direction beyond rounding; length as stated.
            against = -steps if kind == "increasing" else steps
            if not math.isclose(b - a, v, rel_tol=1e-9, abs_tol=1e-9) or (
                steps.size and float(against.max()) > 1e-9 * scale
            ):
                bad(fact, float(against.max()) if steps.size else math.nan)
        elif kind == "tangent_line":
            h, x0 = 1e-5, fact["x"]
            a, b = f([x0 - h, x0 + h])
            slope = (b - a) / (2 * h)
            c = float(f([x0])[0]) - slope * x0
            if not (
                math.isclose(slope, fact["slope"], rel_tol=1e-5, abs_tol=1e-5)
                and math.isclose(c, v, rel_tol=1e-5, abs_tol=1e-4 * max(1, abs(x0)))
            ):
                bad(fact, c)
        elif kind == "symmetry":
            t = np.linspace(0.05, 10, 400)
            a, b = f(-t), f(t)
            ok = np.isfinite(a) & np.isfinite(b)
            if not ok.any() or float(np.max(np.abs(a[ok] - v * b[ok]))) > 1e-9 * scale:
                bad(fact, float(np.max(np.abs(a[ok] - v * b[ok]))) if ok.any() else math.nan)
        elif kind == "intercept":
            got = float(f([0.0])[0])
            if not math.isclose(got, v, rel_tol=1e-9, abs_tol=1e-9):
                bad(fact, got)
        elif kind == "period":
            shifted = f(xs + v)
            ok = np.isfinite(ys) & np.isfinite(shifted)
            far = np.array(
                [min(abs(x0 - a) for a in verticals) if verticals else 1.0 for x0 in xs[ok]]
            )
            diff = np.abs(shifted[ok] - ys[ok])[far > 0.05]
            if diff.size and float(diff.max()) > 1e-6 * scale:
                bad(fact, float(diff.max()))
    return out
