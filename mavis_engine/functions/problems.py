"""Direct questions about a plotted function: a value, a slope, a zero, an extremum, an
integral, a period, an asymptote. The answer is a fact already verified against the
expression; the rationale shows the exact computation; distractors are the same question
answered with one typical mistake."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
import sympy as sp
from sympy.printing.precedence import PRECEDENCE

from mavis_engine import exact
from mavis_engine.answers import text_options, value_options
from mavis_engine.figure import Fact
from mavis_engine.functions.analysis import Analysis, antiderivative
from mavis_engine.functions.families import shown_family, x
from mavis_engine.functions.phrases import PHRASES, label, noun
from mavis_engine.text.maths import Printer, shown
from mavis_engine.text.signs import tidy_signs

_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _based(node: sp.Basic) -> sp.Basic:
    """A product holding log(u) and 1/log(b), b an integer, with log_b(u) in their place."""
    logs = [f for f in node.args if isinstance(f, sp.log)]
    bases = [
        f
        for f in node.args
        if f.is_Pow and f.exp == -1 and isinstance(f.base, sp.log) and f.base.args[0].is_Integer
    ]
    if not logs or not bases:
        return node
    name = "log" + str(bases[0].base.args[0]).translate(_SUBSCRIPT)
    rest = [f for f in node.args if f is not logs[0] and f is not bases[0]]
    return sp.Mul(*rest, sp.Function(name)(logs[0].args[0]))


def based_logs(expr: sp.Basic) -> sp.Basic:
    """``expr`` for display, a logarithm in base b written log_b: SymPy keeps
    log(x - 3, 2) as log(x - 3)/log(2), which the text shows as log₂(x - 3)."""
    if not expr.has(sp.log):
        return expr
    return expr.replace(lambda n: n.is_Mul, _based)


class _NaturalOrder(Printer):
    """The function printer with a sum's terms in the order a teacher writes them: the
    terms in x (or an unknown constant) first, in descending powers, then the other
    constants, a plain number last: 4/(x + 3) - 3, cos(2) - 2."""

    def _as_ordered_terms(self, expr, order=None):
        terms = super()._as_ordered_terms(expr, order=order)
        return sorted(terms, key=lambda t: (not t.free_symbols, t.is_Rational))


class _English(_NaturalOrder):
    """The natural-order printer as an English textbook writes a formula: the natural
    logarithm as ln (log alone would read as log₁₀ beside log₂, log₁₀), roots with √ (also
    1/√(x - 2)), an unknown constant before a power: a·3ˣ + c, not 3ˣ·a + c."""

    def _as_ordered_terms(self, expr, order=None):
        # Terms in x, then unknown constants, then numbers: a/2ˣ + c, not c + a/2ˣ.
        terms = super()._as_ordered_terms(expr, order=order)
        return sorted(terms, key=lambda t: (not t.has(x), not t.free_symbols, t.is_Rational))

    def _print_log(self, e: sp.Expr) -> str:
        arg = e.args[0]
        if arg.is_Integer:
            return f"ln {arg}"
        inner = self._print(arg)
        return f"ln{inner}" if isinstance(arg, sp.Abs) else f"ln({inner})"

    def _print_Pow(self, e: sp.Expr, rational: bool = False) -> str:
        if e.exp == -sp.S.Half:  # SymPy's own printer writes 1/sqrt(x - 2)
            return f"1/{self._print(sp.sqrt(e.base))}"
        return super()._print_Pow(e, rational)

    def _print_Mul(self, e: sp.Expr) -> str:
        const, power = e.as_independent(x, as_Add=False)
        if const.free_symbols and power.is_Pow and power.base.is_Number and power.exp == x:
            sign, const = ("-", -const) if const.could_extract_minus_sign() else ("", const)
            head = self.parenthesize(const, PRECEDENCE["Mul"], strict=True)
            return f"{sign}{head}*{self._print(power)}"
        return super()._print_Mul(e)

    def doprint(self, expr) -> str:
        # ln 2/2ˣ could be read as ln(2/2ˣ): a logarithm over something is bracketed.
        return re.sub(r"\bln (\d+)/", r"(ln \1)/", super().doprint(expr))


_NATURAL = {
    "en": _English({"order": "lex", "degrees": False}),
    "zh": _NaturalOrder({"order": "lex", "degrees": False, "language": "zh"}),
}
_SUPERSCRIPT = str.maketrans("0123456789-x", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻ˣ")
# A power as the printer writes it: 2^x, x^3, 2^(-3) (a number put in for x).
_POWER = re.compile(r"\^(?:\((-?(?:\d+|x))\)|(\d+|x))")


def superscripts(text: str) -> str:
    """Powers raised as a teacher writes them: ``2^x`` as 2ˣ, ``x^3`` as x³, ``2^(-3)``
    as 2⁻³ (any other exponent keeps its caret)."""
    return _POWER.sub(lambda m: (m[1] or m[2]).translate(_SUPERSCRIPT), text)


def _carets(expr: sp.Expr, language: str) -> str:
    """The expression in natural order with log_b, its powers still written with ^."""
    return shown(_NATURAL[language].doprint(based_logs(expr)))


def notation(expr: sp.Expr, language: str = "en") -> str:
    """An expression of x as a teacher writes it: terms in natural order, logarithms in
    base b as log_b, powers raised (2ˣ, x³): English texts and every plot title."""
    return superscripts(_carets(expr, language))


def written(expr: sp.Expr, language: str = "en") -> str:
    """An expression of x as the texts write it, in every language: ``notation``. A
    Chinese text drawn in an image sets the ₂ or ˣ that Noto Sans CJK lacks in a fallback
    face (``render.style.runs``)."""
    return notation(expr, language)


_X = re.compile(r"(?<![A-Za-z])x(?![A-Za-z])")


def _put(text: str, at: sp.Expr) -> str:
    """The printed expression with x replaced by the number ``at``, bracketed where a
    teacher brackets it: a negative number or fraction after a sign, a factor or under a
    power ("2·(-3)", "(-3)²"), bare at the start or just inside a bracket ("-3 + 1")."""
    shown = exact.display(at)
    plain = at.is_Integer and at >= 0

    def put(m: re.Match) -> str:
        before, after = text[: m.start()], text[m.end() : m.end() + 1]
        bare = (before == "" or before.endswith(("(", "|"))) and after not in ("²", "³", "^")
        return shown if plain or bare else f"({shown})"

    return _X.sub(put, text)


def _filled(expr: sp.Expr, at: sp.Expr, language: str = "en") -> str:
    if isinstance(expr, sp.Piecewise):  # only the piece that holds at this x is worked
        expr = next(e for e, cond in expr.args if cond.xreplace({x: at}))
    # The expression as printed, the number in place of x.
    return superscripts(_put(_carets(expr, language), at))


def _num(value: sp.Expr, language: str = "en") -> str:
    """Exact short form, with a decimal when it is not a plain number."""
    short = exact.nice(value)
    if value.is_Rational:
        return short
    head = short if short is not None else written(value, language)
    return f"{head} ≈ {exact.decimal(exact.to_float(value))}"


@dataclass
class Premise:
    """MAVIS's form: the family with unknown constants, fixed by points on the graph."""

    form: sp.Expr
    unknowns: dict[str, sp.Expr]  # name -> true value
    points: list[tuple[sp.Expr, sp.Expr]]
    steps: list[str]


@dataclass
class FunctionProblem:
    """One question: what is asked, the rationale steps, the answer, typed mistakes."""

    fact: Fact
    question: str
    steps: list[str]
    mistakes: list[tuple[str, sp.Expr]]
    premise: Premise | None = None
    label: str | None = None  # a categorical answer ("positive", "[-1, 2]"), else None
    target: dict | None = None  # what is asked, when it is not the fact itself
    conclusion: str | None = None  # the closing sentence, when "So <question> is …" reads badly

    @property
    def answer(self) -> sp.Expr:
        return self.fact.exact

    @property
    def shown(self) -> str:
        """The answer as the rationale and options state it."""
        return self.label if self.label is not None else _num(self.answer)


def _at(fact: Fact) -> sp.Expr:
    return sp.nsimplify(dict(fact.where)["x"])


def _value_at(expr, an, fact, lang="en"):
    w, x0 = PHRASES[lang], _at(fact)
    steps = [
        w["value_at.step"].format(
            x0=x0,
            expr=written(expr, lang),
            filled=_filled(expr, x0, lang),
            value=_num(fact.exact, lang),
        )
    ]
    mistakes = [
        ("sign error", -fact.exact),
        ("evaluated at -x", expr.xreplace({x: -x0})),
        ("slope given instead of the value", sp.diff(expr, x).xreplace({x: x0})),
    ]
    return w["value_at.question"].format(x0=x0), steps, mistakes


def _derivative_at(expr, an, fact, lang="en"):
    w, x0 = PHRASES[lang], _at(fact)
    d = sp.diff(expr, x)
    steps = [
        w["differentiate"].format(d=written(d, lang)),
        w["derivative_at.step"].format(
            x0=x0, filled=_filled(d, x0, lang), value=_num(fact.exact, lang)
        ),
    ]
    mistakes = [
        ("value given instead of the slope", expr.xreplace({x: x0})),
        ("sign error", -fact.exact),
        ("slope taken at -x", d.xreplace({x: -x0})),
    ]
    return w["derivative_at.question"].format(x0=x0), steps, mistakes


def _extremum(expr, an, fact, lo, hi, lang="en"):
    w = PHRASES[lang]
    word = "maximum" if fact.kind == "maximum" else "minimum"
    other = next(g for g in an.facts if g.kind == ("minimum" if word == "maximum" else "maximum"))
    where = exact.parse(dict(fact.where)["x_exact"])
    d = sp.diff(expr, x)
    d_lo, d_hi = an.domain[0], an.domain[1]
    steps = [
        w["differentiate"].format(d=written(d, lang)),
        w["extremum.compare"].format(
            lo=written(d_lo, lang), hi=written(d_hi, lang), word=w[word], where=_num(where, lang)
        ),
        w["extremum.value"].format(where=written(where, lang), value=_num(fact.exact, lang)),
    ]
    mistakes = [
        (f"x of the {word} given instead of its value", where),
        (f"the {'minimum' if word == 'maximum' else 'maximum'} given instead", other.exact),
        ("sign error", -fact.exact),
    ]
    inner = [expr.xreplace({x: c}) for c in an.critical]
    if inner:  # the classic slip: only the critical points compared, the ends forgotten
        pick = max if word == "maximum" else min
        mistakes.insert(1, ("forgot the endpoints", pick(inner, key=exact.to_float)))
    return w["extremum.question"].format(word=w[word], interval=stated(an)), steps, mistakes


def _tangent(expr, an, fact, lang="en"):
    w, x0 = PHRASES[lang], _at(fact)
    d = sp.diff(expr, x)
    value, slope = expr.xreplace({x: x0}), exact.parse(dict(fact.where)["slope_exact"])
    steps = [
        w["tangent.slope"].format(
            x0=x0, value=_num(value, lang), d=written(d, lang), slope=_num(slope, lang)
        ),
        w["tangent.line"].format(x0=x0, value=_num(fact.exact, lang)),
    ]
    mistakes = [
        ("value and slope swapped", slope - value * x0),
        ("sign of x0 flipped", value + slope * x0),
        ("f(x0) given instead of the intercept", value),
    ]
    return (w["tangent.question"].format(x0=x0), steps, mistakes)


def stated(an: Analysis) -> str:
    """The interval a question states: the plotted window where f is defined there, else
    the part of it that is f's domain ("(1/3, 9]" for -log₃(3x - 1) plotted on [-2, 9])."""
    lo, hi, lo_closed, hi_closed = an.domain
    ends = (exact.display(sp.sympify(v)) for v in (lo, hi))
    return "{}{}, {}{}".format("[" if lo_closed else "(", *ends, "]" if hi_closed else ")")


def span_text(a: sp.Expr, b: sp.Expr, poles: list[float]) -> str:
    """The interval from a to b as text, an end open where f is undefined: at a vertical
    asymptote (a pole, or a logarithm's domain edge), "(-3/2, 8]", "(-3π/2, -π/2)"."""
    shut = [all(abs(exact.to_float(v) - p) > 1e-9 for p in poles) for v in (a, b)]
    ends = (exact.display(a), exact.display(b))
    return "{}{}, {}{}".format("[" if shut[0] else "(", *ends, "]" if shut[1] else ")")


def interval_label(fact: Fact, an: Analysis) -> str:
    """An increasing/decreasing fact's interval, as text: "[a, b]", open at asymptotes."""
    where = dict(fact.where)
    a, b = (exact.parse(where[k]) for k in ("from_exact", "to_exact"))
    return span_text(a, b, [exact.to_float(v) for v in an.vertical])


def _sign(expr, an, fact, lang="en"):
    w = PHRASES[lang]
    _, steps, _ = _derivative_at(expr, an, fact, lang)
    name = "positive" if fact.value > 0 else "negative"
    x0 = _at(fact)
    steps = [*steps, w["sign.step"].format(label=label(name, lang), x0=x0)]
    wrong = [
        ("sign error", label("negative" if name == "positive" else "positive", lang)),
        ("a critical point assumed", label("zero", lang)),
        ("a corner assumed", label("undefined", lang)),
    ]
    return w["sign.question"].format(x0=x0), steps, wrong, label(name, lang)


def _compare(expr, first: Fact, second: Fact, lang="en"):
    w = PHRASES[lang]
    a, b = _at(first), _at(second)
    equal = label("they are equal", lang)
    if first.value == second.value:
        larger = equal
    else:
        larger = f"f({a})" if first.value > second.value else f"f({b})"
    steps = [
        w["compare.value"].format(
            a=a, filled=_filled(expr, a, lang), value=_num(first.exact, lang)
        ),
        w["compare.value"].format(
            a=b, filled=_filled(expr, b, lang), value=_num(second.exact, lang)
        ),
        w["compare.equal" if larger == equal else "compare.larger"].format(label=larger),
    ]
    wrong = [
        (name, text)
        for name, text in (
            ("the two values swapped", f"f({b})" if larger == f"f({a})" else f"f({a})"),
            ("rounded to the same value", equal),
            ("the graph misread", label("it cannot be determined", lang)),
        )
        if text != larger
    ]
    return w["compare.question"].format(a=a, b=b), steps, wrong, larger


def compare_conclusion(shown: str, lang: str = "en") -> str:
    """The closing sentence of a comparison (the larger value, or that they are equal)."""
    undecided = shown in (label("they are equal", lang), label("it cannot be determined", lang))
    return PHRASES[lang]["compare.so_undecided" if undecided else "compare.so"].format(label=shown)


def _increasing(expr, an, fact, lo, hi, lang="en"):
    w = PHRASES[lang]
    interval = interval_label(fact, an)
    where = dict(fact.where)
    a, b = (exact.parse(where[k]) for k in ("from_exact", "to_exact"))
    d = sp.diff(expr, x)
    mid = (a + b) / 2
    steps = [
        w["differentiate"].format(d=written(d, lang)),
        w["increasing.sign"].format(
            label=interval, mid=written(mid, lang), value=_num(d.xreplace({x: mid}), lang)
        ),
        w["increasing.hence"].format(label=interval),
    ]
    wrong = [
        ("the decreasing interval given", interval_label(g, an))
        for g in an.facts
        if g.kind == "decreasing"
    ]
    poles = [-exact.to_float(v) for v in an.vertical]  # mirrored with the interval
    wrong += [
        ("the whole interval given", stated(an)),
        ("sign error", span_text(-b, -a, poles)),
    ]
    return w["increasing.question"], steps, wrong, interval


def _integral(expr, an, fact, family, params, lang="en"):
    w = PHRASES[lang]
    a, b = (sp.nsimplify(dict(fact.where)[k]) for k in ("from", "to"))
    big_f = antiderivative(family, params)
    steps = [
        w["integral.antiderivative"].format(big_f=written(big_f, lang)),
        w["integral.step"].format(a=a, b=b, value=_num(fact.exact, lang)),
    ]
    mistakes = [
        ("sign error", -fact.exact),
        ("forgot to subtract F(a)", big_f.xreplace({x: b})),
        ("f(b) - f(a) instead of F(b) - F(a)", expr.xreplace({x: b}) - expr.xreplace({x: a})),
    ]
    return w["integral.question"].format(a=a, b=b), steps, mistakes


def _period(expr, an, fact, family, params, lang="en"):
    w = PHRASES[lang]
    b = sp.Rational(params["b"]).limit_denominator(12)
    rule = "π/|b|" if family == "tangent" else "2π/|b|"
    family = shown_family(family, expr)  # the function the expression shows
    fn = {"tangent": "tan", "cosine": "cos"}.get(family, "sin")
    steps = [
        w["period.rule"].format(family=noun(family, lang), fn=fn, rule=rule, b=b),
        w["period.step"].format(value=_num(fact.exact, lang)),
    ]
    wrong_rule = 2 * sp.pi / b if family == "tangent" else sp.pi / b
    mistakes = [
        ("multiplied by b instead of dividing", fact.exact * b * b),
        ("the tangent's and sine's periods confused", wrong_rule),
        ("b given as the period", b),
    ]
    return w["period.question"], steps, mistakes


def _zero(expr, an, fact, lo, hi, lang="en"):
    w = PHRASES[lang]
    steps = [
        w["zero.solve"].format(interval=stated(an), expr=written(expr, lang)),
        w["zero.step"].format(value=_num(fact.exact, lang), x=written(fact.exact, lang)),
    ]
    mistakes = [
        ("sign error", -fact.exact),
        ("y-intercept given instead", expr.xreplace({x: sp.S.Zero})),
        ("off by one", fact.exact + 1),
    ]
    return w["zero.question"].format(interval=stated(an)), steps, mistakes


def make(
    rng: np.random.Generator,
    family: str,
    params: dict,
    expr: sp.Expr,
    an: Analysis,
    lo: int,
    hi: int,
    language: str = "en",
) -> FunctionProblem:
    """Pick a question the analysis can answer, with its rationale and mistakes, worded
    in ``language``."""
    lang = language
    zeros = [f for f in an.facts if f.kind == "zero"]
    # An extremum is asked only where f has both: the rationale compares f at both ends
    # of the domain, which a one-sided extremum (an asymptote at one end) cannot do.
    paired = {"maximum", "minimum"} <= {f.kind for f in an.facts}
    options = [
        f
        for f in an.facts
        if f.kind in ("value_at", "derivative_at", "integral", "period", "tangent_line")
        or (paired and f.kind in ("maximum", "minimum"))
    ]
    if len(zeros) == 1:
        options.append(zeros[0])
    rising = [f for f in an.facts if f.kind == "increasing"]
    if len(rising) == 1:  # one increasing interval: "where does f increase?" has one answer
        options.append(rising[0])
    options += [
        Fact("sign", f.of, f.exact, f.where)
        for f in an.facts
        if f.kind == "derivative_at" and f.value != 0
    ]
    values = [f for f in an.facts if f.kind == "value_at"]
    if len(values) == 2:
        options.append(Fact("compare", values[0].of, values[0].exact, values[0].where))
    fact = options[int(rng.integers(len(options)))]
    given = premise(rng, family, params, expr, an, lang) if rng.random() < 0.5 else None
    if fact.kind == "value_at":
        question, steps, mistakes = _value_at(expr, an, fact, lang)
    elif fact.kind == "derivative_at":
        question, steps, mistakes = _derivative_at(expr, an, fact, lang)
    elif fact.kind in ("maximum", "minimum"):
        question, steps, mistakes = _extremum(expr, an, fact, lo, hi, lang)
    elif fact.kind == "compare":
        question, steps, wrong, shown = _compare(expr, values[0], values[1], lang)
        if given is not None:
            steps = [*given.steps, *steps]
        target = {"kind": "compare", "of": ["f"], "x": [dict(v.where)["x"] for v in values]}
        return FunctionProblem(
            values[0],
            question,
            steps,
            wrong,
            given,
            shown,
            target,
            compare_conclusion(shown, lang),
        )
    elif fact.kind in ("sign", "increasing"):
        if fact.kind == "sign":
            fact = Fact("derivative_at", fact.of, fact.exact, fact.where)
            question, steps, wrong, shown = _sign(expr, an, fact, lang)
        else:
            question, steps, wrong, shown = _increasing(expr, an, fact, lo, hi, lang)
        if given is not None:
            steps = [*given.steps, *steps]
        return FunctionProblem(fact, question, steps, wrong, given, shown)
    elif fact.kind == "tangent_line":
        question, steps, mistakes = _tangent(expr, an, fact, lang)
    elif fact.kind == "integral":
        question, steps, mistakes = _integral(expr, an, fact, family, params, lang)
    elif fact.kind == "period":
        question, steps, mistakes = _period(expr, an, fact, family, params, lang)
    else:
        question, steps, mistakes = _zero(expr, an, fact, lo, hi, lang)
    if given is not None:
        steps = [*given.steps, *steps]
    return FunctionProblem(fact, question, steps, mistakes, given)


def distractors(problem: FunctionProblem, count: int = 3) -> list[tuple[str, sp.Expr, str]]:
    """(text, value, mistake) for wrong options: distinct, real, never the key."""
    if problem.label is not None:  # categorical: the mistakes are texts already
        return text_options(problem.label, problem.mistakes, problem.question, count)
    fallbacks = [
        ("off by one", problem.answer + 1),
        ("off by one", problem.answer - 1),
        ("doubled", 2 * problem.answer),
        ("halved", problem.answer / 2),
    ]
    key = (exact.display(problem.answer), problem.fact.value)
    candidates = [*problem.mistakes, *fallbacks]
    return value_options(key, candidates, exact.display, 1e-6, problem.question, count)


# Constants that enter linearly, so points on the graph fix them (trigonometric values at
# integer points are not short exact numbers: those families are asked directly).
UNKNOWNS = {
    "polynomial": ("a",),
    "logarithm": ("a",),
    "absolute": ("a", "k"),
    "exponential": ("a", "c"),
    "rational": ("a", "k"),
    "square_root": ("a", "k"),
}


def premise(
    rng: np.random.Generator,
    family: str,
    params: dict,
    expr: sp.Expr,
    an: Analysis,
    language: str = "en",
) -> Premise | None:
    """Hide one or two constants; choose points on the graph that fix them (points whose
    coordinates are exact in two decimals, as the plot labels them). None if impossible."""
    from mavis_engine.functions.families import FAMILIES

    names = UNKNOWNS.get(family)
    if not names:
        return None
    names = names[: int(rng.integers(1, len(names) + 1))]
    symbols = {n: sp.Symbol(n, real=True) for n in names}
    form = FAMILIES[family].expression({**params, **symbols})
    lo, hi = (exact.to_float(v) for v in an.domain[:2])
    avoid = [exact.to_float(v) for v in an.vertical]
    candidates = []
    for k in range(int(np.ceil(lo)), int(np.floor(hi)) + 1):
        if not lo < k < hi or any(abs(k - v) < 0.5 for v in avoid):
            continue
        y = expr.xreplace({x: sp.Integer(k)})
        if y.is_Rational and 100 % y.q == 0:  # shown exactly as "(k, y)" with 2 decimals
            candidates.append((sp.Integer(k), y))
    if len(candidates) < len(names):
        return None
    picks = [
        candidates[int(i)] for i in sorted(rng.choice(len(candidates), len(names), replace=False))
    ]
    equations = [sp.Eq(form.xreplace({x: px}), py) for px, py in picks]
    solutions = sp.solve(equations, list(symbols.values()), dict=True)
    truth = {n: sp.Rational(params[n]).limit_denominator(12) for n in names}
    if len(solutions) != 1 or any(solutions[0].get(symbols[n]) != truth[n] for n in names):
        return None
    w, lang = PHRASES[language], language
    listed = w["and"].join(f"{n} = {_num(truth[n], lang)}" for n in names)
    steps = [
        w["premise.point"].format(
            px=written(px, lang), py=written(py, lang), lhs=written(form.xreplace({x: px}), lang)
        )
        for px, py in picks
    ]
    steps.append(w["premise.solved"].format(listed=listed, expr=written(expr, lang)))
    return Premise(form, truth, picks, steps)


def rows(
    *,
    sample,
    family: str,
    params: dict,
    expr: sp.Expr,
    an: Analysis,
    lo: int,
    hi: int,
    spec,
    style,
    config,
    attempt: int,
) -> dict[str, list[dict]]:
    """The five instruct rows and the preference row of one plot's question (``config``: the
    generator's settings)."""
    from functools import partial

    from mavis_engine.answers import rejected_rationale, row_json, target_json
    from mavis_engine.problem_rows import WorkedProblem, answered, five_questions, problem_rows
    from mavis_engine.render.plot import render_plot
    from mavis_engine.text.env import render_text

    lang = config.language
    w = PHRASES[lang]
    rng = sample.stream("problem", attempt)
    problem = make(rng, family, params, expr, an, lo, hi, lang)
    # Worked arithmetic as a teacher writes it: "(x + 1)", not "(x - -1)".
    problem = replace(problem, steps=[tidy_signs(s) for s in problem.steps])
    wrong = distractors(problem)
    key_text = problem.label if problem.label is not None else exact.display(problem.answer)

    def conclusion(shown: str) -> str:
        if problem.conclusion:
            return compare_conclusion(shown, lang)
        return w["so"].format(question=problem.question, shown=shown)

    shown_answer = problem.label if problem.label is not None else _num(problem.answer, lang)
    lines = [*problem.steps, conclusion(shown_answer)]
    words = sample.stream("problem_text", attempt)
    given = problem.premise
    shown = given.form if given else expr  # with a premise, the constants are unknown
    context = {
        "expression": written(shown, lang),
        "lo": lo,
        "hi": hi,
        "interval": stated(an),
        "whole": stated(an) == f"[{lo}, {hi}]",
        "question": problem.question,
        "noun": noun(shown_family(family, shown), lang),
        "unknowns": w["and"].join(given.unknowns) if given else None,
        "categorical": problem.label is not None,
        "conditions": [f"({written(px, lang)}, {written(py, lang)})" for px, py in given.points]
        if given
        else [],
    }

    def text(version: str, choices: list[dict] | None = None) -> str:
        return render_text(
            lang,
            "function/problem.j2",
            words,
            version=version,
            choices=choices,
            **context,
        )

    plain = replace(spec, points={}, title=None)  # nothing that gives the answer away
    if given:  # vision versions show the conditions as labelled points
        marked = {chr(80 + i): (float(px), float(py)) for i, (px, py) in enumerate(given.points)}
        titled = replace(plain, points=marked)
        looks = {
            "plain": plain,
            "titled": titled,
            "full": replace(titled, title=f"y = {notation(given.form, lang)}"),
        }
    else:
        looks = {"plain": plain, "full": replace(plain, title=f"y = {notation(expr, lang)}")}
    # Vision dominant shows the conditions' points (none without a premise), vision only the
    # expression as well.
    views = {"vision_only": "full", "vision_dominant": "titled" if given else "full"}

    def draw(look: str, footer: str | None) -> tuple[bytes, dict]:
        png, fields = render_plot(
            looks[look], style, config.image_size, config.png_level, footer=footer
        )
        return png, {**sample.figure, **fields, "points": {}, "pixels": {}}

    def rejected() -> tuple[str, str]:
        """The first typical mistake (each changes the answer)."""
        bad, wrong_value, mistake = wrong[0]
        wrong_shown = bad if problem.label is not None else _num(wrong_value, lang)
        closing = conclusion(wrong_shown)
        return rejected_rationale(problem.steps, wrong_shown, closing, bad, lang), mistake

    where = {k: v for k, v in dict(problem.fact.where).items() if k != "x_exact"}
    target = (
        row_json(problem.target)
        if problem.target
        else target_json(
            problem.fact.kind,
            ["f"],
            **where,
            **(
                {"asks": "sign"}
                if problem.label in (label("positive", lang), label("negative", lang))
                else {}
            ),
        )
    )
    givens = [
        {"kind": "expression", "value": exact.to_str(shown)},
        {"kind": "x_range", "value": [lo, hi]},
    ] + [
        {"kind": "point", "value": [exact.to_float(px), exact.to_float(py)]}
        for px, py in (given.points if given else [])
    ]
    worked = WorkedProblem(
        key=(key_text, problem.answer),
        answer=key_text,
        wrong=wrong,
        # A categorical answer has no numeric value (the contract's NaN).
        value=problem.fact.value if problem.label is None else float("nan"),
        exact_text=problem.label or exact.to_str(problem.answer),
        target=target,
        givens=row_json(givens),
        rationale=answered(lines, lang),
        rejected=rejected,
        questions=partial(five_questions, lang, words, text),
        prompt=lambda: text("text_dominant"),
        view=lambda version: views.get(version, "plain"),
        draw=draw,
    )
    return problem_rows(sample, worked, config.choice_ratio)
