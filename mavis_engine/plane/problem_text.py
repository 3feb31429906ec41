"""Words for plane problems: quantity names, the question, the rationale."""

from __future__ import annotations

import sympy as sp

from mavis_engine import exact
from mavis_engine.plane.formulas import Q
from mavis_engine.plane.problem import Evaluation, Problem
from mavis_engine.text.maths import pretty, substituted


def symbol_name(q: Q) -> str:
    """Short name used inside formulas: AB, ∠ABC, S(ABCD), P(total), arc(ABC), r(ABC)."""
    kind, of = q
    if kind == "length":
        return "".join(of)
    if kind == "angle":
        return "∠" + "".join(of)
    owner = "total" if of == ("*",) else of[0]
    return {"area": "S", "perimeter": "P", "arc_length": "arc", "radius": "r"}[kind] + f"({owner})"


def _owner(name: str) -> str:
    if name == "*":
        return "the whole figure"
    if name.startswith("incircle("):
        return f"the circle inscribed in {name[9:-1]}"
    return name


def phrase(q: Q) -> str:
    """How the text names a quantity: 'the length of AB', 'the area of the whole figure'."""
    kind, of = q
    if kind == "length":
        return f"the length of {''.join(of)}"
    if kind == "angle":
        return f"the measure of angle {''.join(of)}"
    what = {
        "area": "the area",
        "perimeter": "the perimeter",
        "arc_length": "the arc length",
        "radius": "the radius",
    }[kind]
    return f"{what} of {_owner(of[0])}"


def value_text(q: Q, value: sp.Expr) -> str:
    """A value as the text states it: exact form, degrees for angles."""
    text = exact.display(value)
    return f"{text}°" if q[0] == "angle" else text


def with_decimal(q: Q, value: sp.Expr) -> str:
    """Exact form, plus a decimal when the exact form is not a plain number."""
    unit = "°" if q[0] == "angle" else ""
    short = exact.nice(value)
    if value.is_Rational:
        return f"{short}{unit}"
    exact_form = short if short is not None else pretty(value)
    return f"{exact_form}{unit} ≈ {exact.to_float(value):.2f}{unit}"


def rationale_steps(problem: Problem, run: Evaluation, skip: set[int] = frozenset()) -> list[str]:
    """One sentence per forward step: reason, symbolic form, numbers, result."""
    lines = []
    shown = [
        (s, sol)
        for i, (s, sol) in enumerate(zip(problem.steps, run.solutions, strict=True))
        if i not in skip
    ]
    for i, (step, solution) in enumerate(shown, 1):
        t = step.formula.template
        named = {
            t.symbol(r): sp.Symbol(symbol_name(q), positive=True) for r, q in step.formula.binding
        }
        numbers = {t.symbol(r): run.values[q] for r, q in step.formula.binding if q != step.unknown}
        unknown = symbol_name(step.unknown)
        result = with_decimal(step.unknown, run.values[step.unknown])  # "exact ≈ decimal"
        symbolic = pretty(solution.xreplace(named))
        filled = substituted(solution, numbers)
        chain = [unknown, symbolic]
        if filled != symbolic:
            chain.append(filled)
        if result.split(" ≈ ")[0].rstrip("°") == filled:  # nothing left to evaluate
            chain[-1] = result
        else:
            chain.append(result)
        lines.append(f"Step {i} ({t.name}): {' = '.join(chain)}.")
    return lines


def rationale(
    problem: Problem,
    run: Evaluation,
    closing: str,
    skip: set[int] = frozenset(),
    steps: list[str] | None = None,
) -> str:
    """The full chain of thought, ending in the fixed closing form ``Answer: ...``
    (``skip``: steps left out, as a rationale that skips a step does; ``steps``: the step
    lines when already written for this run)."""
    target = problem.target
    lines = list(steps) if steps is not None else rationale_steps(problem, run, skip)
    lines.append(f"So {phrase(target)} is {with_decimal(target, run.values[target])}.")
    lines.append(f"Answer: {closing}")
    return "\n".join(lines)
