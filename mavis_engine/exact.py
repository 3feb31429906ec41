"""Exact values (SymPy) with cached conversions.

SymPy is the source of truth for every measure; the caches keep a long run fast because
figures built from small integer parameters repeat the same expressions over and over.
"""

from __future__ import annotations

import math
from functools import lru_cache

import sympy as sp

Expr = sp.Expr

_CACHE = 1 << 16


@lru_cache(maxsize=_CACHE)
def parse(text: str) -> Expr:
    """``sympify(text)``, remembered: rows carry exact values as text (interval ends, the
    x of a fact) that come back in every sample, and parsing costs a millisecond.
    SymPy expressions are immutable, so handing out the same one is safe."""
    return sp.sympify(text)


@lru_cache(maxsize=_CACHE)
def radians(degrees: Expr) -> Expr:
    """Angle in radians from degrees, exact."""
    return sp.pi * sp.sympify(degrees) / 180


@lru_cache(maxsize=_CACHE)
def sin_deg(degrees: Expr) -> Expr:
    """Exact sine of an angle given in degrees."""
    return sp.sin(radians(degrees))


@lru_cache(maxsize=_CACHE)
def cos_deg(degrees: Expr) -> Expr:
    """Exact cosine of an angle given in degrees."""
    return sp.cos(radians(degrees))


@lru_cache(maxsize=_CACHE)
def tan_deg(degrees: Expr) -> Expr:
    """Exact tangent of an angle given in degrees."""
    return sp.tan(radians(degrees))


@lru_cache(maxsize=_CACHE)
def atan_deg(ratio: Expr) -> Expr:
    """Exact angle in degrees whose tangent is ``ratio``."""
    return 180 * sp.atan(ratio) / sp.pi


@lru_cache(maxsize=_CACHE)
def hypot(a: Expr, b: Expr) -> Expr:
    """Exact sqrt(a^2 + b^2)."""
    return sp.sqrt(a**2 + b**2)


@lru_cache(maxsize=_CACHE)
def to_str(value: Expr) -> str:
    """SymPy-parsable string of an exact value."""
    if value.is_Add:
        # Sums (perimeters, whole-figure areas) are new in nearly every figure while their
        # terms repeat: print terms through the cache. "+ -t" and "- t" parse the same.
        return " + ".join(to_str(term) for term in value.args).replace("+ -", "- ")
    # Canonical term ordering is most of sstr's cost and adds nothing to a parsable string.
    return sp.sstr(value, order="none")


_FUNCS = {
    sp.sin: math.sin,
    sp.cos: math.cos,
    sp.tan: math.tan,
    sp.atan: math.atan,
    sp.asin: math.asin,
}


def _eval(node: Expr) -> float:
    if node.is_Rational:
        return node.p / node.q
    if node is sp.pi:
        return math.pi
    if node.is_Add:
        return math.fsum(_eval(a) for a in node.args)
    if node.is_Mul:
        return math.prod(_eval(a) for a in node.args)
    if node.is_Pow:
        return _eval(node.base) ** _eval(node.exp)
    if node.func in _FUNCS:
        return _FUNCS[node.func](_eval(node.args[0]))
    return float(node)


@lru_cache(maxsize=_CACHE)
def to_float(value: Expr) -> float:
    """Float value of an exact value (double-precision tree walk; SymPy evalf is ~10x slower)."""
    return _eval(value)


def _term(value: Expr) -> str | None:
    """A single term in short form, or None if it has none."""
    if value.is_Integer:
        return str(int(value))
    if value.is_Rational:
        return f"{float(value):g}" if value.q in (2, 4, 5, 10) else f"{value.p}/{value.q}"
    coeff, rest = value.as_coeff_Mul()
    if not coeff.is_Rational:
        return None
    if rest.is_Pow and rest.exp == sp.S.Half and rest.base.is_Integer:
        unit = f"√{int(rest.base)}"
    elif rest is sp.pi:
        unit = "π"
    else:
        return None
    p, q = int(coeff.p), int(coeff.q)
    if q != 1 and unit != "π":
        # "35√3/2" drawn reads as 35√(3/2) (the radical seems to cover "3/2"): the
        # numerator is bracketed, "(35√3)/2", its sign outside so "12 - (35√3)/2" reads.
        return ("-" if p < 0 else "") + f"({abs(p) if abs(p) != 1 else ''}{unit})/{q}"
    head = {1: "", -1: "-"}.get(p, str(p))
    return f"{head}{unit}" + (f"/{q}" if q != 1 else "")


@lru_cache(maxsize=_CACHE)
def nice(value: Expr) -> str | None:
    """Short exact form (``8``, ``7.5``, ``4√3``, ``(5√3)/2``, ``12π/5``, ``12 + 3π``), or
    None."""
    value = sp.nsimplify(value) if isinstance(value, sp.Float) else value
    if value.is_Add and len(value.args) == 2 and any(a.is_Rational for a in value.args):
        first, second = sorted(value.args, key=lambda a: not a.is_Rational)
        a, b = _term(first), _term(second)
        if a is None or b is None:
            return None
        return f"{a} - {b[1:]}" if b.startswith("-") else f"{a} + {b}"
    return _term(value)


@lru_cache(maxsize=_CACHE)
def display(value: Expr) -> str:
    """Short human form for text: the ``nice`` exact form, else 2 decimals."""
    text = nice(value)
    if text is not None:
        return text
    return decimal(to_float(value))


def decimal(v: float) -> str:
    """Two decimals, or two significant digits for tiny values (never "-0.00")."""
    return f"{v:.2f}" if abs(v) >= 0.01 or v == 0 else f"{v:.2g}"
