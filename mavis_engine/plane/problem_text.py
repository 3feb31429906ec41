"""Words for plane problems: quantity names, the question, the rationale."""

from __future__ import annotations

import sympy as sp

from mavis_engine import exact
from mavis_engine.answers import closing_line
from mavis_engine.plane.formulas import Q
from mavis_engine.plane.phrases import INCIRCLE_SYMBOL, QUANTITIES, SENTENCES, SYMBOLS, reason
from mavis_engine.plane.problem import Evaluation, Problem
from mavis_engine.text.maths import pretty, substituted


def symbol_name(q: Q, language: str = "en") -> str:
    """Short name used inside formulas: AB, ∠ABC, S(ABCD), P(total), arc(ABC), r(ABC)."""
    kind, of = q
    if kind == "length":
        return "".join(of)
    if kind == "angle":
        return "∠" + "".join(of)
    symbols = SYMBOLS[language]
    owner = of[0]
    if owner == "*":
        owner = symbols["whole"]
    elif owner.startswith("incircle("):
        owner = INCIRCLE_SYMBOL[language].format(of=owner[9:-1])
    return f"{symbols[kind]}({owner})"


def _owner(name: str, language: str) -> str:
    words = QUANTITIES[language]
    if name == "*":
        return words["whole"]
    if name.startswith("incircle("):
        return words["incircle"].format(of=name[9:-1])
    return name


def phrase(q: Q, language: str = "en") -> str:
    """How the text names a quantity: 'the length of AB', 'the area of the whole figure'
    (Chinese: 'AB的长', '整个图形的面积')."""
    kind, of = q
    of_text = "".join(of) if kind in ("length", "angle") else _owner(of[0], language)
    return QUANTITIES[language][kind].format(of=of_text)


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


def rationale_steps(
    problem: Problem, run: Evaluation, skip: set[int] = frozenset(), language: str = "en"
) -> list[str]:
    """One sentence per forward step: reason, symbolic form, numbers, result."""
    lines = []
    step_form = SENTENCES[language]["step"]
    shown = [
        (s, sol)
        for i, (s, sol) in enumerate(zip(problem.steps, run.solutions, strict=True))
        if i not in skip
    ]
    for i, (step, solution) in enumerate(shown, 1):
        t = step.formula.template
        named = {
            t.symbol(r): sp.Symbol(symbol_name(q, language), positive=True)
            for r, q in step.formula.binding
        }
        numbers = {
            named[t.symbol(r)]: run.values[q] for r, q in step.formula.binding if q != step.unknown
        }
        unknown = symbol_name(step.unknown, language)
        result = with_decimal(step.unknown, run.values[step.unknown])  # "exact ≈ decimal"
        # The numbers go into the named form, not the role form: SymPy orders the named
        # terms by name (AB + AD + BE), the role form by role (q0 + q1 + q10 + q2), and
        # filling the role form would set each name beside another segment's value.
        in_names = solution.xreplace(named)
        symbolic = pretty(in_names)
        filled = substituted(in_names, numbers)
        chain = [unknown, symbolic]
        if filled != symbolic:
            chain.append(filled)
        if result.split(" ≈ ")[0].rstrip("°") == filled:  # nothing left to evaluate
            chain[-1] = result
        else:
            chain.append(result)
        why = reason(t.name, language)
        lines.append(step_form.format(i=i, reason=why, chain=" = ".join(chain)))
    return lines


def rationale(
    problem: Problem,
    run: Evaluation,
    closing: str,
    skip: set[int] = frozenset(),
    steps: list[str] | None = None,
    language: str = "en",
) -> str:
    """The full chain of thought, ending in the fixed closing form ``Answer: ...``
    (``skip``: steps left out, as a rationale that skips a step does; ``steps``: the step
    lines when already written for this run)."""
    target = problem.target
    words = SENTENCES[language]
    lines = [words["opening"]] if words["opening"] else []
    lines += steps if steps is not None else rationale_steps(problem, run, skip, language)
    value = with_decimal(target, run.values[target])
    lines.append(words["so"].format(what=phrase(target, language), value=value))
    lines.append(closing_line(closing, language))
    return "\n".join(lines)
