"""Answer scoring: does a model's generated answer equal an engine problem's gold answer?

Comparison is by value where both sides are numbers (exact forms such as ``4√3``,
``3π/2`` or ``128·tan(35°)`` against the 2-decimal approximations the engine prints),
by option letter (or the option's value or text) for multiple-choice problems, and by
normalised text otherwise (equations, points, figure names, categorical answers).

Numbers are parsed with SymPy after translating the engine's notation (√, π, ·, ², ³,
°) to SymPy syntax; the text is screened first (length, characters, names, exponents),
so nothing a model writes reaches Python's ``eval`` unchecked. Like the rest of
``mavis_train`` this module reads only row columns, never the engine's internals.
"""

from __future__ import annotations

import math
import re
import unicodedata
import warnings
from functools import lru_cache

import sympy as sp
from sympy.parsing.sympy_parser import (
    implicit_application,
    implicit_multiplication,
    parse_expr,
    standard_transformations,
)

__all__ = ["answer_value", "extract_answer", "normalise_text", "same_answer"]

MAX_VALUE_CHARS = 200  # longer texts are not parsed as numbers
REL_TOL = 1e-2  # the engine prints 2-decimal approximations
ABS_TOL = 1e-6
# A side written as a decimal with 2+ places may be off by half its last place (the
# engine prints -0.24 for -0.2441, 1.7% off): that much absolute slack is allowed too.
_DECIMAL = re.compile(r"[-+−]?\d*\.(\d+)\s*°?")
# Two exact forms (integers, fractions, surds, π, trig; no decimal point on either side)
# must agree to this: "8 + 121π/45" is not "8 + 8π/3" although they are 0.4% apart.
EXACT_REL_TOL = 1e-6
_TIE_TOL = 1e-9  # "equal" when breaking ties between options within REL_TOL

# ---------------------------------------------------------------------------- extraction

_ANSWER = re.compile(r"answer\s*:", re.IGNORECASE)
_THE_ANSWER_IS = re.compile(r"\bthe\s+(?:final\s+)?answer\s+is\s*:?", re.IGNORECASE)
_BOXED = re.compile(r"\\boxed\s*\{")


def _unwrap(line: str) -> str:
    """``$x$``, ``**x**`` and ``\\boxed{x}`` as ``x``, stripped of a final period."""
    line = line.strip().removesuffix(".").strip().strip("*$").strip()
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
    """The model's final answer: the first line after the last "Answer:" (any case),
    else the later of a final ``\\boxed{...}`` and the last "the answer is X"; stripped
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
_MAX_POWERS = 2

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


# ------------------------------------------------------------------------------ matching

_OPTION = re.compile(
    r"(?:(?:option|choice)\s*:?\s*)?"  # "Option C", "choice: (C)"
    r"(?:[(\[]\s*([a-z])\s*[)\]](?:\s*[.:]?\s.*|\s*[.:])?"  # (C), [C], (C) 15.45
    r"|([a-z])(?:\s*[:)].*|\s*\.(?:\s.*)?)?)",  # C, C., C), C: 15.45
    re.IGNORECASE | re.DOTALL,
)


def _letter(text: str) -> str | None:
    """The option letter of a prediction such as ``C``, ``(C)``, ``C.``, ``C: 15.45`` or
    ``Option C``, upper case; None when it is not a letter."""
    text = text.strip().strip("*").strip()
    match = _OPTION.fullmatch(text)
    if match is None:
        return None
    letter = next(g for g in match.groups() if g)
    return letter.upper()


def normalise_text(text: str) -> str:
    """Text for free-form comparison: superscript digits as ``^n``, Unicode NFKC, lower
    case, "−" as "-", "**" as "^", all whitespace removed, a trailing period removed."""
    text = _SUPERSCRIPT_RUN.sub(lambda m: "^" + m.group().translate(_SUPERSCRIPTS), text)
    text = unicodedata.normalize("NFKC", text).lower().replace("−", "-").replace("**", "^")
    return "".join(text.split()).removesuffix(".")


def _close(a: float, b: float, rel: float = REL_TOL, abs_: float = ABS_TOL) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def _decimals(text: str) -> int:
    """Decimal places of a text that is a plain decimal number (``7.73``, ``-0.5``,
    ``62.43°``, or ``… ≈ 7.73`` whose exact part is no number); 0 for anything else
    (integers and exact forms)."""
    text = text.strip().removesuffix(".").strip()
    exact_part, approx, tail = text.partition("≈")
    if approx:
        text = tail.strip() if _evaluate(exact_part) is None else exact_part.strip()
    match = _DECIMAL.fullmatch(text)
    return len(match.group(1)) if match else 0


def _rounding(text: str) -> float:
    """Half the last decimal place of a text printed as a rounded decimal (2+ places)."""
    places = _decimals(text)
    return 0.5 * 10.0**-places + 1e-12 if places >= 2 else 0.0


def _same_value(a: str, b: str) -> bool | None:
    """Whether two texts agree by value, or None when either is not a number. Relative
    1e-2 (absolute 1e-6, or half the last place of a rounded decimal) when either side
    is a decimal; relative 1e-6 when both are exact forms."""
    va, vb = answer_value(a), answer_value(b)
    if va is None or vb is None:
        return None
    if not _decimals(a) and not _decimals(b):
        return _close(va, vb, EXACT_REL_TOL, ABS_TOL)
    return _close(va, vb, REL_TOL, max(ABS_TOL, _rounding(a), _rounding(b)))


def _split_top(inner: str) -> list[str]:
    """Comma-separated parts at bracket depth 0."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(inner):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(inner[start:i])
            start = i + 1
    parts.append(inner[start:])
    return parts


def _same_tuple(predicted: str, gold: str) -> bool:
    """Points/intervals with the same brackets and arity whose parts agree by value."""
    p, g = predicted.strip().removesuffix(".").strip(), gold.strip()
    if len(p) < 2 or len(g) < 2 or (p[0], p[-1]) != (g[0], g[-1]) or g[0] not in "([":
        return False
    p_parts, g_parts = _split_top(p[1:-1]), _split_top(g[1:-1])
    if len(p_parts) != len(g_parts) or len(g_parts) < 2:
        return False
    for a, b in zip(p_parts, g_parts, strict=True):
        same = _same_value(a, b)
        if same is None:
            same = normalise_text(a) == normalise_text(b)
        if not same:
            return False
    return True


def _same_free(predicted: str, gold: str) -> bool:
    same = _same_value(predicted, gold)
    if same is not None:
        return same
    if normalise_text(predicted) == normalise_text(gold):
        return True
    return _same_tuple(predicted, gold)


def _matching_option(predicted: str, choices: list[str]) -> int | None:
    """The one option a non-letter prediction names by value (or by normalised text),
    or None when it names none or several."""
    p_value = answer_value(predicted)
    if p_value is not None:
        near = [i for i, c in enumerate(choices) if _same_value(predicted, c)]
        if len(near) > 1:  # "12" vs options "12" and "12.1", 13.7766 vs "13.78" and "13.85":
            near = [  # only the options equal to it up to their printed rounding count
                i
                for i in near
                if _close(
                    p_value,
                    answer_value(choices[i]) or math.nan,
                    _TIE_TOL,
                    max(_TIE_TOL, _rounding(predicted), _rounding(choices[i])),
                )
            ]
        return near[0] if len(near) == 1 else None
    text = normalise_text(predicted)
    same = [i for i, c in enumerate(choices) if normalise_text(c) == text]
    return same[0] if len(same) == 1 else None


def same_answer(predicted: str | None, gold: str, choices: list[str] | None = None) -> bool:
    """Whether an extracted prediction matches the gold answer: by option letter (or
    the key option's value or text, when no other option matches it) for multiple
    choice; by value (relative 1e-2, absolute 1e-6, or half the last place of a side
    printed as a rounded decimal) when both are numbers; else by normalised text
    (points and intervals also part by part, by value)."""
    if predicted is None or gold is None:
        return False
    predicted = predicted.strip()
    if not predicted:
        return False
    gold = gold.strip()
    if choices and len(gold) == 1 and gold.isascii() and gold.isalpha():
        key = ord(gold.upper()) - ord("A")
        letter = _letter(predicted)
        if letter is not None:
            return letter == gold.upper()
        if key >= len(choices):
            return False
        return _matching_option(predicted, list(choices)) == key
    return _same_free(predicted, gold)
