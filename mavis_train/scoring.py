"""Answer scoring: does a model's generated answer equal an engine problem's gold answer?

Comparison is by value where both sides are numbers (exact forms such as ``4√3``,
``3π/2`` or ``128·tan(35°)`` against the 2-decimal approximations the engine prints),
by option letter (or the option's value or text) for multiple-choice problems, and by
normalised text otherwise (equations, points, figure names, categorical answers).

Answers are read (the closing answer, the value of a text) by the engine's own reader,
``mavis_engine.reading``, which ``mavis-engine verify`` checks every row with: a gold
answer the engine writes is read here exactly as verify read it. Beyond that reader,
``mavis_train`` uses only row columns.
"""

from __future__ import annotations

import math
import re
import unicodedata

from mavis_engine.reading import answer_value, extract_answer

__all__ = ["answer_value", "extract_answer", "normalise_text", "same_answer"]

REL_TOL = 1e-2  # the engine prints 2-decimal approximations
ABS_TOL = 1e-6
# A side written as a decimal with 2+ places may be off by half its last place (the
# engine prints -0.24 for -0.2441, 1.7% off): that much absolute slack is allowed too.
_DECIMAL = re.compile(r"[-+−]?\d*\.(\d+)\s*°?")
# Two exact forms (integers, fractions, surds, π, trig; no decimal point on either side)
# must agree to this: "8 + 121π/45" is not "8 + 8π/3" although they are 0.4% apart.
EXACT_REL_TOL = 1e-6
_TIE_TOL = 1e-9  # "equal" when breaking ties between options within REL_TOL
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_SUPERSCRIPT_RUN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+")

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
        text = tail.strip() if answer_value(exact_part) is None else exact_part.strip()
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
