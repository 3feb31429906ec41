"""Function problems: answers against the expression, options, the five versions each
solvable from what it shows, preference pairs, CLI and verify."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from mavis_engine import FunctionPlot, exact
from mavis_engine.answers import LETTERS, VERSIONS
from mavis_engine.cli import main
from mavis_engine.functions.problems import written
from mavis_engine.text.maths import pretty
from mavis_engine.verify import check_instruct, check_preference


@pytest.fixture(scope="module")
def fplot():
    return FunctionPlot()


@settings(max_examples=40)
@given(seed=st.integers(0, 2**31 - 1), index=st.integers(0, 10**7))
def test_function_problem_rows(fplot, seed, index):
    sample = fplot.sample(seed, index, problems=True)
    rows = sample.rows("instruct")
    assert [r["version"] for r in rows] == list(VERSIONS)
    lo, hi = sample.figure["x_range"]
    parsed = sp.sympify(sample.figure["expression"], locals={"x": sp.Symbol("x", real=True)})
    # The text writes it as a teacher does (natural order, log_b); a plot title as SymPy.
    expression, title = written(parsed), pretty(parsed, degrees=False)
    for row in rows:
        assert check_instruct(row) == []  # the answer is a fact verified on the expression
        if row["choices"]:
            assert len(set(row["choices"])) == 4
            key = row["choices"][LETTERS.index(row["answer"])]
            if math.isnan(row["answer_value"]):  # categorical: a sign or an interval
                assert key == row["answer_exact"]
            else:
                assert key == exact.display(sp.sympify(row["answer_exact"]))
            assert len(json.loads(row["distractors"])) == 3
        # Solvable: the function and the interval are in the text or in the image.
        fig = json.loads(row["figure"])
        shown = row["question"] + " " + " ".join(lb["text"] for lb in fig["labels"])
        premise = next(g for g in json.loads(row["givens"]) if g["kind"] == "expression")
        form = sp.sympify(premise["value"], locals={"x": sp.Symbol("x", real=True)})
        forms = (expression, title, written(form), pretty(form, degrees=False))
        assert any(f in shown for f in forms), (row["version"], row["question"])
        ticks = {lb["text"] for lb in fig["labels"] if lb["kind"] == "tick" and lb["of"] == ["x"]}
        in_text = f"{lo}" in row["question"] and f"{hi}" in row["question"]
        assert in_text or {f"{lo:g}", f"{hi:g}"} <= ticks, (row["version"], ticks)
        if row["version"] in ("text_dominant", "text_lite", "vision_intensive"):
            assert expression in row["question"] or "constant" in row["question"]
        # With a premise, each condition is stated in the text or marked in the image.
        for condition in json.loads(row["givens"]):
            if condition["kind"] != "point":
                continue
            px, py = condition["value"]
            marked = f"({px:.2f}, {py:.2f})" in shown
            stated = "through (" in row["question"]
            assert marked or stated, (row["version"], condition, row["question"])
    (pref,) = sample.rows("preference")
    assert check_preference(pref) == []


def test_function_kind_all_writes_rows_that_verify(tmp_path, capsys):
    out = tmp_path / "f"
    assert (
        main(["generate", "function", "--n", "8", "--out", str(out), "--kind", "all", "--quiet"])
        == 0
    )
    assert "8 caption, 40 instruct, 8 preference rows" in capsys.readouterr().out
    assert main(["verify", str(out)]) == 0


@pytest.mark.parametrize(
    "version", ["text_dominant", "text_lite", "vision_intensive", "vision_dominant"]
)
def test_comparison_question_reads_as_a_question(version):
    """'which is larger, f(1) or f(3)' is asked as itself: never 'What is which is larger…?'."""
    from mavis_engine.functions.phrases import PHRASES
    from mavis_engine.text.env import render_text

    question = PHRASES["en"]["compare.question"].format(a=1, b=3)
    context = {"expression": "1/x - 1", "lo": -3, "hi": 4, "question": question}
    context |= {"noun": "rational", "unknowns": None, "categorical": True, "conditions": []}
    context |= {"interval": "[-3, 4]", "whole": True}
    for seed in range(30):
        text = render_text(
            "en",
            "function/problem.j2",
            np.random.default_rng(seed),
            version=version,
            choices=None,
            **context,
        )
        assert "hich is larger, f(1) or f(3)" in text, text
        assert not re.search(r"\b(?:What is|Find|Determine) Which\b|What is which", text), text


@pytest.mark.parametrize("language", ["en", "zh"])
def test_titles_and_texts_write_powers_and_logs_as_a_teacher(language):
    """Plot titles, captions and questions (both languages: a Chinese text drawn in an
    image sets ₂ and ˣ in a fallback face) write log₂(x - 3), 2ˣ, x³: not SymPy's
    'log(x - 3)/log(2)' or a caret; a rationale writes no caret either."""
    raw = re.compile(r"\^|\blog\(")  # a caret, or a log with no base shown
    gen = FunctionPlot(families=("logarithm", "exponential", "polynomial"), language=language)
    seen = set()
    for index in range(24):
        sample = gen.sample(7, index, problems=True)
        for row in sample.rows("instruct"):
            titles = [
                lb["text"] for lb in json.loads(row["figure"])["labels"] if lb["kind"] == "title"
            ]
            for title in titles:
                assert not raw.search(title), (index, title)
                seen.update(c for c in "₂₃₁ˣ³" if c in title)
            assert not raw.search(row["question"]), (index, row["question"])
            assert "^" not in row["rationale"], (index, row["rationale"])
        for row in sample.rows("caption"):
            assert not raw.search(row["caption"]), (index, row["caption"])
            seen.update(c for c in "₂₃₁ˣ³" if c in row["caption"])
    assert {"ˣ", "³"} <= seen and seen & {"₂", "₃", "₁"}


def test_a_stated_interval_lies_in_the_functions_domain():
    """A question's interval is one where f is defined: for -log₃(3x - 1) plotted on
    [-2, 9] it says (1/3, 9], not [-2, 9]; a plotted window inside the domain is kept."""
    from mavis_engine.functions.check import numeric

    span = re.compile(r"(?:interval|x in) ([\[(])(-?[\d/]+), (-?[\d/]+)([\])])")
    gen = FunctionPlot(families=("logarithm", "square_root"))
    cut = 0
    for index in range(30):
        sample = gen.sample(11, index, problems=True)
        f = numeric(sample.figure["expression"])
        lo, hi = sample.figure["x_range"]
        for row in sample.rows("instruct"):
            for left, a, b, right in span.findall(row["question"]):
                a, b = (float(sp.Rational(v)) for v in (a, b))
                assert lo <= a < b <= hi, row["question"]
                xs = np.linspace(a, b, 201)
                xs = xs[(left == "(") : len(xs) - (right == ")")]  # an open end left out
                with np.errstate(all="ignore"):
                    assert np.all(np.isfinite(f(xs))), (index, row["question"])
                cut += a > lo
    assert cut  # some windows reach past the domain


def test_interval_ends_at_an_asymptote_are_open():
    """f is undefined at a vertical asymptote: an interval of increase or decrease ends
    open there ('(-3π/2, -π/2)' for tan, '(-2, 5]' for log₂(x + 2)), in captions, answers
    and the row check alike (they were closed: '[-3π/2, -π/2]')."""
    from mavis_engine.functions.analysis import analyse
    from mavis_engine.functions.families import FAMILIES
    from mavis_engine.functions.problems import _increasing
    from mavis_engine.functions.rowcheck import _categorical

    params = {"a": 1, "base": 2, "b": 1, "c": 2}
    expr = FAMILIES["logarithm"].expression(params)
    an = analyse("logarithm", params, expr, -5, 5)
    fact = next(f for f in an.facts if f.kind == "increasing")
    assert _increasing(expr, an, fact, -5, 5)[3] == "(-2, 5]"
    facts = [f.to_json() for f in an.facts]
    assert _categorical({"kind": "increasing"}, fact.to_json(), facts) == "(-2, 5]"

    gen = FunctionPlot(families=("tangent", "rational", "logarithm"))
    opened = 0
    for index in range(40):
        sample = gen.sample(21, index)
        caption = sample.rows("caption")[0]["caption"]
        for fact in sample.facts:
            if fact["kind"] == "asymptote" and fact["axis"] == "x":
                v = exact.display(exact.parse(fact["exact"]))
                assert f"[{v}," not in caption and f", {v}]" not in caption, caption
                opened += f"({v}," in caption or f", {v})" in caption
    assert opened


def test_english_texts_write_ln_roots_and_constants_first():
    """English texts write the natural log as ln (log(2) next to log₂ read as log₁₀), roots
    with √ (f'(x) = 1/sqrt(x - 2) was printed raw) and a·3ˣ + c, not 3ˣ·a + c."""
    from mavis_engine.functions.families import x

    a, c = sp.symbols("a c", real=True)
    assert written(sp.log(2) * 2**-x) == "(ln 2)/2ˣ"
    assert written(-4 * sp.log(2) + sp.Rational(7, 4)) == "-4·ln 2 + 7/4"
    assert written(4 * sp.log(sp.Abs(x - 3))) == "4·ln|x - 3|"
    assert written(1 / sp.sqrt(x - 2)) == "1/√(x - 2)"
    assert written(a * 3**x + c) == "a·3ˣ + c"
    assert written(2 * sp.log(3 * x + 1) / sp.log(10)) == "2·log₁₀(3·x + 1)"
    raw = re.compile(r"\blog\(|sqrt\(|ˣ·[a-z]\b")
    gen = FunctionPlot(families=("exponential", "logarithm", "rational", "square_root"))
    for index in range(40):
        for row in gen.sample(21, index, problems=True).rows("instruct"):
            if row["version"] == "text_dominant":
                assert not raw.search(row["question"] + row["rationale"]), row["rationale"]
