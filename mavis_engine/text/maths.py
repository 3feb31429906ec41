"""Readable maths for rationales: √, ², ·, degrees inside trig functions."""

from __future__ import annotations

from typing import ClassVar

import sympy as sp
from sympy.printing.str import StrPrinter

_INVERSE = {sp.atan: "arctan", sp.asin: "arcsin", sp.acos: "arccos"}


def _flat_factors(e: sp.Expr) -> list[sp.Expr]:
    """Factors of a product, nested unevaluated products opened up."""
    out: list[sp.Expr] = []
    for a in e.args:
        out += _flat_factors(a) if a.is_Mul else [a]
    return out


def _tidy(angle: sp.Expr) -> sp.Expr:
    """``simplify(angle)`` where it can shorten anything: only a sum can (``180·(π·t/180 +
    π/4)/π``); a product of numbers and functions is as short as it gets, and simplify
    spends a tenth of a second finding that out for ``180·atan(7/6)/π``."""
    return sp.simplify(angle) if angle.has(sp.Add) else angle


class _Printer(StrPrinter):
    """SymPy's str printer with √, ², |x|, and (geometry) angles in degrees."""

    _default_settings: ClassVar[dict] = {
        **StrPrinter._default_settings,
        "degrees": True,
        "language": "en",
    }

    def _angle(self, arg: sp.Expr) -> str:
        if not self._settings["degrees"]:
            return self._print(arg)
        if arg.is_Mul and sp.Rational(1, 360) in arg.args:  # a half angle: show the halving
            whole = _tidy(arg * 360 / sp.pi)
            return f"{self._print(whole)}°/2" if whole.is_number else f"{self._print(whole)}/2"
        deg = _tidy(arg * 180 / sp.pi)
        text = self._print(deg)
        return f"{text}°" if deg.is_number else text

    def _print_sin(self, e: sp.Expr) -> str:
        return f"sin({self._angle(e.args[0])})"

    def _print_cos(self, e: sp.Expr) -> str:
        return f"cos({self._angle(e.args[0])})"

    def _print_tan(self, e: sp.Expr) -> str:
        return f"tan({self._angle(e.args[0])})"

    def _print_Abs(self, e: sp.Expr) -> str:
        return f"|{self._print(e.args[0])}|"

    def _print_Piecewise(self, e: sp.Expr) -> str:
        if self._settings["language"] == "zh":  # 分段函数: each piece, its condition beside it
            return "，".join(
                f"{self._print(v)}（{'其他' if c is sp.true else self._print(c)}）"
                for v, c in e.args
            )
        parts = [
            f"{self._print(v)} for {self._print(c)}"
            if c is not sp.true
            else f"{self._print(v)} otherwise"
            for v, c in e.args
        ]
        return ", ".join(parts)

    def _print_Pow(self, e: sp.Expr, rational: bool = False) -> str:
        base, exp = e.args
        inner = self._print(base)
        atomic = base.is_Symbol or (base.is_Integer and base >= 0) or base.is_Function
        if exp == sp.S.Half:
            return f"√{inner}" if atomic else f"√({inner})"
        if exp == 2:
            return f"{inner}²" if atomic else f"({inner})²"
        return super()._print_Pow(e, rational)

    def _print_Mul(self, e: sp.Expr) -> str:
        text = self._mul(e)
        # A formula's sign left unevaluated by a substitution (AB - CD with CD = 6 is
        # 10 + (-1)·6) comes out of SymPy's printer as -1·6 (it takes the -1 for the sign
        # and leaves a 1): shown as 10 - 6, -(-2)·exp(-2), never with a factor of one.
        if e.args[0] is sp.S.NegativeOne and not e.free_symbols and text.startswith("-1*"):
            return "-" + text[3:]
        return text

    def _mul(self, e: sp.Expr) -> str:
        # In degrees, 180·atan(x)/π is an inverse function.
        factors = _flat_factors(e) if self._settings["degrees"] else []
        for fn, name in _INVERSE.items():
            calls = [a for a in factors if a.func is fn]
            if calls and any(a in (sp.pi, 1 / sp.pi) for a in factors):
                others = [a for a in factors if a is not calls[0]]
                rest = sp.simplify(sp.Mul(*others) * sp.pi / 180)
                text = f"{name}({self._print(calls[0].args[0])})"
                if rest == 1:
                    return text
                if rest == -1:
                    return f"-{text}"
                return f"{self._print(rest)}*{text}"
        return super()._print_Mul(e)


# Geometry keeps SymPy's term order (cheap); functions read best in descending powers.
_PRINTERS = {
    (True, "en"): _Printer({"order": "none"}),
    (False, "en"): _Printer({"order": "lex", "degrees": False}),
    (True, "zh"): _Printer({"order": "none", "language": "zh"}),
    (False, "zh"): _Printer({"order": "lex", "degrees": False, "language": "zh"}),
}


#: The printer, for a domain that orders its terms its own way (``shown`` finishes its text).
Printer = _Printer


def shown(text: str) -> str:
    """A printer's text with the signs the texts use: ^, ·, π."""
    return text.replace("**", "^").replace("*", "·").replace("pi", "π")


def pretty(expr: sp.Expr, degrees: bool = True, language: str = "en") -> str:
    """``sqrt(AB**2 + BC**2)`` -> ``√(AB² + BC²)``; ``x*sin(pi*t/180)`` -> ``x·sin(t)``
    (geometry: angles in degrees). ``degrees=False`` for functions of x in radians;
    ``language`` words what is not a sign (a piecewise function's conditions)."""
    return shown(_PRINTERS[degrees, language].doprint(expr))


def unevaluated(expr: sp.Basic, values: dict) -> sp.Basic:
    """``expr.xreplace(values)`` with every rebuilt node left unevaluated. Each node is
    built with ``evaluate=False`` rather than under ``sympy.evaluate(False)``: that global
    switch clears SymPy's cache, and everything after it would run cold."""
    if expr in values:
        return values[expr]
    if not expr.args:
        return expr
    args = [unevaluated(a, values) for a in expr.args]
    if all(a is b for a, b in zip(args, expr.args, strict=True)):
        return expr
    return expr.func(*args, evaluate=False)


def substituted(expr: sp.Expr, values: dict[sp.Symbol, sp.Expr]) -> str:
    """The expression with numbers in place of symbols, not yet evaluated."""
    return pretty(unevaluated(expr, values))
