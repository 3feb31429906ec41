"""What every grid question is made of, and the number and point forms its text uses."""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from mavis_engine import exact
from mavis_engine.analytic.figures import GridFigure
from mavis_engine.figure import Fact


def d(v: sp.Expr | int) -> str:
    """Short exact text of a number: 3, 2.5, 4√3, 2π."""
    return exact.display(sp.sympify(v))


def signed(v: sp.Expr) -> str:
    """``v`` ready to follow an operator: 3 − (−2), not 3 − -2."""
    return f"({d(v)})" if v < 0 else d(v)


def num(v: sp.Expr) -> str:
    """An answer in the rationale: exact, with its decimal unless it is rational."""
    short = exact.nice(v) or _sum(v)
    if v.is_Rational:
        return short
    return f"{short or exact.to_str(v)} ≈ {exact.decimal(exact.to_float(v))}"


def _sum(v: sp.Expr) -> str | None:
    """A sum of unlike surds as it is read: √13 + 2√2 + 5 (None if a term has no short form)."""
    if not v.is_Add:
        return None
    terms = [exact.nice(t) for t in v.as_ordered_terms()]
    if None in terms:
        return None
    return " + ".join(terms).replace("+ -", "- ")


def pt(p) -> str:
    return f"({d(p[0])}, {d(p[1])})"


@dataclass
class GridProblem:
    """A question about the diagram (one figure, or how figures meet), its exact rationale,
    and typed mistakes."""

    figure: GridFigure
    fact: Fact
    question: str
    steps: list[str]
    mistakes: list[tuple[str, sp.Expr]]  # (mistake, value); texts for a categorical answer
    label: str | None = None  # a categorical answer (a point, an equation), else None
    # Figures whose coordinates the question gives (text-lite describes them, the vision
    # versions label their key points); None: the asked figure alone.
    needs: list[GridFigure] | None = None
    marks: dict[str, tuple[float, float]] = field(default_factory=dict)  # more labelled points
    asked: str | None = None  # the question as a sentence where "What is …?" reads badly
    concluded: str | None = None  # the closing sentence, "{answer}" standing for the answer

    def conclude(self, answer: str) -> str:
        """The rationale's closing sentence for ``answer``."""
        return (self.concluded or f"So {self.question} is {{answer}}.").format(answer=answer)


def point_text(x: sp.Expr, y: sp.Expr) -> str:
    return f"({d(x)}, {d(y)})"
