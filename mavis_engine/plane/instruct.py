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
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from mavis_engine import exact
from mavis_engine.answers import (
    LETTERS,
    VERSIONS,
    answer_columns,
    answer_format,
    instruct_row,
    preference_row,
    row_json,
    target_json,
)
from mavis_engine.errors import Rejected
from mavis_engine.figure import Figure
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
from mavis_engine.render.raster import render
from mavis_engine.rng import stream
from mavis_engine.text.env import render_text
from mavis_engine.text.maths import pretty

DRAWABLE = ("length", "angle")


@dataclass
class Option:
    """One answer option: its exact value, its text, and the mistake that produced it."""

    value: sp.Expr
    text: str
    mistake: str | None


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


def distractors(problem: Problem, rng: np.random.Generator, count: int = 3) -> list[Option]:
    """Wrong options, each the answer of the chain run with one typical mistake."""
    target = problem.target
    key = problem.fact(target)
    seen = {value_text(target, key.exact)}
    found: list[Option] = []
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
        if v is None or math.isclose(v, key.value, rel_tol=1e-6):
            continue
        text = value_text(target, value)
        if text in seen:
            continue
        seen.add(text)
        found.append(Option(value, text, name))
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


def version_texts(
    figure: Figure,
    problem: Problem,
    rng: np.random.Generator,
    options: list[Option] | None,
    language: str = "en",
) -> dict[str, dict[str, Any]]:
    """Question text, drawn givens and footer of each version."""
    givens = [problem.fact(q) for q in problem.givens]
    # Right angles are drawn as marks, not labels: their measure stays in the text.
    drawable = [g for g in givens if g.kind in DRAWABLE and g.value != 90]
    stated_always = [g for g in givens if g not in drawable]

    def given_ctx(facts):
        return [
            {"name": phrase(qkey(f.kind, f.of)), "value": value_text(qkey(f.kind, f.of), f.exact)}
            for f in facts
        ]

    choices = None
    if options is not None:
        choices = [
            {"letter": letter, "text": o.text} for letter, o in zip(LETTERS, options, strict=True)
        ]
    context = dict(
        shapes=plane_text.context(figure),
        question=phrase(problem.target),
        choices=choices,
        unit="degrees" if problem.target[0] == "angle" else None,
    )
    out = {}
    for version in VERSIONS:
        drawn = drawable if version in ("vision_dominant", "vision_only") else []
        in_text = stated_always if drawn else givens
        text = render_text(
            language, "plane/problem.j2", rng, version=version, givens=given_ctx(in_text), **context
        )
        if version == "vision_only":
            out[version] = {
                "question": render_text(language, "vision_only.j2", rng),
                "footer": text,
                "drawn": drawn,
            }
        else:
            out[version] = {"question": text, "footer": None, "drawn": drawn}
    return out


def options_for(problem: Problem, rng: np.random.Generator, key_slot: int) -> list[Option]:
    """Four options with the key at ``key_slot``."""
    target = problem.target
    key = Option(problem.fact(target).exact, value_text(target, problem.fact(target).exact), None)
    wrong = distractors(problem, rng)
    return [*wrong[:key_slot], key, *wrong[key_slot:]]


def _fact_json(problem: Problem, q: Q) -> dict[str, Any]:
    return problem.fact(q).to_json()


def problem_rows(
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
    seed, index = sample.seed, sample.index
    choice_ratio, image_size, png_level = config.choice_ratio, config.image_size, config.png_level
    language = config.language
    generator, hops = sample.generator, config.hops
    multiple_choice, key_slot = answer_format(seed, index, choice_ratio)
    for problem_attempt in range(max_problem_attempts):
        rng = stream(seed, generator, index, "problem", attempt * 64 + problem_attempt)
        try:
            problem = deduce(figure, rng, hops)
            gold = evaluate(problem)
            answer_value = check_answer(figure, problem, gold)
            options = options_for(problem, rng, key_slot) if multiple_choice else None
            kind, bad_run, skipped = perturbed(problem, rng)
            break
        except Rejected as rejection:
            sample.rejections[rejection.reason] += 1
    else:
        raise Rejected("no_problem", "no problem could be made for this figure")

    target = problem.target
    words = stream(seed, generator, index, "problem_text", attempt)
    texts = version_texts(figure, problem, words, options, language)
    closing = LETTERS[key_slot] if options else answer_text(target, gold.answer(target))
    gold_steps = rationale_steps(problem, gold)
    gold_text = rationale(problem, gold, closing, steps=gold_steps)
    common_extra = answer_columns(
        sample,
        [(o.text, o.mistake) for o in options or []],
        options is not None,
        answer=closing,
        value=answer_value,
        exact_text=exact.to_str(gold.answer(target)),
        target=target_json(*target),
        rationale=gold_text,
        givens=row_json([_fact_json(problem, q) for q in problem.givens]),
    )
    images: dict[tuple, tuple[bytes, dict]] = {}
    rows = []
    for version in VERSIONS:
        t = texts[version]
        key = (tuple(t["drawn"]), t["footer"])
        if key not in images:  # versions that look the same share one render
            png = render(
                figure,
                style,
                image_size,
                annotate=t["drawn"],
                png_level=png_level,
                footer=t["footer"],
            )
            images[key] = (png, {**figure.to_json(), "style": style.to_json()})
        png, fig_json = images[key]
        rows.append(
            instruct_row(sample, fig_json, png, version, t["question"], gold_text, common_extra)
        )
    # Preference: the free-form, text-dominant problem; gold against one typed error.
    free = version_texts(figure, problem, words, None, language)["text_dominant"]
    wrong = answer_text(target, bad_run.answer(target))
    png, fig_json = images[((), None)]
    chosen = rationale(problem, gold, answer_text(target, gold.answer(target)), steps=gold_steps)
    rejected = rationale(problem, bad_run, wrong, skip=skipped)
    preference = preference_row(sample, fig_json, png, free["question"], chosen, rejected, kind)
    return {"instruct": rows, "preference": [preference]}
