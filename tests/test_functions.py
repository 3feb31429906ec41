"""Function plots: every fact against the expression, the plot's transform and labels,
determinism, shards, the numeric check catching a wrong fact."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from mavis_engine import FunctionPlot, exact, generate
from mavis_engine.errors import Rejected
from mavis_engine.functions.analysis import analyse
from mavis_engine.functions.check import fact_mismatches
from mavis_engine.functions.families import FAMILIES, x
from mavis_engine.text.maths import pretty

seeds = st.integers(0, 2**31 - 1)
indexes = st.integers(0, 10**7)


@pytest.fixture(scope="module")
def fplot():
    return FunctionPlot()


@given(seed=seeds, index=indexes)
def test_every_fact_holds_against_the_expression(fplot, seed, index):
    s = fplot.sample(seed, index)
    fig = s.figure
    assert fact_mismatches(fig["expression"], fig["x_range"], s.facts) == []
    # The expression string parses back to the family's function.
    expr = sp.sympify(fig["expression"], locals={"x": sp.Symbol("x", real=True)})
    assert expr.free_symbols <= {sp.Symbol("x", real=True)}
    kinds = {f["kind"] for f in s.facts}
    assert "value_at" in kinds


@given(seed=seeds, index=indexes)
def test_plot_transform_points_and_labels(fplot, seed, index):
    s = fplot.sample(seed, index)
    fig = s.figure
    (sx, _, tx), (_, sy, ty) = fig["transform"]
    assert sx > 0 > sy
    for name, (px_, py_) in fig["pixels"].items():
        mx, my = fig["points"][name]
        assert math.isclose(px_, sx * mx + tx, abs_tol=0.05)
        assert math.isclose(py_, sy * my + ty, abs_tol=0.05)
        assert 0 <= px_ <= fig["width"] and 0 <= py_ <= fig["height"]
    for lb in fig["labels"]:
        x0, y0, x1, y1 = lb["bbox"]
        assert 0 <= x0 < x1 <= fig["width"] and 0 <= y0 < y1 <= fig["height"]
    assert {lb["of"][0] for lb in fig["labels"] if lb["kind"] == "point"} == set(fig["points"])


@given(seed=seeds, index=indexes)
def test_same_bytes_twice_and_caption_numbers_are_facts(fplot, seed, index):
    a, b = fplot.sample(seed, index), fplot.sample(seed, index)
    assert a.caption_row() == b.caption_row()
    text = a.caption
    # The expression's own numbers: its sentence, and those that restate a coefficient in
    # words (an amplitude, a midline, a vertex, where two pieces join).
    shown = pretty(sp.sympify(a.figure["expression"]), degrees=False)
    allowed = {f"{v:g}" for v in a.figure["x_range"]} | set(re.findall(r"\d+(?:\.\d+)?", shown))
    for fact in a.facts:
        for key in ("value", "x", "from", "to"):
            if key in fact:
                allowed |= {f"{fact[key]:.2f}", f"{fact[key]:g}"}
        allowed |= set(re.findall(r"\d+(?:\.\d+)?", fact["exact"]))
        allowed |= set(re.findall(r"\d+(?:\.\d+)?", exact.display(sp.sympify(fact["exact"]))))
        for key in ("from_exact", "to_exact"):
            if key in fact:
                shown = exact.display(sp.sympify(fact[key]))
                allowed |= set(re.findall(r"\d+(?:\.\d+)?", shown))
    allowed = {v.lstrip("-") for v in allowed}  # the text's numbers are read unsigned
    for number in re.findall(r"\d+(?:\.\d+)?", text):
        assert number in allowed, (number, a.caption)


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_family_analyses_and_verifies(family):
    rng = np.random.default_rng(1)
    done = 0
    for _ in range(30):
        p = FAMILIES[family].sample(rng)
        expr = FAMILIES[family].expression(p)
        try:
            an = analyse(family, p, expr, -6, 6)
        except Rejected:
            continue
        assert fact_mismatches(exact.to_str(expr), [-6, 6], [f.to_json() for f in an.facts]) == []
        done += 1
    assert done >= 20


def test_known_rational_analysis():
    p = {"a": 4, "h": 1, "k": 1}
    an = analyse("rational", p, FAMILIES["rational"].expression(p), -5, 8)
    facts = {(f.kind, dict(f.where).get("axis")): f.exact for f in an.facts}
    assert facts[("zero", None)] == -3
    assert facts[("asymptote", "x")] == 1 and facts[("asymptote", "y")] == 1
    assert ("maximum", None) not in facts  # unbounded next to the pole


def test_check_catches_a_wrong_fact(fplot):
    s = fplot.sample(0, 3)
    wrong = [dict(f) for f in s.facts]
    wrong[0]["value"] += 0.5
    assert fact_mismatches(s.figure["expression"], s.figure["x_range"], wrong)


def test_function_shards_load_and_do_not_depend_on_workers(tmp_path):
    import datasets

    one = generate("function", 24, 5, tmp_path / "one", shard_size=10, progress=False)
    two = generate("function", 24, 5, tmp_path / "two", workers=2, shard_size=10, progress=False)
    assert one["rows"] == two["rows"] == {"caption": 24}
    for name in sorted(p.name for p in (tmp_path / "one" / "caption").iterdir()):
        assert (tmp_path / "one" / "caption" / name).read_bytes() == (
            tmp_path / "two" / "caption" / name
        ).read_bytes()
    ds = datasets.load_dataset("parquet", data_dir=str(tmp_path / "one" / "caption"), split="train")
    row = ds[0]
    assert row["domain"] == "function" and row["image"].size[0] == 512
    assert json.loads(row["figure"])["family"] in FAMILIES
    assert x.is_real


def test_trig_texts_name_the_function_their_expression_shows():
    """SymPy prints a sine of phase π/2 as a cosine (and a cosine as a sine): captions and
    questions name the function the expression holds, and call it scaled or shifted only
    where it is (a shifted cosine curve was y = 3·sin(x) + 1; a scaled tangent tan(x) - 2)."""
    from mavis_engine.functions.rowcheck import check_row

    gen = FunctionPlot(families=("sine", "cosine", "tangent"))
    named = {"sin": re.compile(r"\bsine\b"), "cos": re.compile(r"\bcosine\b")}
    swapped = 0
    for index in range(60):
        sample = gen.sample(5, index, problems=True)
        expression = sample.figure["expression"]
        rows = sample.rows("caption") + sample.rows("instruct")
        texts = [sample.rows("caption")[0]["caption"]] + [r["question"] for r in rows[1:]]
        for text in texts:
            for fn, word in named.items():
                assert not word.search(text) or f"{fn}(" in expression, (index, text)
            if "scaled tangent" in text:  # not ±tan(x) + d
                assert not re.fullmatch(r"-?tan\(x\)(?: [+-] \d+)?", expression), text
        assert check_row("caption", rows[0]) == []
        assert all(check_row("instruct", r) == [] for r in rows[1:])
        swapped += sample.params["params"].get("c") == 3
    assert swapped  # a phase of π/2 was drawn


def test_row_check_refuses_a_wrong_trig_name():
    from mavis_engine.functions.rowcheck import family_word_problems

    assert family_word_problems("y = 3·sin(x) + 1, a shifted cosine curve.", "3*sin(x) + 1")
    assert family_word_problems("Consider the sine function f(x) = 3·cos(2·x).", "3*cos(2*x)")
    assert family_word_problems("y = tan(x) - 2, a scaled tangent function.", "tan(x) - 2")
    assert family_word_problems("y = 3·sin(x), a shifted sine curve.", "3*sin(x)")
    assert not family_word_problems("y = tan(x) - 2, a shifted tangent function.", "tan(x) - 2")
    assert not family_word_problems("y = 3·cos(2·x) + 1, a cosine wave.", "3*cos(2*x) + 1")


def test_shape_sentences_follow_the_family():
    """An absolute value's caption never borrows the square root's shape sentence (seed
    21/0: y = -2·|x + 2| + 2 'starts at its endpoint (-2, 2) and then descends ever more
    slowly'), and every shape sentence passes the row check."""
    from mavis_engine.functions.rowcheck import check_row

    gen = FunctionPlot(families=("absolute", "square_root"))
    said = {"absolute": 0, "square_root": 0}
    for index in range(80):
        sample = gen.sample(21, index)
        row = sample.rows("caption")[0]
        caption, family = row["caption"], sample.params["family"]
        borrowed = ("corner", "V opens") if family == "square_root" else ("endpoint", "slow")
        assert not any(w in caption for w in borrowed), (index, caption)
        said[family] += any(w in caption for w in ("corner", "endpoint", "flattening"))
        assert check_row("caption", row) == [], (index, caption)
    assert all(said.values())  # both families' sentences were said


def test_row_check_refuses_shape_words_that_do_not_fit():
    from mavis_engine.functions.rowcheck import shape_word_problems

    v, root = "2 - 2*Abs(x + 2)", "2*sqrt(x - 2) - 1"
    assert shape_word_problems(
        "The curve starts at its endpoint (-2, 2) and then descends ever more slowly.", v, [-6, 6]
    )
    assert shape_word_problems(
        "Beginning at (-2, -2), the graph rises with a flattening slope.",
        "Abs(x + 2) - 2",
        [-2, 6],
    )
    assert shape_word_problems(
        "Its vertex is the corner point (2, -1), and the V opens upward.", root, [-3, 6]
    )
    assert shape_word_problems(
        "Its vertex is the corner point (-2, 2), and the V opens upward.", v, [-6, 6]
    )
    assert not shape_word_problems(
        "The two straight arms meet in a sharp corner at (-2, 2); the graph opens downward.",
        v,
        [-6, 6],
    )
    assert not shape_word_problems(
        "The function is only defined for x ≥ 2, so the curve starts there. Beginning at "
        "(2, -1), the graph rises with a flattening slope.",
        root,
        [-3, 6],
    )


def test_one_sided_asymptote_keeps_the_other_extremum():
    """A log whose asymptote is the domain's left end falls to −∞ there, so it has no
    minimum but its maximum at the right end (seed 31/26: log₂(2x + 2) on [-5, 3] was
    captioned 'grows without bound: there is no maximum or minimum'); every caption's
    extremum and asymptote sentences, English and Chinese, pass the row check."""
    from mavis_engine.functions.rowcheck import check_row

    an = analyse("logarithm", {"a": 1, "base": 2, "b": 2, "c": 2}, sp.log(2 * x + 2, 2), -5, 3)
    kinds = {f.kind: f for f in an.facts}
    assert "minimum" not in kinds and math.isclose(exact.to_float(kinds["maximum"].exact), 3)
    gen = FunctionPlot(families=("logarithm", "rational"), languages=("en", "zh"))
    one_sided = 0
    for index in range(40):
        sample = gen.sample(31, index)
        for row in sample.rows("caption"):
            caption = row["caption"]
            assert check_row("caption", row) == [], (index, caption)
            one_sided += "没有最小值" in caption or "no minimum" in caption
    assert one_sided  # the one-sided sentence was said


def test_row_check_refuses_a_denied_extremum_and_a_wrong_direction():
    from mavis_engine.functions.rowcheck import shape_word_problems

    log, window = "log(2*x + 2)/log(2)", [-5, 3]
    facts = [
        {"kind": "asymptote", "axis": "x", "value": -1.0},
        {"kind": "maximum", "x": 3.0, "value": 3.0},
    ]
    said = "Near its asymptote the function grows without bound: there is no maximum or minimum."
    assert len(shape_word_problems(said, log, window, facts)) == 2  # denied max, wrong way
    assert shape_word_problems("函数没有最大值和最小值。", log, window, facts)
    assert not shape_word_problems(
        "Near its asymptote the function falls without bound, so it has no minimum; its "
        "maximum value is 3.00, at x = 3.",
        log,
        window,
        facts,
    )
    reciprocal = [{"kind": "asymptote", "axis": "x", "value": 1.0}]
    assert not shape_word_problems(
        "Near its asymptote the function grows without bound: there is no maximum or minimum.",
        "1/(x - 1)",
        [-3, 3],
        reciprocal,
    )
