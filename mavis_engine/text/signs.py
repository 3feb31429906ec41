"""Signs as a teacher writes them in worked arithmetic: no doubled signs ("7 - (-2)" is
"7 + 2", "10 + -5" is "10 - 5"), no displayed coefficient of one ("-1·2^3" is "-2^3").

Used on the rationale steps of the function and analytic-geometry problems (their
substituted formulas are built by formatting numbers into templates, and a negative
number after a binary sign doubles it)."""

from __future__ import annotations

import re

# A number as the texts write it: 5, 1.5, 1/7, 2√3, 3π/2.
_NUMBER = r"\d+(?:\.\d+)?(?:√\d+)?π?(?:/\d+)?"
# A binary sign (spaced) before a negative number, bare or in brackets; a bracketed one
# raised to a power (-(-3)² is -9) is left alone.
_DOUBLED = re.compile(
    rf"(?P<sign>[-+−]) (?:\((?P<neg>[-−]{_NUMBER})\)(?![²³^\d])"
    rf"|(?P<bare>[-−]{_NUMBER})(?![²³^\d.]))"
)
# A factor of one leading a product: "-1·2^3", "1·(-2)", not the 1 of "4·1·9" or "21·".
_ONE = re.compile(r"(?<![\w.·^/)²³])(-?)1·(?=[\w(√π|])")


def tidy_signs(text: str, minus: str = "-") -> str:
    """``text`` with each sign before a negative number folded into one sign (``minus``:
    the character subtraction is written with, '-' or '−'), and leading factors of one
    dropped."""

    def fold(m: re.Match) -> str:
        number = (m.group("neg") or m.group("bare"))[1:]
        follows = m.string[m.end() : m.end() + 1]
        if m.group("neg") and follows == "·" and "/" in number:
            number = f"({number})"  # (1/7)·(-7) keeps its brackets
        sign = "+" if m.group("sign") in "-−" else minus
        return f"{sign} {number}"

    return _ONE.sub(r"\1", _DOUBLED.sub(fold, text))
