"""Instruct and preference rows for one plane figure: a problem in five versions.

MathVerse's five versions differ in where the information sits: text dominant (all of it
in the text, letters only in the diagram), text lite (shape descriptions reduced to their
kinds), vision intensive (no shape descriptions: kinds are read from the diagram), vision
dominant (the numbers move into the diagram) and vision only (the whole problem is set into
the image). A given that cannot be drawn as a label (an area, a perimeter, an arc length, a
radius) stays in the text in every version, so every version can be solved.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import numpy as np
import sympy as sp

from mavis_engine import exact
from mavis_engine.answers import (
    OPTION_GAP,
    VERSIONS,
    answer_format,
    row_json,
    target_json,
)
from mavis_engine.errors import Rejected
from mavis_engine.figure import Fact, Figure
from mavis_engine.plane import caption_text as plane_text
from mavis_engine.plane.check import recompute
from mavis_engine.plane.formulas import Q, qkey
from mavis_engine.plane.problem import MISTAKES, Evaluation, Problem, deduce, evaluate
from mavis_engine.plane.problem_text import (
    phrase,
    rationale,
    rationale_steps,
    symbol_name,
    value_text,
)
from mavis_engine.problem_rows import Questions, WorkedProblem, problem_rows
from mavis_engine.render.raster import Sketch, paint, sketch
from mavis_engine.text.env import render_text
from mavis_engine.text.maths import pretty

DRAWABLE = ("length", "angle")


def answer_text(q: Q, value: sp.Expr) -> str:
    """The exact answer as text: short form if there is one, else the full expression."""
    short = exact.nice(value)
    text = short if short is not None else pretty(value)
    return f"{text}°" if q[0] == "angle" else text


def _valid(q: Q, value: sp.Expr) -> float | None:
    try:
        v = exact.to_float(value)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    if not isinstance(v, float) or not math.isfinite(v) or v <= 0:
        return None
    if q[0] == "angle" and v >= 180:
        return None
    return v


def distractors(
    problem: Problem, rng: np.random.Generator, count: int = 3
) -> list[tuple[str, sp.Expr, str]]:
    """Wrong options as (text, value, mistake), each the answer of the chain run with one
    typical mistake, each at least ``OPTION_GAP`` away from the key and from one another."""
    target = problem.target
    key = problem.fact(target)
    seen = {value_text(target, key.exact)}
    found: list[tuple[str, sp.Expr, str]] = []
    taken = [key.value]  # every option's value, each clearly apart from the others
    order = [MISTAKES[i] for i in rng.permutation(len(MISTAKES))]
    tries: list[tuple[str, Any]] = []
    for name, mutation in order:
        for i in reversed(range(len(problem.steps))):
            tries.append((name, {"mutate": (i, mutation)}))
    kind, of = target
    other = {"area": "perimeter", "perimeter": "area"}.get(kind)
    if other and (other, of) in problem.facts:
        tries.insert(
            int(rng.integers(len(tries) + 1)),
            (f"{other} computed instead of the {kind}", {"value": problem.fact((other, of)).exact}),
        )
    for g in problem.givens:  # last resort: a given misread
        for wrong in (problem.fact(g).exact + 1, problem.fact(g).exact * 2):
            tries.append((f"misread {symbol_name(g)}", {"given_values": {g: wrong}}))
    for name, how in tries:
        if len(found) == count:
            break
        try:
            value = how["value"] if "value" in how else evaluate(problem, **how).answer(target)
        except (ValueError, Rejected, TypeError, ZeroDivisionError):
            continue
        v = _valid(target, value)
        if v is None or any(math.isclose(v, w, rel_tol=OPTION_GAP) for w in taken):
            continue
        text = value_text(target, value)
        if text in seen:
            continue
        seen.add(text)
        taken.append(v)
        found.append((text, value, name))
    if len(found) < count:
        raise Rejected("few_distractors", f"{len(found)} distractors for {target}")
    return found


def perturbed(problem: Problem, rng: np.random.Generator) -> tuple[str, Evaluation, set[int]]:
    """A rationale run with one typed error that changes the final answer."""
    key = problem.fact(problem.target).value
    n = len(problem.steps)
    kinds = ["misread_value", "wrong_formula", "arithmetic_slip", "skipped_step"]
    for kind in (kinds[i] for i in rng.permutation(len(kinds))):
        options: list[tuple[dict, set[int]]] = []
        if kind == "misread_value":
            options = [
                ({"given_values": {g: problem.fact(g).exact + 1}}, set()) for g in problem.givens
            ]
        elif kind == "wrong_formula":
            options = [({"mutate": (i, m)}, set()) for _, m in MISTAKES for i in range(n)]
        elif kind == "arithmetic_slip":
            options = [({"slip": i}, set()) for i in range(n)]
        elif n > 1:  # skipped step: its unknown taken equal to one of its inputs
            options = [({"mutate": (i, _first_input)}, {i}) for i in range(n - 1)]
        for j in rng.permutation(len(options)) if options else []:
            how, skip = options[int(j)]
            try:
                run = evaluate(problem, **how)
            except (ValueError, Rejected, TypeError, ZeroDivisionError):
                continue
            v = _valid(problem.target, run.answer(problem.target))
            if v is not None and not math.isclose(v, key, rel_tol=1e-6):
                return kind, run, skip
    raise Rejected("no_perturbation", "no typed error changes the answer")


def _first_input(solution: sp.Expr, ctx) -> sp.Expr | None:
    t = ctx.step.formula.template
    unknown = ctx.step.formula.role_of(ctx.step.unknown)
    others = [t.symbol(r) for r in t.roles if r != unknown]
    return others[0] if others else None


def check_answer(figure: Figure, problem: Problem, run: Evaluation) -> float:
    """The target recomputed from the coordinates (not from the chain); reject on mismatch."""
    geometric = {qkey(f["kind"], f["of"]): got for f, got in recompute(figure)}
    truth = geometric[problem.target]
    answer = exact.to_float(run.answer(problem.target))
    tol = 1e-3 if problem.target == ("area", ("*",)) else 1e-6
    if not math.isclose(answer, truth, rel_tol=tol, abs_tol=1e-9):
        raise Rejected("answer_mismatch", f"{problem.target}: chain {answer}, geometry {truth}")
    for step in problem.steps:  # every intermediate value, too
        got = exact.to_float(run.values[step.unknown])
        want = geometric[step.unknown]
        if not math.isclose(got, want, rel_tol=1e-3 if step.unknown[1] == ("*",) else 1e-6):
            raise Rejected("answer_mismatch", f"step {step.unknown}: {got} vs {want}")
    return answer


def drawn_givens(problem: Problem, version: str) -> list[Fact]:
    """The givens ``version``'s image labels (vision dominant and vision only); right angles
    are drawn as marks, not labels, so their measure stays in the text."""
    if version not in ("vision_dominant", "vision_only"):
        return []
    givens = (problem.fact(q) for q in problem.givens)
    return [g for g in givens if g.kind in DRAWABLE and g.value != 90]


def questions(
    figure: Figure,
    problem: Problem,
    rng: np.random.Generator,
    choices: list[dict] | None,
    language: str = "en",
    versions: tuple[str, ...] = VERSIONS,
) -> Questions:
    """Each version's question and the text set under its image (vision only)."""
    context = dict(
        shapes=plane_text.context(figure),
        question=phrase(problem.target, language),
        choices=choices,
        unit="degrees" if problem.target[0] == "angle" else None,
    )
    out: Questions = {}
    for version in versions:
        drawn = drawn_givens(problem, version)
        in_text = [g for g in (problem.fact(q) for q in problem.givens) if g not in drawn]
        stated = [
            {
                "name": phrase(qkey(g.kind, g.of), language),
                "value": value_text(qkey(g.kind, g.of), g.exact),
            }
            for g in in_text
        ]
        text = render_text(
            language, "plane/problem.j2", rng, version=version, givens=stated, **context
        )
        if version == "vision_only":
            out[version] = (render_text(language, "vision_only.j2", rng), text)
        else:
            out[version] = (text, None)
    return out


def rows(
    *,
    sample,
    figure: Figure,
    style,
    config,
    attempt: int,
    max_problem_attempts: int = 8,
) -> dict[str, list[dict[str, Any]]]:
    """The five instruct rows and the preference row of one figure's problem (``config``:
    the generator's settings)."""
    multiple_choice, _ = answer_format(sample.seed, sample.index, config.choice_ratio)
    retries: Counter = Counter()
    for problem_attempt in range(max_problem_attempts):
        rng = sample.stream("problem", attempt * 64 + problem_attempt)
        try:
            problem = deduce(figure, rng, config.hops)
            gold = evaluate(problem)
            answer_value = check_answer(figure, problem, gold)
            wrong = distractors(problem, rng) if multiple_choice else []
            kind, bad_run, skipped = perturbed(problem, rng)
            break
        except Rejected as rejection:
            retries[rejection.reason] += 1
    else:
        raise Rejected("no_problem", "no problem could be made for this figure", retries)
    sample.rejections.update(retries)

    target = problem.target
    language = config.language
    words = sample.stream("problem_text", attempt)
    gold_steps = rationale_steps(problem, gold, language=language)
    key_exact = gold.answer(target)

    sketches: dict[tuple[Fact, ...], Sketch] = {}

    def draw(drawn: tuple[Fact, ...], footer: str | None) -> tuple[bytes, dict]:
        # Vision only is vision dominant with a footer: one layout and one stroke raster.
        if drawn not in sketches:
            sketches[drawn] = sketch(figure, style, config.image_size, annotate=list(drawn))
        png = paint(figure, sketches[drawn], config.png_level, footer)
        return png, {**figure.to_json(), "style": style.to_json()}

    def rejected() -> tuple[str, str]:
        wrong = answer_text(target, bad_run.answer(target))
        return rationale(problem, bad_run, wrong, skip=skipped, language=language), kind

    worked = WorkedProblem(
        key=(value_text(target, problem.fact(target).exact), key_exact),
        answer=answer_text(target, key_exact),
        wrong=wrong,
        value=answer_value,
        exact_text=exact.to_str(key_exact),
        target=target_json(*target),
        givens=row_json([problem.fact(q).to_json() for q in problem.givens]),
        rationale=lambda closing: rationale(
            problem, gold, closing, steps=gold_steps, language=language
        ),
        rejected=rejected,
        questions=lambda choices: questions(figure, problem, words, choices, language),
        prompt=lambda: questions(figure, problem, words, None, language, ("text_dominant",))[
            "text_dominant"
        ][0],
        view=lambda version: tuple(drawn_givens(problem, version)),
        draw=draw,
    )
    return problem_rows(sample, worked, config.choice_ratio)
