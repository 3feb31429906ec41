"""What the problems and the multi-step chains share: regular bases' areas and apothems
as multiples of the side (with their text), and how an exact answer is shown."""

from __future__ import annotations

import sympy as sp

from mavis_engine import exact
from mavis_engine.solid.text import show

# Area of a regular n-gon of side a, as a multiple of a² (n in BASE_SIDES), and its text.
BASE_AREA = {
    3: (sp.sqrt(3) / 4, "√3/4·a²"),
    4: (sp.Integer(1), "a²"),
    6: (3 * sp.sqrt(3) / 2, "3√3/2·a²"),
}
APOTHEM = {
    3: (sp.sqrt(3) / 6, "√3/6·a"),
    4: (sp.Rational(1, 2), "a/2"),
    6: (sp.sqrt(3) / 2, "√3/2·a"),
}


def answer_text(value: sp.Expr) -> str:
    """An exact value as an answer shows it (short exact form, else two decimals)."""
    return show(sp.expand(value)) or exact.display(value)
