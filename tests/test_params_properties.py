"""Properties over each domain's parameters, drawn by Hypothesis (``strategies``): the
facts a builder states agree with an independent recomputation, and the parameters'
JSON replays the same figure. A failure shrinks to small parameters and prints them."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, note, reject, settings
from hypothesis import strategies as st
from strategies import function_params, grid_figures, plane_params

from mavis_engine import exact, registry
from mavis_engine.analytic.check import figure_mismatches, json_problems
from mavis_engine.analytic.figures import GridFigure
from mavis_engine.analytic.generator import checked_relations
from mavis_engine.errors import Rejected
from mavis_engine.functions.analysis import analyse
from mavis_engine.functions.check import fact_mismatches
from mavis_engine.functions.families import FAMILIES
from mavis_engine.plane.build import PlaneParams, build
from mavis_engine.plane.check import check_facts


def _replayed(params_json: dict) -> dict:
    """The JSON as a row stores it and a user reads it back."""
    text = json.dumps(params_json)
    note(f"params JSON: {text}")
    return json.loads(text)


@pytest.mark.parametrize(
    "name", ["plane-geometry", "function", "analytic-geometry", "solid-geometry"]
)
@settings(max_examples=8)
@given(seed=st.integers(0, 2**31 - 1), index=st.integers(0, 10**6))
def test_a_sample_replays_from_its_params_column(name, seed, index):
    """Every domain's sample is a pure function of its parameters: the row's ``params``
    JSON builds the same facts again."""
    generator = registry.get(name)
    sample = generator().sample(seed, index)
    params = _replayed({k: v for k, v in sample.params.items() if k != "attempt"})
    assert generator.replay(params) == json.loads(json.dumps(sample.facts))


@given(plane_params())
def test_plane_facts_hold_and_params_replay(params):
    try:
        figure = build(params)
    except Rejected:
        reject()
    check_facts(figure)  # raises on any fact the coordinates do not give
    again = build(PlaneParams.from_json(_replayed(params.to_json())))
    assert again.facts_json() == figure.facts_json()
    assert again.to_json() == figure.to_json()


@given(function_params())
def test_function_facts_hold_and_params_replay(drawn):
    family, params, (lo, hi) = drawn
    expr = FAMILIES[family].expression(params)
    try:
        an = analyse(family, params, expr, lo, hi)
    except Rejected:
        reject()
    facts = [f.to_json() for f in an.facts]
    assert fact_mismatches(exact.to_str(expr), [lo, hi], facts) == []
    replayed = _replayed({"family": family, "params": params, "x_range": [lo, hi]})
    assert FAMILIES[replayed["family"]].expression(replayed["params"]) == expr


@given(grid_figures())
def test_analytic_facts_hold_and_figures_replay(drawn):
    span, figures = drawn
    assert figure_mismatches(figures) == []
    shapes = _replayed({"figures": [f.to_json() for f in figures]})["figures"]
    facts = [f.to_json() for fig in figures for f in fig.facts]
    assert json_problems({"shapes": shapes}, facts) == []
    again = [GridFigure.from_json(shape) for shape in shapes]
    assert [f.to_json() for f in again] == shapes
    assert [f.to_json() for fig in again for f in fig.facts] == facts
    try:
        relations = checked_relations(figures, span)
    except Rejected:
        return  # figures touching at one point: no phrase is safe, the sample is drawn again
    assert len(relations) >= len(figures) - 1  # every neighbour pair is related
