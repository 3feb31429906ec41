"""Reading answers back from text, one reader for the engine and for training: the
closing answer of a rationale (the engine's fixed form, and what a model writes), and the
value of an answer text in the engine's notation.

Numbers are parsed with SymPy after translating the engine's notation (√, π, ·, ², ³,
°) to SymPy syntax; the text is screened first (length, characters, names, exponents),
so nothing a model writes reaches Python's ``eval`` unchecked.
"""

from __future__ import annotations

import math
import re
import warnings
from functools import lru_cache

import sympy as sp
from sympy.parsing.sympy_parser import (
    implicit_application,
    implicit_multiplication,
    parse_expr,
    standard_transformations,
)

__all__ = ["answer_value", "extract_answer", "final_answer"]

MAX_VALUE_CHARS = 200  # longer texts are not parsed as numbers


_CLOSING = re.compile(r"Answer:|答案：")


def final_answer(text: str) -> str:
    """The engine's fixed closing form: the text after the last 'Answer:' (Chinese rows:
    '答案：'), what ``verify`` requires of every rationale; ``extract_answer`` reads it
    the same way."""
    return _CLOSING.split(text)[-1].strip()


# ---------------------------------------------------------------------------- extraction

_ANSWER = re.compile(r"answer\s*:|答案\s*[:：]", re.IGNORECASE)
_THE_ANSWER_IS = re.compile(r"\bthe\s+(?:final\s+)?answer\s+is\s*:?", re.IGNORECASE)
_BOXED = re.compile(r"\\boxed\s*\{")


def _unwrap(line: str) -> str:
    """``$x$``, ``**x**`` and ``\\boxed{x}`` as ``x``, stripped of a final period (or 。)."""
    line = line.strip().removesuffix("。").removesuffix(".").strip().strip("*$").strip()
    boxed = _last_boxed(line)
    if boxed is not None and line.startswith("\\boxed") and line.endswith("}"):
        line = boxed.strip().strip("$").strip()
    return line.removesuffix(".").strip()


def _clean(text: str) -> str:
    """The first non-empty line, unwrapped."""
    return _unwrap(next((s for s in text.splitlines() if s.strip()), ""))


def _boxed_spans(text: str) -> list[tuple[int, str]]:
    """(start, content) of every ``\\boxed{...}`` with balanced braces."""
    spans = []
    for match in _BOXED.finditer(text):
        depth, i = 1, match.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        if depth == 0:
            spans.append((match.start(), text[match.end() : i - 1]))
    return spans


def _last_boxed(text: str) -> str | None:
    spans = _boxed_spans(text)
    return spans[-1][1] if spans else None


def extract_answer(text: str) -> str | None:
    """The model's final answer: the first line after the last "Answer:" (any case) or
    "答案：", else the later of a final ``\\boxed{...}`` and the last "the answer is X"; stripped
    of spaces and a final period. None when there is none (or it is empty)."""
    if not text:
        return None
    found = list(_ANSWER.finditer(text))
    if found:
        return _clean(text[found[-1].end() :]) or None
    candidates: list[tuple[int, str]] = []
    spans = _boxed_spans(text)
    if spans:
        candidates.append(spans[-1])
    said = list(_THE_ANSWER_IS.finditer(text))
    if said:
        candidates.append((said[-1].start(), text[said[-1].end() :]))
    if not candidates:
        return None
    _, answer = max(candidates)
    return _clean(answer) or None


# ------------------------------------------------------------------------------- values

_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_SUPERSCRIPT_RUN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+")
_CHARACTERS = str.maketrans({"−": "-", "–": "-", "·": "*", "⋅": "*", "×": "*", "÷": "/"})
_LATEX = (
    (re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}"), r"((\1)/(\2))"),
    (re.compile(r"\\sqrt\s*\{([^{}]*)\}"), r"√(\1)"),
    (re.compile(r"\^\s*\{?\s*\\circ\s*\}?"), "°"),
    (re.compile(r"\\(?:left|right)\b"), ""),
    (re.compile(r"\\(?:cdot|times)\b"), "*"),
    (re.compile(r"\\pi\b"), "π"),
    (re.compile(r"\\(sin|cos|tan|arcsin|arccos|arctan|ln|log)\b"), r"\1"),
)
_TRIG_DEG = re.compile(r"\b(sin|cos|tan)\s*\(([^()]*?)\s*°\s*\)")
_TRIG_DEG_BARE = re.compile(r"\b(sin|cos|tan)\s*(\d+(?:\.\d+)?)\s*°")
_INVERSE_DEG = re.compile(r"\b(asin|acos|atan)\s*\(([^()]*)\)\s*°")
_INVERSE = re.compile(r"\b(asin|acos|atan)\s*\(")
_ALIASES = {"arcsin": "asin", "arccos": "acos", "arctan": "atan", "ln": "log"}
_ALIAS = re.compile(r"\b(arcsin|arccos|arctan|ln)\b")
_DEGREE_WORD = re.compile(r"\s*\b(?:degrees?|deg)\b")
_ROOT_FUNCTION = re.compile(r"√\s*((?:sin|cos|tan|asin|acos|atan|log)\s*\([^()]*\))")
_ROOT_NUMBER = re.compile(r"√\s*(\d+(?:\.\d+)?|pi\b)")
_ROOT_GROUP = re.compile(r"√\s*\(")
_ALLOWED = re.compile(r"[0-9a-z\s+\-*/().]*")
_WORD = re.compile(r"[a-z]+")
_EXPONENT = re.compile(
    r"\*\*\s*(?:[+-]?\d{1,2}(?:\.\d{1,2})?(?![\d.])"  # a small exponent: **2, **-1, **0.5
    r"|\(\s*[+-]?\d{1,2}(?:\s*[./]\s*\d{1,2})?\s*\))"  # **(2), **(1/2)
    r"(?!\s*\*\*)"  # never a tower: 9**9**9 is 9**(9**9)
)
# Powers per text: each is small and none is a tower, so a few cost nothing; the engine
# writes up to three (√(25·tan(35°)² + 25·tan(70°)²·tan(35°)²)).
_MAX_POWERS = 8

_NAMES = {
    "sqrt": sp.sqrt,
    "pi": sp.pi,
    "sin": sp.sin,
    "cos": sp.cos,
    "tan": sp.tan,
    "asin": sp.asin,
    "acos": sp.acos,
    "atan": sp.atan,
    "log": sp.log,
}
_GLOBALS = {
    "Integer": sp.Integer,
    "Float": sp.Float,
    "Rational": sp.Rational,
    "Symbol": sp.Symbol,
    **_NAMES,
}
_TRANSFORMS = (*standard_transformations, implicit_multiplication, implicit_application)


def _superscript(match: re.Match[str]) -> str:
    return f"**({match.group().translate(_SUPERSCRIPTS)})"


def _sympy_syntax(text: str) -> str | None:
    """The engine's notation as a screened SymPy string, or None when it cannot be a
    plain number (unknown names, other characters, big exponents)."""
    s = text.translate(_CHARACTERS).strip()
    for pattern, repl in _LATEX:
        s = pattern.sub(repl, s)
    s = s.replace("{", "(").replace("}", ")").lower()
    if _THOUSANDS.fullmatch(s):
        s = s.replace(",", "")
    s = s.replace("π", " pi ")
    s = _ALIAS.sub(lambda m: _ALIASES[m.group(1)], s)
    s = _DEGREE_WORD.sub("°", s)
    s = _ROOT_FUNCTION.sub(r"√(\1)", s)  # √sin(29°) before the degrees are converted
    s = _TRIG_DEG.sub(r"\1((\2)*pi/180)", s)
    s = _TRIG_DEG_BARE.sub(r"\1((\2)*pi/180)", s)
    if s.rstrip().endswith("°"):  # still: the whole is an angle in degrees, its arc functions too
        s = _INVERSE.sub(r"(180/pi)*\1(", s.rstrip()[:-1])
    s = _INVERSE_DEG.sub(r"(180/pi*\1(\2))", s)
    s = s.replace("°", "")  # a bare degree measure is its number of degrees
    s = _ROOT_NUMBER.sub(r"sqrt(\1)", s)
    s = _ROOT_GROUP.sub("sqrt(", s)
    s = _SUPERSCRIPT_RUN.sub(_superscript, s).replace("^", "**")
    if not s.strip() or not _ALLOWED.fullmatch(s):
        return None
    if re.search(r"\.(?!\d)", s):  # a dot only ever starts decimals: no attribute access
        return None
    if any(word not in _NAMES for word in _WORD.findall(s)):
        return None
    powers = s.count("**")
    if powers > _MAX_POWERS or len(_EXPONENT.findall(s)) != powers:
        return None
    return _WORD.sub(r" \g<0> ", s)  # "4sqrt(3)" tokenises as 4 * sqrt(3)


def _evaluate(text: str) -> float | None:
    if _PLAIN_NUMBER.fullmatch(text.strip()):
        value = float(text)
        return value if math.isfinite(value) else None
    code = _sympy_syntax(text)
    if code is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expr = parse_expr(
                code, local_dict={}, global_dict=dict(_GLOBALS), transformations=_TRANSFORMS
            )
        if not isinstance(expr, sp.Expr) or expr.free_symbols or not expr.is_number:
            return None
        number = complex(expr.evalf(30))
    except Exception:  # any parse or evaluation failure means "not a number"
        return None
    if not (math.isfinite(number.real) and math.isfinite(number.imag)):
        return None
    if abs(number.imag) > 1e-12 * max(1.0, abs(number.real)):
        return None
    return number.real


@lru_cache(maxsize=4096)
def answer_value(text: str) -> float | None:
    """The numeric value of an answer text (``1.75``, ``-7/2``, ``4√3``, ``3π/2``,
    ``75°``, ``√(49 + 49·tan(35°)²)``, ``2/(-√2/4 + √6/4) ≈ 7.73``...), or None when it
    is not a number. Always a finite float or None."""
    if not isinstance(text, str) or len(text) > MAX_VALUE_CHARS:
        return None
    text = text.strip().removesuffix(".").strip()
    if not text:
        return None
    if "≈" in text:
        exact_part, _, approx = text.partition("≈")
        value = _evaluate(exact_part) if exact_part.strip() else None
        return value if value is not None else _evaluate(approx.strip())
    return _evaluate(text)
