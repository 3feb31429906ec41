"""Analytic problems: answers are facts verified on the coordinates, options, the five
versions each solvable from what it shows, preference pairs."""

from __future__ import annotations

import json
import math

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from mavis_engine import AnalyticGeometry, exact
from mavis_engine.answers import LETTERS, VERSIONS
from mavis_engine.verify import check_instruct, check_preference


@pytest.fixture(scope="module")
def grid():
    return AnalyticGeometry()


@settings(max_examples=40)
@given(seed=st.integers(0, 2**31 - 1), index=st.integers(0, 10**7))
def test_grid_problem_rows(grid, seed, index):
    sample = grid.sample(seed, index, problems=True)
    rows = sample.rows("instruct")
    assert [r["version"] for r in rows] == list(VERSIONS)
    (target,) = json.loads(rows[0]["givens"])
    coords = _coordinates(target)
    for row in rows:
        assert check_instruct(row) == []
        if row["choices"]:
            assert len(set(row["choices"])) == 4
            key = row["choices"][LETTERS.index(row["answer"])]
            if math.isnan(row["answer_value"]):  # a point or an equation, as text
                assert key == row["answer_exact"]
            else:
                assert key == exact.display(sp.sympify(row["answer_exact"]))
        # Solvable: the coordinates that define the figure are in the text or labelled.
        fig = json.loads(row["figure"])
        shown = row["question"] + " " + " ".join(lb["text"] for lb in fig["labels"])
        for c in coords:
            assert c in shown, (row["version"], c, row["question"])
    assert check_preference(sample.rows("preference")[0]) == []


def _coordinates(shape: dict) -> list[str]:
    def pt(p):
        return f"({p[0]:g}, {p[1]:g})"

    kind = shape["kind"]
    if kind in ("triangle", "polygon"):
        return [pt(v) for v in shape["vertices"]]
    if kind == "segment":
        return [pt(v) for v in shape["endpoints"]]
    if kind == "parabola":
        (h, k), a = shape["vertex"], shape["a"]
        return [pt((h, k)), pt((h + 1, k + a))]
    if kind == "line":
        return [pt(v) for v in shape["through"]]
    if kind in ("rectangle", "square"):
        return [pt(shape["corner"])]  # with its size (text) or the opposite corner (image)
    return [pt(shape["center"])]


@pytest.mark.parametrize(
    "asked",
    [
        "midpoint of segment",
        "equation of line",
        "equation of circle",
        "equation of ellipse",
        "equation of parabola",
        "parallel to line",
        "perpendicular to line",
    ],
)
def test_a_wrong_text_answer_is_caught(grid, asked):
    """Each text-answered question kind occurs, and verify rejects a distractor as the key."""
    row = next(
        r
        for i in range(400)
        for r in grid.sample(1, i, problems=True).rows("instruct")
        if asked in r["question"] and r["choices"]
    )
    assert check_instruct(row) == []
    wrong = next(c for c in row["choices"] if c != row["answer_exact"])
    assert check_instruct({**row, "answer_exact": wrong})
