"""Problems: backward deduction over the formula library, forward evaluation, mistakes.

MAVIS's method: pick a target in the last shape, deduce it backward through a formula to
a quantity of the same or an adjacent shape, mark that one unknown and repeat for a number
of hops; what is left are the givens. The rationale replays the chain forward. Distractors
and rejected rationales are the same chain run with one typed mistake.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from mavis_engine import exact
from mavis_engine.errors import Rejected
from mavis_engine.figure import Fact, Figure
from mavis_engine.plane.formulas import Formula, Q, figure_formulas, qkey

MAX_STEPS = 12
TARGET_KINDS = ("length", "angle", "area", "perimeter", "arc_length", "radius")


@dataclass(frozen=True)
class Step:
    """One forward computation: ``unknown`` from the other quantities of ``formula``."""

    formula: Formula
    unknown: Q

    @property
    def inputs(self) -> tuple[Q, ...]:
        return tuple(q for q in self.formula.quantities if q != self.unknown)


@dataclass
class Problem:
    """A target, the forward chain that reaches it and the givens it needs."""

    target: Q
    steps: list[Step]
    givens: list[Q]
    facts: dict[Q, Fact] = field(repr=False)
    _solutions: list[sp.Expr] | None = field(default=None, repr=False)

    def fact(self, q: Q) -> Fact:
        return self.facts[q]

    def solutions(self) -> list[sp.Expr]:
        """Each step's solved form (computed once: every run of the chain shares them)."""
        if self._solutions is None:
            self._solutions = [_solution(self, step) for step in self.steps]
        return self._solutions


def _candidates(figure: Figure, facts: dict[Q, Fact]) -> list[Q]:
    solids = [s for s in figure.shapes if s.kind != "inscribed_circle"]
    last = solids[-1]
    own = [s.name for s in figure.shapes if s is last or s.details.get("in") == last.name]
    out = []
    for q, fact in facts.items():
        kind, of = q
        if kind not in TARGET_KINDS:
            continue
        if kind in ("length", "angle"):
            if kind == "angle" and fact.value == 90:
                continue  # marked in the diagram: not worth asking
            if not set(of) <= set(last.vertices):
                continue
        elif of[0] not in own:
            continue
        out.append(q)
    if len(solids) > 1:
        out += [("area", ("*",)), ("perimeter", ("*",))]
    return out


def deduce(figure: Figure, rng: np.random.Generator, hops: tuple[int, int]) -> Problem:
    """Choose a target and deduce it backward for a random number of hops."""
    facts = {qkey(f.kind, f.of): f for f in figure.facts}
    formulas = figure_formulas(figure)
    by_quantity: dict[Q, list[Formula]] = {}
    for f in formulas:
        for q in f.quantities:
            by_quantity.setdefault(q, []).append(f)

    def usable(f: Formula, q: Q, path: frozenset) -> bool:
        # Sums are only ever used forwards (a side is never worked out from a total).
        if f.shape == "*" and f.quantities[0] != q:
            return False
        if (set(f.quantities) - {q}) & path or not f.template.solve(f.role_of(q)):
            return False
        return determined(f, q, facts)

    # A question worth asking ends in a computation, not in "these two sides are equal".
    candidates = [
        q
        for q in _candidates(figure, facts)
        if any(
            usable(f, q, frozenset()) and not f.template.is_equality for f in by_quantity.get(q, [])
        )
    ]
    if not candidates:
        raise Rejected("no_target")
    target = candidates[int(rng.integers(len(candidates)))]
    budget = int(rng.integers(hops[0], hops[1] + 1))
    steps: list[Step] = []
    givens: list[Q] = []
    known: set[Q] = set()

    def expand(q: Q, depth: int, path: frozenset) -> None:
        options = [f for f in by_quantity.get(q, []) if usable(f, q, path)]
        if q == target:
            options = [f for f in options if not f.template.is_equality]
        if (depth <= 0 and exact.nice(facts[q].exact) is not None) or not options:
            # A given must be stated exactly and briefly ("12π/5", not "7.54"); one that
            # cannot be is worked out from others instead, past the hop budget if need be.
            if exact.nice(facts[q].exact) is None:
                raise Rejected("ugly_given", f"{q} has no short exact form")
            givens.append(q)
            known.add(q)
            return
        formula = options[int(rng.integers(len(options)))]
        others = [o for o in formula.quantities if o != q]
        if formula.shape == "*":
            deeper = others  # a sum: every term is worked out
        else:
            # Prefer to continue through a quantity other shapes share (the MAVIS hop to
            # the adjacent shape); otherwise any input.
            linked = [
                o for o in others if any(f.shape != formula.shape for f in by_quantity.get(o, []))
            ]
            pool = linked or others
            deeper = [pool[int(rng.integers(len(pool)))]]
        for o in others:
            if o in known:
                continue
            if o in deeper or exact.nice(facts[o].exact) is None:
                expand(o, depth - 1, path | {q})
            else:
                givens.append(o)
                known.add(o)
        steps.append(Step(formula, q))
        known.add(q)

    expand(target, budget, frozenset())
    if len(steps) > MAX_STEPS:
        raise Rejected("chain_too_long", f"{len(steps)} steps")
    if not steps:
        raise Rejected("no_deduction", f"no formula reaches {target}")
    return Problem(target, steps, givens, facts)


def branches(formula: Formula, q: Q, facts: dict[Q, Fact]) -> list[float]:
    """The values of ``q`` its formula allows from the figure's other values: for an angle,
    the branches inside its range (under 90° where the shape keeps it acute, else under
    180°), so an area through sin θ allows both θ and 180° − θ."""
    t = formula.template
    role = formula.role_of(q)
    subs = {t.symbol(r): facts[o].exact for r, o in formula.binding if o != q}
    top = 90 if role in t.acute else 180
    found: list[float] = []
    for candidate in t.solve(role):
        try:
            v = exact.to_float(candidate.xreplace(subs))
        except (TypeError, ValueError, ZeroDivisionError):  # a complex branch
            continue
        if not isinstance(v, float) or not math.isfinite(v) or v <= 1e-9:
            continue
        if q[0] == "angle" and v >= top - 1e-9:
            continue
        if not any(math.isclose(v, w, rel_tol=1e-9) for w in found):
            found.append(v)
    return found


def determined(formula: Formula, q: Q, facts: dict[Q, Fact]) -> bool:
    """Whether the formula fixes ``q`` from the others: an angle worked out from its sine
    (a rhombus of area 32 and side 8 has angles of 30° and 150°) is not, and a question
    whose text cannot tell the branches apart would have two right answers."""
    if q[0] != "angle" or q not in facts:
        return True
    return len(branches(formula, q, facts)) == 1


# --- forward evaluation, with an optional mistake ----------------------------------------

Mutation = Callable[[sp.Expr, "StepContext"], sp.Expr | None]


@dataclass
class StepContext:
    """What a mutation may look at: the step, its solved form and its input values."""

    step: Step
    solution: sp.Expr  # in role symbols
    values: dict[sp.Symbol, sp.Expr]


def _solution(problem: Problem, step: Step) -> sp.Expr:
    """The solved form of ``step`` whose value is the fact's (angle branches differ)."""
    t = step.formula.template
    role = step.formula.role_of(step.unknown)
    subs = {
        t.symbol(r): problem.fact(q).exact for r, q in step.formula.binding if q != step.unknown
    }
    truth = problem.fact(step.unknown).value
    for candidate in t.solve(role):
        try:
            got = exact.to_float(candidate.xreplace(subs))
        except (TypeError, ValueError):  # a complex branch
            continue
        if math.isclose(got, truth, rel_tol=1e-9, abs_tol=1e-12):
            return candidate
    raise Rejected("no_solution", f"{t.name} gives no branch matching {truth}")


def _gold_subs(problem: Problem, step: Step) -> dict[sp.Symbol, sp.Expr]:
    t = step.formula.template
    return {
        t.symbol(r): problem.fact(q).exact for r, q in step.formula.binding if q != step.unknown
    }


@dataclass
class Evaluation:
    """Values of every quantity of a chain run (exact), and each step's solved form."""

    values: dict[Q, sp.Expr]
    solutions: list[sp.Expr]

    def answer(self, target: Q) -> sp.Expr:
        return self.values[target]


def evaluate(
    problem: Problem,
    mutate: tuple[int, Mutation] | None = None,
    given_values: dict[Q, sp.Expr] | None = None,
    slip: int | None = None,
) -> Evaluation:
    """Run the chain forward from the givens; ``mutate`` = (step index, mutation) injects
    one mistake, ``given_values`` misread givens, ``slip`` an arithmetic slip in the result
    of that step; the effect then propagates through the later steps."""
    solutions = problem.solutions()
    mutated = None
    if mutate is not None:  # check it applies before running anything
        i, mutation = mutate
        step = problem.steps[i]
        mutated = mutation(solutions[i], StepContext(step, solutions[i], _gold_subs(problem, step)))
        if mutated is None:
            raise ValueError("mutation does not apply")
    values = {q: problem.fact(q).exact for q in problem.givens}
    if given_values:
        values.update(given_values)
    used = []
    for i, step in enumerate(problem.steps):
        t = step.formula.template
        subs = {t.symbol(r): values[q] for r, q in step.formula.binding if q != step.unknown}
        expr = solutions[i]
        if mutate is not None and mutate[0] == i:
            # Re-apply with this run's inputs (they differ once an earlier value is wrong).
            expr = mutate[1](expr, StepContext(step, expr, subs)) or mutated
        value = expr.xreplace(subs)
        truth = problem.fact(step.unknown)
        # A right value is written in the fact's canonical form (SymPy does not always
        # simplify a substituted formula to it); a wrong one stays as computed.
        if math.isclose(exact.to_float(value), truth.value, rel_tol=1e-12, abs_tol=1e-12):
            value = truth.exact
        if slip == i:
            value = value + 1 if value.is_Integer else value * sp.Rational(5, 4)
        values[step.unknown] = value
        used.append(expr)
    return Evaluation(values, used)


# --- typed mistakes ------------------------------------------------------------------------

_TMP = sp.Function("_swap")


def _swap_trig(sol: sp.Expr, ctx: StepContext) -> sp.Expr | None:
    if not sol.has(sp.sin, sp.cos):
        return None
    return sol.replace(sp.sin, _TMP).replace(sp.cos, sp.sin).replace(_TMP, sp.cos)


def _angle_input(ctx: StepContext, test: Callable[[float], bool]) -> sp.Symbol | None:
    t = ctx.step.formula.template
    unknown_role = ctx.step.formula.role_of(ctx.step.unknown)
    for role in t.angles:
        sym = t.symbol(role)
        if role != unknown_role and sym in ctx.values and test(exact.to_float(ctx.values[sym])):
            return sym
    return None


def _complementary(sol: sp.Expr, ctx: StepContext) -> sp.Expr | None:
    sym = _angle_input(ctx, lambda v: 0 < v < 90)
    return None if sym is None else sol.xreplace({sym: 90 - sym})


def _supplementary(sol: sp.Expr, ctx: StepContext) -> sp.Expr | None:
    sym = _angle_input(ctx, lambda v: v != 90)
    return None if sym is None else sol.xreplace({sym: 180 - sym})


def _forgot_half(sol: sp.Expr, ctx: StepContext) -> sp.Expr | None:
    halves = any(r.q % 2 == 0 for r in sol.atoms(sp.Rational))
    return 2 * sol if halves else None


def _doubled_not_squared(sol: sp.Expr, ctx: StepContext) -> sp.Expr | None:
    squares = [p for p in sol.atoms(sp.Pow) if p.exp == 2 and p.base.is_Symbol]
    if not squares:
        return None
    return sol.xreplace({p: 2 * p.base for p in squares})


def _named(names: tuple[str, ...], fn: Callable[[sp.Expr, StepContext], sp.Expr | None]):
    def mutation(sol: sp.Expr, ctx: StepContext) -> sp.Expr | None:
        return fn(sol, ctx) if ctx.step.formula.template.name.startswith(names) else None

    return mutation


def _radius_doubled(sol: sp.Expr, ctx: StepContext) -> sp.Expr | None:
    r = ctx.step.formula.template.symbol("r")
    return sol.xreplace({r: 2 * r}) if r in ctx.values else None


def _flip(term: sp.Expr) -> Callable[[sp.Expr, StepContext], sp.Expr | None]:
    def flip(sol: sp.Expr, ctx: StepContext) -> sp.Expr | None:
        return sol.xreplace({term: -term}) if sol.has(term) else None

    return flip


def _added_squares(sol: sp.Expr, ctx: StepContext) -> sp.Expr | None:
    roots = [p for p in sol.atoms(sp.Pow) if p.exp == sp.S.Half and p.base.is_Add]
    if not roots:
        return None
    fixed = {p: sp.sqrt(sp.Add(*(abs_term(a) for a in p.base.args))) for p in roots}
    return sol.xreplace(fixed) if fixed else None


def abs_term(term: sp.Expr) -> sp.Expr:
    coeff, rest = term.as_coeff_Mul()
    return abs(coeff) * rest


def _removed_side(sol: sp.Expr, ctx: StepContext) -> sp.Expr | None:
    t = ctx.step.formula.template
    for role in ("d", "x"):
        if t.symbol(role) in ctx.values and ctx.step.formula.role_of(ctx.step.unknown) == "P":
            return sol + t.symbol(role)
    return None


# (name shown in data, mutation). Names describe the mistake a student makes.
MISTAKES: tuple[tuple[str, Callable[[sp.Expr, StepContext], sp.Expr | None]], ...] = (
    ("sin and cos swapped", _swap_trig),
    ("complementary angle used", _complementary),
    ("supplementary angle used", _supplementary),
    ("forgot to halve", _forgot_half),
    ("doubled instead of squaring", _doubled_not_squared),
    ("semicircle counted as a whole circle", _named(("semicircle arc",), lambda s, c: 2 * s)),
    ("diameter taken as the radius", _named(("radius = diameter",), lambda s, c: 2 * s)),
    (
        "diameter used in place of the radius",
        _named(
            ("area of a circle", "circumference", "arc length", "area of a sector"), _radius_doubled
        ),
    ),
    (
        "removed side counted in the perimeter",
        _named(("perimeter = d + 2h", "perimeter = 3x + 2h"), _removed_side),
    ),
    (
        "semicircle added instead of subtracted (or the reverse)",
        _named(("area = rectangle",), _flip(sp.pi)),
    ),
    (
        "triangle added instead of subtracted (or the reverse)",
        _named(("area = rectangle",), _flip(sp.sqrt(3))),
    ),
    ("squares added instead of subtracted", _named(("Pythagorean",), _added_squares)),
)
