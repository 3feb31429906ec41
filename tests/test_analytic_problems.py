"""Analytic problems: answers are facts verified on the coordinates, options, the five
versions each solvable from what it shows, preference pairs."""

from __future__ import annotations

import json
import math
import re

import pytest
import shapely
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from mavis_engine import AnalyticGeometry, exact
from mavis_engine.analytic.figures import GridFigure, extent
from mavis_engine.analytic.pairs import DIRECTIONS
from mavis_engine.analytic.phrases import where_answer
from mavis_engine.analytic.recheck import answer_problems, number_from_text
from mavis_engine.analytic.rowcheck import unnamed_problems
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
    # Solvable: the coordinates of the figures the question gives (and of the point it asks
    # about) are in the text or labelled in the image; the rest is read off the grid.
    coords = [c for shape in json.loads(rows[0]["givens"]) for c in _coordinates(shape)]
    target = json.loads(rows[0]["target"])
    if target["kind"] == "contains":
        coords.append("({:g}, {:g})".format(*target["at"]))
    if target["kind"] == "position":  # read off the grid: both figures are named
        coords += [f"{kind} {name}" for kind, name in _named(rows[0]["figure"], target["of"])]
    for row in rows:
        assert check_instruct(row) == []
        if row["choices"]:
            assert len(set(row["choices"])) == 4
            key = row["choices"][LETTERS.index(row["answer"])]
            if math.isnan(row["answer_value"]):  # a point or an equation, as text
                assert key == row["answer_exact"]
            else:
                assert key == exact.display(sp.sympify(row["answer_exact"]))
        fig = json.loads(row["figure"])
        shown = row["question"] + " " + " ".join(lb["text"] for lb in fig["labels"])
        for c in coords:
            assert c in shown, (row["version"], c, row["question"])
    assert check_preference(sample.rows("preference")[0]) == []


def _named(figure: str, names: list[str]) -> list[tuple[str, str]]:
    kinds = {sh["name"]: sh["kind"] for sh in json.loads(figure)["shapes"]}
    return [(kinds[name], name) for name in names]


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
    _assert_distractors_rejected(grid, asked)


# Lines, circles and squares, asked only questions between figures.
LINES_AND_CIRCLES = AnalyticGeometry(
    AnalyticGeometry.Config(
        kinds=("line", "circle", "square"),
        questions=("intersection", "distance", "contains", "position"),
    )
)


def test_only_the_configured_question_kinds_are_asked():
    asked = {
        json.loads(LINES_AND_CIRCLES.sample(4, i, problems=True).rows("instruct")[0]["target"])[
            "kind"
        ]
        for i in range(60)
    }
    assert asked == {"intersection", "distance", "contains", "position"}
    with pytest.raises(ValueError, match="unknown questions"):
        AnalyticGeometry.Config(questions=("volume",))


@pytest.mark.parametrize(
    "asked",
    [
        "intersection points of line",
        "contains the point",
        "relative to",
        "distance from the centre of circle",
    ],
)
def test_questions_between_figures_reject_every_distractor(asked):
    _assert_distractors_rejected(LINES_AND_CIRCLES, asked)


def _assert_distractors_rejected(grid, asked: str) -> None:
    row = next(
        r
        for i in range(400)
        for r in grid.sample(1, i, problems=True).rows("instruct")
        if asked in r["question"] and r["choices"]
    )
    assert check_instruct(row) == []
    key = row["choices"][LETTERS.index(row["answer"])]
    for wrong in (c for c in row["choices"] if c != key):
        if math.isnan(row["answer_value"]):
            assert check_instruct({**row, "answer_exact": wrong}), wrong
        else:  # a number: its value is what verify checks
            value = float(number_from_text(wrong))
            assert check_instruct({**row, "answer_value": value}), wrong


def test_tangent_lines_touch_and_intersections_lie_on_both_curves():
    """Every stated tangency has centre distance = radius (exact, from the JSON), and some
    occur; intersection answers are substituted back by verify (checked in the rows)."""
    tangents = 0
    for i in range(150):
        sample = LINES_AND_CIRCLES.sample(2, i)
        shapes = {sh["name"]: sh for sh in sample.figure["shapes"]}
        for rel in sample.figure["relations"]:
            if rel["relation"] != "is tangent to":
                continue
            tangents += 1
            line, circle = sorted((shapes[n] for n in rel["of"]), key=lambda s: s["kind"] != "line")
            (x1, y1), (x2, y2) = (map(sp.Integer, map(int, p)) for p in line["through"])
            cx, cy = map(sp.Integer, map(int, circle["center"]))
            cross = (x2 - x1) * (cy - y1) - (y2 - y1) * (cx - x1)
            assert cross**2 == int(circle["radius"]) ** 2 * ((x2 - x1) ** 2 + (y2 - y1) ** 2)
    assert tangents >= 10


def test_option_letters_are_balanced(grid):
    letters = [
        row["answer"]
        for i in range(200)
        for row in grid.sample(3, i, problems=True).rows("instruct")[:1]
        if row["choices"]
    ]
    assert len(letters) == 100
    assert all(abs(letters.count(x) - 25) <= 1 for x in LETTERS)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_wrong_key_is_rejected_before_writing(monkeypatch, language):
    """The generator recomputes each answer from the row's JSON before writing it: a
    question builder that states the opposite direction never gets a row out (in either
    language's words)."""
    from mavis_engine.analytic import pairs
    from mavis_engine.errors import SampleFailed

    real = pairs.position

    def reversed_position(a, b, lang="en"):
        problem = real(a, b, lang)  # the key and the "roles swapped" distractor traded
        (mistake, opposite), right = problem.mistakes[0], problem.label
        problem.label, problem.mistakes[0] = opposite, (mistake, right)
        return problem

    monkeypatch.setattr(pairs, "position", reversed_position)
    grid = AnalyticGeometry(
        AnalyticGeometry.Config(
            kinds=("square", "circle", "point"),
            questions=("position",),
            max_attempts=8,
            languages=(language,),
        )
    )
    with pytest.raises(SampleFailed, match="answer_mismatch"):
        grid.sample(0, 0, problems=True)


# Points beside solids, asked where one figure lies relative to another.
POINTS = AnalyticGeometry.Config(kinds=("point", "square", "circle"), questions=("position",))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_point_the_question_names_is_named_in_every_picture(language):
    """A vision version's picture labels a point "B(-5, -3)", not "(-5, -3)": the question
    asks about point B; and verify refuses a row whose picture drops the name."""
    grid = AnalyticGeometry(POINTS, languages=(language,))
    asked = 0
    for index in range(40):
        rows = grid.sample(5, index, problems=True).rows("instruct")
        kinds = {s["name"]: s["kind"] for s in json.loads(rows[0]["figure"])["shapes"]}
        points = [n for n in json.loads(rows[0]["target"])["of"] if kinds[n] == "point"]
        asked += bool(points)
        for row in rows:
            texts = [lb["text"] for lb in json.loads(row["figure"])["labels"]]
            for name in points:
                assert any(t.startswith(name + "(") for t in texts), (row["id"], texts)
            assert unnamed_problems(row) == [], row["id"]
            if points and row["version"] == "vision_only":
                figure = json.loads(row["figure"])
                for lb in figure["labels"]:
                    lb["text"] = lb["text"].removeprefix(points[0])
                bad = {**row, "figure": json.dumps(figure)}
                assert unnamed_problems(bad) == [
                    f"the question names {points[0]}, but no label of its picture does"
                ]
    assert asked >= 5


LABELLED = {"en": "labelled coordinates", "zh": "标出的坐标"}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_vision_dominant_promises_labelled_coordinates_only_where_drawn(language):
    """The wording "Use the labelled coordinates in the figure" (also vision_only's footer)
    only where the picture labels some coordinates; a question about where figures lie labels
    none, and sends the reader to the grid."""
    grid = AnalyticGeometry(
        kinds=("square", "circle", "segment", "triangle"),
        questions=("position", "area", "length"),
        languages=(language,),
    )
    promised = 0
    for index in range(30):
        for row in grid.sample(7, index, problems=True).rows("instruct"):
            if row["version"] != "vision_dominant":
                continue
            labels = [lb["text"] for lb in json.loads(row["figure"])["labels"]]
            drawn = any(re.search(r"\(-?[\d.]+, -?[\d.]+\)", t) for t in labels)
            if LABELLED[language] in row["question"]:
                promised += 1
                assert drawn, (row["id"], row["question"], labels)
            if json.loads(row["target"])["kind"] == "position":
                assert not drawn and LABELLED[language] not in row["question"], row["id"]
    assert promised >= 3


@pytest.mark.parametrize(
    ("language", "word"), [("en", "circumference of circle"), ("zh", "的周长")]
)
def test_a_circle_is_asked_its_circumference(language, word):
    """A circle's perimeter is asked as its circumference ("the perimeter of circle A" is
    not how a textbook says it); in Chinese 周长 serves both."""
    grid = AnalyticGeometry(kinds=("circle",), questions=("perimeter",), languages=(language,))
    for index in range(8):
        for row in grid.sample(3, index, problems=True).rows("instruct"):
            if row["version"] != "vision_only":
                assert word in row["question"] and "perimeter" not in row["question"], row["id"]
            assert "perimeter" not in row["rationale"], row["id"]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_position_question_has_exactly_one_true_option(language):
    """A figure off a corner of another (left of and below it) has two true sides: such a
    pair is never asked, so the key is the one true side and every other option is false,
    recomputed from the row's JSON (3 of 8 position rows of seed 21 had two true options)."""
    grid = AnalyticGeometry(POINTS.model_copy(update={"languages": (language,)}))
    for i in range(40):
        row = grid.sample(21, i, problems=True).rows("instruct")[0]
        figure, target = json.loads(row["figure"]), json.loads(row["target"])
        shapes = {sh["name"]: sh for sh in figure["shapes"]}
        a, b = (shapes[n] for n in target["of"])
        (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = (_box(a), _box(b))
        held = [
            side
            for side, holds in zip(
                DIRECTIONS, (ax1 < bx0, ax0 > bx1, ay0 > by1, ay1 < by0), strict=True
            )
            if holds
        ]
        assert len(held) == 1, (i, held, row["choices"])
        assert row["answer_exact"] == where_answer(
            DIRECTIONS[held[0]][0], b["kind"], b["name"], language
        )


def _box(shape: dict) -> tuple[float, ...]:
    """A figure's bounding box (x0, y0, x1, y1), from its JSON."""
    return tuple(extent(GridFigure.from_json(shape)))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_verify_refuses_a_position_row_with_two_true_sides(language):
    """Point A(2, -2) is both left of and below square B (corner (5, 0), side 2): a row
    keyed "left" that lists "below" is refused, and so is the free answer "left" alone."""
    from mavis_engine.analytic.rowcheck import true_option_problems

    figure = {
        "x_range": [-8, 8],
        "shapes": [
            {"name": "A", "kind": "point", "at": [2.0, -2.0]},
            {"name": "B", "kind": "square", "corner": [5.0, 0.0], "width": 2.0, "height": 2.0},
        ],
    }
    target = {"kind": "position", "of": ["A", "B"]}
    left, below, above, right = (
        where_answer(w, "square", "B", language)
        for w in ("to the left of", "below", "above", "to the right of")
    )
    row = {"language": language, "answer_exact": left, "choices": [left, below, above, right]}
    assert true_option_problems(figure, target, row) == [
        f"option {below!r} is true as well as the key {left!r}"
    ]
    assert answer_problems(figure, target, {**row, "choices": []})


def test_a_contains_point_is_clear_of_every_outline():
    """The point a contains question asks about lies at least MIN_GAP from every closed
    figure's outline (seed 31/24 asked about (-2, 0), 0.08 inside a thin triangle: its
    dot covered the edge); the row check refuses a point closer than that."""
    from mavis_engine.analytic.check import solid_from_json
    from mavis_engine.analytic.figures import MIN_GAP, SOLID
    from mavis_engine.analytic.rowcheck import check_row

    grid = AnalyticGeometry(questions=("contains",))
    for index in range(30):
        row = grid.sample(31, index, problems=True).rows("instruct")[0]
        figure, target = json.loads(row["figure"]), json.loads(row["target"])
        assert target["kind"] == "contains"
        solids = [solid_from_json(sh) for sh in figure["shapes"] if sh["kind"] in SOLID]
        gaps = [s.boundary.distance(shapely.Point(target["at"])) for s in solids]
        assert min(gaps) >= MIN_GAP, (index, target, gaps)
        assert check_row("instruct", row) == [], index
    # The same row, asked about a point a hair inside a figure's edge, is refused.
    shape = next(sh for sh in figure["shapes"] if sh["kind"] in SOLID)
    edge = solid_from_json(shape).boundary.interpolate(0.5, normalized=True)
    moved = {**target, "at": [edge.x, edge.y]}
    assert any("outline" in p for p in check_row("instruct", {**row, "target": json.dumps(moved)}))
