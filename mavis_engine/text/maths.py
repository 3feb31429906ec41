"""Readable maths for rationales: √, ², ·, degrees inside trig functions."""

from __future__ import annotations

import sympy as sp
from sympy.printing.str import StrPrinter

_INVERSE = {sp.atan: "arctan", sp.asin: "arcsin", sp.acos: "arccos"}


class _Printer(StrPrinter):
    def _degrees(self, arg: sp.Expr) -> str:
        deg = sp.simplify(arg * 180 / sp.pi)
        text = self._print(deg)
        return f"{text}°" if deg.is_number else text

    def _print_sin(self, e: sp.Expr) -> str:
        return f"sin({self._degrees(e.args[0])})"

    def _print_cos(self, e: sp.Expr) -> str:
        return f"cos({self._degrees(e.args[0])})"

    def _print_tan(self, e: sp.Expr) -> str:
        return f"tan({self._degrees(e.args[0])})"

    def _print_Pow(self, e: sp.Expr, rational: bool = False) -> str:
        base, exp = e.args
        inner = self._print(base)
        atomic = base.is_Symbol or base.is_Integer or base.is_Function
        if exp == sp.S.Half:
            return f"√{inner}" if atomic else f"√({inner})"
        if exp == 2:
            return f"{inner}²" if atomic else f"({inner})²"
        return super()._print_Pow(e, rational)

    def _print_Mul(self, e: sp.Expr) -> str:
        # 180·atan(x)/π is an inverse function in degrees.
        for fn, name in _INVERSE.items():
            calls = [a for a in e.args if a.func is fn]
            if calls and e.has(sp.pi):
                rest = sp.Mul(*(a for a in e.args if a is not calls[0])) * sp.pi / 180
                text = f"{name}({self._print(calls[0].args[0])})"
                rest = sp.simplify(rest)
                return text if rest == 1 else f"{self._print(rest)}*{text}"
        return super()._print_Mul(e)


_PRINTER = _Printer({"order": "none"})


def pretty(expr: sp.Expr) -> str:
    """``sqrt(AB**2 + BC**2)`` -> ``√(AB² + BC²)``; ``x*sin(pi*t/180)`` -> ``x·sin(t)``."""
    return _PRINTER.doprint(expr).replace("**", "^").replace("*", "·").replace("pi", "π")


def substituted(expr: sp.Expr, values: dict[sp.Symbol, sp.Expr]) -> str:
    """The expression with numbers in place of symbols, not yet evaluated."""
    with sp.evaluate(False):
        filled = expr.xreplace(values)
    return pretty(filled)
