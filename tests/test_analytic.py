"""Analytic geometry (first slice): figures on a grid, facts against the coordinates,
no overlaps between solids, labels inside and apart, determinism, shards."""

from __future__ import annotations

import json
import math
from itertools import combinations

import pytest
import shapely
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st
from sympy.parsing.sympy_parser import (
    implicit_multiplication_application,
    parse_expr,
    rationalize,
    standard_transformations,
)

from mavis_engine import AnalyticGeometry, generate
from mavis_engine.analytic.check import json_problems, relation_problems, solid_from_json
from mavis_engine.analytic.figures import (
    MIN_GAP,
    SOLID,
    GridFigure,
    line_equation,
    through_point,
)
from mavis_engine.analytic.generator import checked_relations
from mavis_engine.analytic.phrases import RELATION_WORDS
from mavis_engine.errors import Rejected

# Decimals in the text ("-0.2x") are exact; read them as rationals.
IMPLICIT = (*standard_transformations, implicit_multiplication_application, rationalize)

seeds = st.integers(0, 2**31 - 1)
indexes = st.integers(0, 10**7)


@pytest.fixture(scope="module")
def grid():
    return AnalyticGeometry()


@given(seed=seeds, index=indexes)
def test_facts_hold_on_the_coordinates(grid, seed, index):
    s = grid.sample(seed, index)
    # Rebuilt from the row's JSON alone: the path `mavis-engine verify` takes.
    assert json_problems(s.figure, s.facts) == []
    assert relation_problems(s.figure) == []
    assert {f["kind"] for f in s.facts} <= {
        "area",
        "perimeter",
        "length",
        "radius",
        "semi_axis",
        "slope",
        "intercept",
        "minimum",
        "maximum",
    }


@given(seed=seeds, index=indexes)
def test_solids_do_not_overlap_and_labels_fit(grid, seed, index):
    fig = grid.sample(seed, index).figure
    solids = [solid_from_json(sh) for sh in fig["shapes"] if sh["kind"] in SOLID]
    for a, b in combinations(solids, 2):
        assert a.intersection(b).area == 0
    boxes = [lb["bbox"] for lb in fig["labels"]]
    for x0, y0, x1, y1 in boxes:
        assert 0 <= x0 < x1 <= fig["width"] and 0 <= y0 < y1 <= fig["height"]
    for a, b in combinations(boxes, 2):
        assert shapely.box(*a).intersection(shapely.box(*b)).area == 0


@given(seed=seeds, index=indexes)
def test_caption_states_each_figure_and_same_bytes_twice(grid, seed, index):
    a, b = grid.sample(seed, index), grid.sample(seed, index)
    assert a.caption_row() == b.caption_row()
    for sh in a.figure["shapes"]:
        assert sh["name"] in a.caption
    for rel in a.figure["relations"]:  # in one of its English wordings
        # "touches" also opens "A and B meet at a single point of tangency"; a point on a
        # line is said to lie on it (the line passes through it).
        words = (*RELATION_WORDS[rel["relation"]], "point of tangency", "lies on", "passes through")
        assert any(w in a.caption for w in words), rel


def test_analytic_shards_load(tmp_path):
    import datasets

    runs = [
        generate(
            "analytic-geometry",
            12,
            1,
            tmp_path / name,
            workers=workers,
            kind="all",
            shard_size=5,
            progress=False,
        )
        for name, workers in (("one", 1), ("two", 2))
    ]
    assert runs[0]["rows"] == runs[1]["rows"] == {"caption": 12, "instruct": 60, "preference": 12}
    shards = sorted((tmp_path / "one").glob("*/*.parquet"))
    assert len(shards) == 9  # three shards of each row kind
    for p in shards:  # the same bytes on 1 or 2 workers
        assert p.read_bytes() == (tmp_path / "two" / p.parent.name / p.name).read_bytes()
    ds = datasets.load_dataset("parquet", data_dir=str(tmp_path / "one" / "caption"), split="train")
    assert ds[0]["domain"] == "analytic_geometry" and ds[0]["image"].size == (512, 512)
    assert json.loads(ds[0]["figure"])["shapes"]


def test_line_equation_holds_and_a_wrong_intercept_is_caught(grid):
    x, y = sp.symbols("x y")
    sample = next(s for s in (grid.sample(0, i) for i in range(200)) if _kinds(s) >= {"line"})
    line = next(sh for sh in sample.figure["shapes"] if sh["kind"] == "line")
    lhs, rhs = (parse_expr(side, transformations=IMPLICIT) for side in line["equation"].split("="))
    for px, py in line["through"]:  # the stated equation passes through both drawn points
        assert (lhs - rhs).subs({x: px, y: py}) == 0
    facts = [dict(f) for f in sample.facts]
    wrong = next(f for f in facts if f["kind"] == "intercept")
    wrong["value"] += 1
    assert json_problems(sample.figure, facts)


def _kinds(sample) -> set[str]:
    return {sh["kind"] for sh in sample.figure["shapes"]}


@given(
    p=st.tuples(st.integers(-9, 9), st.integers(-9, 9)),
    q=st.tuples(st.integers(-9, 9), st.integers(-9, 9)),
)
def test_line_equation_text_passes_through_both_points(p, q):
    assume(p != q)
    lhs, rhs = (
        parse_expr(side, transformations=IMPLICIT) for side in line_equation(p, q).split("=")
    )
    x, y = sp.symbols("x y")
    for px, py in (p, q):
        assert (lhs - rhs).subs({x: px, y: py}) == 0


@given(
    p=st.tuples(st.integers(-9, 9), st.integers(-9, 9)),
    q=st.tuples(st.integers(-9, 9), st.integers(-9, 9)),
    point=st.tuples(st.integers(-9, 9), st.integers(-9, 9)),
)
def test_parallel_and_perpendicular_lines_through_a_point(p, q, point):
    assume(p != q)
    x, y = sp.symbols("x y")
    (x1, y1), (x2, y2) = p, q
    for relation in ("parallel", "perpendicular"):
        text = through_point({"through": [p, q]}, point, relation)
        lhs, rhs = (parse_expr(side, transformations=IMPLICIT) for side in text.split("="))
        eq = lhs - rhs
        assert eq.subs({x: point[0], y: point[1]}) == 0
        # The normal (∂/∂x, ∂/∂y) is perpendicular (parallel lines) or parallel to p→q.
        nx, ny = sp.diff(eq, x), sp.diff(eq, y)
        dot, cross = nx * (x2 - x1) + ny * (y2 - y1), nx * (y2 - y1) - ny * (x2 - x1)
        assert (dot if relation == "parallel" else cross) == 0


def test_polygons_are_convex_with_four_or_five_grid_corners(grid):
    polygons = [
        sh
        for i in range(300)
        for sh in grid.sample(2, i).figure["shapes"]
        if sh["kind"] == "polygon"
    ]
    assert len(polygons) >= 5
    for sh in polygons:
        solid = solid_from_json(sh)
        assert len(sh["vertices"]) in (4, 5) and solid.is_valid
        assert math.isclose(solid.area, solid.convex_hull.area)
        assert all(float(c).is_integer() for v in sh["vertices"] for c in v)


def test_a_point_beside_a_line_is_drawn_clearly_apart():
    """A point off a line or segment keeps a visible gap from it (the caption says they do
    not touch, so its marker must not sit on the stroke); 11/16 had B(-8, 7) 0.08 from the
    line through (5, -2) and (-5, 5). The gap is measured here on the JSON alone."""
    grid = AnalyticGeometry(kinds=("point", "line", "segment"), figures=(3, 5))
    checked = 0
    for index in range(80):
        shapes = grid.sample(16, index).figure["shapes"]
        for p in (sh["at"] for sh in shapes if sh["kind"] == "point"):
            for sh in shapes:
                if sh["kind"] == "line":
                    (x1, y1), (x2, y2) = sh["through"]
                    cross = (x2 - x1) * (p[1] - y1) - (y2 - y1) * (p[0] - x1)
                    gap = abs(cross) / math.hypot(x2 - x1, y2 - y1)
                elif sh["kind"] == "segment":
                    gap = shapely.LineString(sh["endpoints"]).distance(shapely.Point(p))
                else:
                    continue
                checked += 1
                assert gap < 1e-9 or gap >= MIN_GAP, (index, sh, p, gap)
    assert checked > 50
    line = GridFigure.from_json(
        {"kind": "line", "name": "A", "through": [[5, -2], [-5, 5]], "span": 9}
    )
    point = GridFigure.from_json({"kind": "point", "name": "B", "at": [-8, 7]})
    with pytest.raises(Rejected) as why:
        checked_relations([line, point], 9)
    assert why.value.reason == "near_miss"
