"""Checks of one function-plot row from its JSON alone: facts against the expression
(``check``), the answer against its target fact, compared values against their facts."""

from __future__ import annotations

import json
import re

import numpy as np
import sympy as sp

from mavis_engine.exact import display, parse
from mavis_engine.functions.check import fact_mismatches, numeric
from mavis_engine.functions.families import trig_form, x
from mavis_engine.functions.phrases import label
from mavis_engine.rowcheck import (
    Held,
    answer_value_problems,
    exact_displays,
    number_value,
    rounding,
    stem,
    unheld_number_problems,
)
from mavis_engine.text.maths import pretty


def _categorical(target: dict, fact: dict, facts: list[dict], language: str = "en") -> str | None:
    """What a categorical question's answer must be, from its fact."""
    if target.get("asks") == "sign":
        return label("positive" if fact["value"] > 0 else "negative", language)
    if target["kind"] in ("increasing", "decreasing"):
        # Open at a vertical asymptote: f is not defined there.
        poles = [f["value"] for f in facts if f["kind"] == "asymptote" and f["axis"] == "x"]
        ends = [fact[k] for k in ("from", "to")]
        shut = [all(abs(v - p) > 1e-9 for p in poles) for v in ends]
        shown = [display(parse(fact[k])) for k in ("from_exact", "to_exact")]
        return "{}{}, {}{}".format("[" if shut[0] else "(", *shown, "]" if shut[1] else ")")
    return None


def _compare_problems(row: dict, target: dict, facts: list[dict]) -> list[str]:
    a, b = target["x"]
    got = {f["x"]: f["value"] for f in facts if f["kind"] == "value_at"}
    if a not in got or b not in got:
        return ["compared values are not facts of the function"]
    fa, fb = got[a], got[b]
    equal = label("they are equal", row.get("language", "en"))
    expected = equal if fa == fb else (f"f({a:g})" if fa > fb else f"f({b:g})")
    if row["answer_exact"] == expected:
        return []
    return [f"answer {row['answer_exact']!r} but the facts give {expected!r}"]


_POINT = re.compile(r"\((-?\d+(?:\.\d+)?(?:/\d+)?), (-?\d+(?:\.\d+)?(?:/\d+)?)\)")


def _on_graph(expression: str, x: str, y: str) -> bool:
    """Whether the point (x, y), as the text rounds it, lies on the graph."""
    (vx, tx), (vy, ty) = ((number_value(t), rounding(t)) for t in (x, y))
    ys = numeric(expression)(np.linspace(vx - tx, vx + tx, 21 if tx else 1))
    return bool(np.any(np.abs(ys - vy) <= ty + 1e-9 * max(1.0, abs(vy))))


def stated_problems(text: str, row: dict, points_only: bool = False) -> list[str]:
    """A function text states numbers of its facts, of its expression (displayed as the
    engine displays it), of its interval and points, and points of its graph: every
    point (x, y) it names is checked on the figure's expression. ``points_only`` for a
    preference prompt, which states a hidden-constant form its row does not hold (its
    numbers are checked against its problem's question by ``verify``)."""
    figure, facts = json.loads(row["figure"]), json.loads(row["facts"])
    expressions = [figure["expression"]] + [
        g["value"] for g in json.loads(row.get("givens") or "[]") if g["kind"] == "expression"
    ]
    points = _POINT.findall(stem(text))
    out = [
        f"states the point ({x}, {y}), which is not on the graph"
        for x, y in points
        if not _on_graph(figure["expression"], x, y)
    ]
    if points_only:
        return out
    held = Held.of(
        [row["facts"], row["figure"], *exact_displays(facts), *(c for p in points for c in p)]
        + [pretty(parse(e), degrees=False) for e in expressions]
    )
    return out + unheld_number_problems(text, held)


# The words that name a trigonometric function, per function they name.
_TRIG_WORDS = {
    "sin": re.compile(r"\bsine\b|正弦"),
    "cos": re.compile(r"\bcosine\b|余弦"),
    "tan": re.compile(r"\btangent (?:curve|function|wave)|正切"),
}


def family_word_problems(text: str, expression: str) -> list[str]:
    """A text that names a sine, cosine or tangent names the function its expression
    holds, and calls it scaled or shifted only where it is."""
    expr = sp.sympify(expression, locals={"x": x})  # the families' real x
    form = trig_form(expr)
    out = [
        f"names a {name} function, but the function is {expression}"
        for name, words in _TRIG_WORDS.items()
        if words.search(text) and not expr.has(getattr(sp, name))
    ]
    if form and not form[1] and re.search(r"\bscaled (?:sine|cosine|tangent)\b", text):
        out.append(f"calls {expression} scaled")
    if form and not form[2] and re.search(r"\bshifted (?:sine|cosine|tangent)\b", text):
        out.append(f"calls {expression} shifted")
    return out


_SENTENCE_END = re.compile(r"(?<=\.)\s+")
_STARTS = re.compile(r"\bendpoint\b|\bstarts (?:at|there)\b|\bBeginning at\b|\bdomain begins\b")
_FLATTENS = re.compile(r"ever more slowly|flattening slope")
_CORNER = re.compile(r"\bcorner\b|\bthe V opens\b")
_AT = re.compile(r"x (?:≥|=) (-?\d+(?:\.\d+)?(?:/\d+)?)")
_EPS = 1e-6


def _named_x(sentence: str) -> float | None:
    """The x of the point or bound a shape sentence names: (a, b), x ≥ a or x = a."""
    found = _POINT.search(sentence) or _AT.search(sentence)
    return number_value(found[1]) if found else None


def _start_problem(f, sentence: str, lo: float, hi: float) -> str | None:
    """'starts at its endpoint (a, b)': f's domain begins at a, inside the window."""
    at = _named_x(sentence)
    if at is None or not lo <= at < hi:
        return f"names a start outside the window: {sentence!r}"
    here, left = f([at, at - _EPS])
    if not (np.isfinite(here) and np.isnan(left)):
        return f"names x = {at:g} as where the domain starts, but it does not: {sentence!r}"
    return None


def _flattening_problem(f, sentence: str, lo: float, hi: float) -> str | None:
    """'climbs/descends ever more slowly': f monotone that way on the window, |f'| falling."""
    xs = np.linspace(lo, hi, 2001)
    ys = f(xs)
    steps = np.diff(ys[np.isfinite(ys)])
    rising = re.search(r"\b(?:climbs|rises)\b", sentence) is not None
    monotone = steps.size > 2 and bool(np.all(steps > 0) if rising else np.all(steps < 0))
    size = np.abs(steps)
    if not (monotone and np.all(np.diff(size) <= 1e-12) and size[-1] < 0.9 * size[0]):
        return f"says the curve flattens as it {'rises' if rising else 'falls'}, it does not"
    return None


def _corner_problem(f, sentence: str, lo: float, hi: float) -> str | None:
    """'a sharp corner at (a, b)' between 'two straight arms': a kink inside the window,
    the graph straight on each side of it, opening the way the sentence says."""
    at = _named_x(sentence)
    if at is None or not lo < at < hi:
        return f"names a corner not inside the window: {sentence!r}"
    arms = [f(np.linspace(at, end, 201)) for end in (lo, hi)]
    straight = all(np.allclose(np.diff(a, 2), 0, atol=1e-9) for a in arms)
    # Both arms rising away from the point (or both falling) is the kink, and its opening.
    up, down = (all(op(a[1], a[0]) for a in arms) for op in (np.greater, np.less))
    opens = ("upward" in sentence and up) or ("downward" in sentence and down)
    if not (straight and opens):
        return f"calls ({at:g}, ...) a V's corner, but the graph has none there: {sentence!r}"
    return None


# The shape words and the check each one calls for.
_SHAPE_CHECKS = (
    (_STARTS, _start_problem),
    (_FLATTENS, _flattening_problem),
    (_CORNER, _corner_problem),
)


# Sentences that deny an extremum, and that say which way f runs off at an asymptote.
_NO_MAX = re.compile(r"\bno maximum\b|\bno greatest\b|没有最大值")
_NO_MIN = re.compile(
    r"\bno (?:maximum or )?minimum\b|\bno greatest or least\b|没有最小值|最大值和最小值"
)
_GROWS = re.compile(r"grows without bound|toward \+∞|趋于正无穷")
_FALLS = re.compile(r"falls without bound|toward −∞|趋于负无穷")


def _runs_off(f, poles: list[float], lo: float, hi: float) -> set[str]:
    """Which ways f runs off beside its vertical asymptotes in the window: "up" where
    it keeps climbing as x nears a pole, "down" where it keeps falling."""
    ways = set()
    for v in poles:
        for side in (-1, 1):
            if not lo <= v + side * 1e-6 <= hi:
                continue
            far, near = f([v + side * 1e-6, v + side * 1e-10])
            if np.isfinite(far) and np.isfinite(near) and abs(near - far) > 1:
                ways.add("up" if near > far else "down")
    return ways


def _bound_problems(f, sentence: str, facts: list[dict], lo: float, hi: float) -> list[str]:
    """'no maximum'/'no minimum' only without that extremum among the facts; 'grows
    without bound' only where f climbs toward a pole, 'falls without bound' where it drops."""
    kinds = {fc["kind"] for fc in facts}
    poles = [fc["value"] for fc in facts if fc["kind"] == "asymptote" and fc["axis"] == "x"]
    out = [
        f"denies a {kind}, but the function has one: {sentence!r}"
        for kind, words in (("maximum", _NO_MAX), ("minimum", _NO_MIN))
        if words.search(sentence) and kind in kinds
    ]
    ways = (
        _runs_off(f, poles, lo, hi) if _GROWS.search(sentence) or _FALLS.search(sentence) else set()
    )
    out += [
        f"says f {word} beside an asymptote, it does not: {sentence!r}"
        for word, way, words in (("grows", "up", _GROWS), ("falls", "down", _FALLS))
        if words.search(sentence) and way not in ways
    ]
    return out


def shape_word_problems(
    text: str, expression: str, x_range: list[float], facts: list[dict] | None = None
) -> list[str]:
    """A caption's shape words fit the expression: an endpoint only where f's domain
    starts in the window, 'ever more slowly' only for a monotone curve that flattens, a
    V's corner only at a kink between straight arms; with ``facts``, an extremum denied
    only where there is none, and f said to grow or fall without bound only where it does."""
    f, (lo, hi) = numeric(expression), x_range
    out = []
    # Clauses: a '.' ends one only before a space (not inside 3.00); '。' and '；' always.
    for sentence in re.split(r"(?<=[.;])\s+|(?<=[。；])", text):
        if facts is not None:
            out += _bound_problems(f, sentence, facts, lo, hi)
    for sentence in _SENTENCE_END.split(text):
        for words, problem in _SHAPE_CHECKS:
            found = problem(f, sentence, lo, hi) if words.search(sentence) else None
            if found:
                out.append(found)
    return out


def check_row(kind: str, row: dict) -> list[str]:
    """Problems of one function-plot row of ``kind`` (none: the row is right)."""
    figure, facts = json.loads(row["figure"]), json.loads(row["facts"])
    if kind == "caption":
        out = fact_mismatches(figure["expression"], figure["x_range"], facts)
        out += family_word_problems(row["caption"], figure["expression"])
        out += shape_word_problems(row["caption"], figure["expression"], figure["x_range"], facts)
        return out + stated_problems(row["caption"], row)
    if kind == "preference":
        return stated_problems(row["prompt"][0]["content"], row, points_only=True)
    out = stated_problems(row["question"], row)
    out += family_word_problems(stem(row["question"]), figure["expression"])
    target = json.loads(row["target"])
    if target["kind"] == "compare":  # two values, compared
        return out + _compare_problems(row, target, facts)
    located = {k: v for k, v in target.items() if k not in ("kind", "of", "asks")}
    fact = next(
        (
            f
            for f in facts
            if f["kind"] == target["kind"] and all(f.get(k) == v for k, v in located.items())
        ),
        None,
    )
    if fact is None:
        return [*out, f"target {target} is not a fact of the function"]
    out += fact_mismatches(figure["expression"], figure["x_range"], [fact])
    expected = _categorical(target, fact, facts, row.get("language", "en"))
    return out + answer_value_problems(row, fact["value"], 1e-9, expected)
