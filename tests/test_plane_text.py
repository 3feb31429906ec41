"""English plane-geometry text: a caption vocabulary and length like MAVIS's, relations
stated in captions true of the figure, no typographic glitches, no factor of one shown."""

from __future__ import annotations

import re

import numpy as np
import pytest
import sympy as sp

from mavis_engine import PlaneGeometry
from mavis_engine.cli import main
from mavis_engine.errors import Rejected
from mavis_engine.plane.build import build
from mavis_engine.plane.caption_text import describe
from mavis_engine.rowcheck import TEXT_GLITCHES
from mavis_engine.stats import collect
from mavis_engine.text.maths import pretty, substituted, unevaluated

GLITCHES = [
    *TEXT_GLITCHES,
    (re.compile(r"(?<![\d.])1·"), "a factor of one shown"),
    # The article, not a point A: lower case, or upper case opening a sentence.
    (re.compile(r"(?:\ba|(?:^|[.!?] )A) [aeiou]"), "'a' before a vowel"),
    (re.compile(r"\b[Aa]n [b-df-hj-np-tv-z]"), "'an' before a consonant"),
    (re.compile(r"\b(\w+) \1\b"), "a doubled word"),
    (re.compile(r"[.,;:]{2}"), "doubled punctuation"),
]


def test_six_hundred_english_plane_captions_read_like_mavis(tmp_path) -> None:
    """The measure the README quotes beside MAVIS-Caption's plane geometry (vocabulary
    195, 69.8 words): at least 1.5 times its vocabulary, 60 to 100 words a caption,
    and every stated number still a fact (verify passes)."""
    out = tmp_path / "run"
    argv = ["generate", "plane-geometry", "--n", "600", "--seed", "0", "--out", str(out)]
    assert main([*argv, "--kind", "caption", "--workers", "1", "--quiet"]) == 0
    (row,) = [c for c in collect(out).caption_table() if c["language"] == "en"]
    assert row["rows"] == 600
    assert row["vocabulary"] >= 293, row
    assert 60 <= row["avg_words"] <= 100, row
    assert main(["verify", str(out), "--quiet"]) == 0


def _texts(sample) -> list[str]:
    texts = [sample.caption, sample.construction]
    for row in sample.rows("instruct"):
        texts += [row["question"], row["rationale"], *(row.get("choices") or [])]
    for row in sample.rows("preference"):
        texts += [m["content"] for m in (*row["prompt"], *row["chosen"], *row["rejected"])]
    return texts


def test_plane_texts_have_no_glitches() -> None:
    gen = PlaneGeometry(incircle_prob=0.3)
    for index in range(100):
        sample = gen.sample(7, index, problems=True)
        for text in _texts(sample):
            for pattern, what in GLITCHES:
                found = pattern.search(text)
                assert not found, (index, what, text[max(0, found.start() - 40) : found.end() + 40])


def _point(figure, name: str) -> np.ndarray:
    return np.asarray(figure.points[name], dtype=float)


def _length(figure, side: str) -> float:
    return float(np.linalg.norm(_point(figure, side[1]) - _point(figure, side[0])))


def _parallel(figure, a: str, b: str) -> bool:
    u = _point(figure, a[1]) - _point(figure, a[0])
    v = _point(figure, b[1]) - _point(figure, b[0])
    return abs(u[0] * v[1] - u[1] * v[0]) < 1e-6 * np.linalg.norm(u) * np.linalg.norm(v)


def _angle(figure, name: str) -> float:
    a, v, b = (_point(figure, p) for p in name)
    u, w = a - v, b - v
    return float(np.degrees(np.arccos(np.dot(u, w) / np.linalg.norm(u) / np.linalg.norm(w))))


def _close(*values: float) -> bool:
    return bool(np.allclose(values, values[0], rtol=1e-6))


def _check_relations(figure, s: dict) -> None:
    """What the caption may say about one shape, against the coordinates alone."""
    p, kind = s["props"], s["kind"]
    for a, b in p.get("parallel", []):
        assert _parallel(figure, a, b) and _close(_length(figure, a), _length(figure, b))
    for a, b in p.get("opposite_angles", []):
        assert _close(_angle(figure, a), _angle(figure, b))
    if kind in ("square", "rhombus", "equilateral_triangle", "regular_polygon"):
        assert _close(*(_length(figure, side) for side in p["sides"]))
    if kind in ("square", "rectangle"):
        corners = p["corners"]
        for i in range(4):
            assert _close(_angle(figure, corners[i - 1] + corners[i] + corners[(i + 1) % 4]), 90)
    if kind == "trapezoid":
        assert _parallel(figure, p["base"], p["top"])
        assert _length(figure, p["base"]) > _length(figure, p["top"])
        assert _close(*(_length(figure, leg) for leg in p["legs"]))
        assert _close(*(_angle(figure, a) for a in p["base_angles"]))
    if kind == "right_triangle":
        legs, hyp = p["legs"], p["hypotenuse"]
        assert _close(_angle(figure, legs[0][::-1] + legs[1][1]), 90)
        assert _length(figure, hyp) > max(_length(figure, leg) for leg in legs)
    if kind == "isosceles_triangle":
        apex, (b, c) = p["apex"], p["base_corners"]
        assert _close(_length(figure, apex + b), _length(figure, apex + c))
        assert _close(_angle(figure, apex + b + c), _angle(figure, apex + c + b))
    if kind == "sector":
        center = s["center"]
        radii = [_length(figure, r) for r in p["radii"]]
        ends = [_length(figure, center + e) for e in p["arc_ends"]]
        assert all(center in r for r in p["radii"]) and _close(*radii, *ends)
    if kind == "rect_semicircle":
        assert _close(_length(figure, p["diameter"]), _length(figure, p["opposite"]))
        assert _parallel(figure, *p["walls"]) and _close(*(_length(figure, w) for w in p["walls"]))
    if kind == "rect_triangle":
        assert _close(*(_length(figure, x) for x in p["notch"]), _length(figure, p["opposite"]))
        assert _parallel(figure, *p["walls"])
    if kind == "kite":
        for a, b in p["pairs"]:
            assert _close(_length(figure, a), _length(figure, b))
        assert _close(*(_angle(figure, a) for a in p["equal_angles"]))
    if kind == "regular_polygon":
        v = p["corners"]
        n = len(v)
        for i in range(n):
            assert _close(_angle(figure, v[i - 1] + v[i] + v[(i + 1) % n]), float(p["interior"]))


def _check_attachment(figure, s: dict, shapes: dict) -> None:
    """The shared edge is a side of the shape it hangs on, in the role the text gives."""
    host, edge = s["host"], s["edge"]
    assert host is not None
    h = shapes[host["name"]]
    sides = h["props"]["sides"]
    assert any(set(side) == set(edge) for side in sides)
    role = host["role"]
    if role == "hypotenuse":
        assert set(edge) == set(h["props"]["hypotenuse"])
    if role == "radius":
        assert h["center"] in edge
    if role in ("base", "top") and h["kind"] == "trapezoid":
        assert set(edge) == set(h["props"][role])
    # Its own role: a sector's radius, a trapezoid's longer base, a triangle's leg.
    if s["kind"] == "sector":
        assert s["center"] in edge
    if s["kind"] == "trapezoid":
        assert set(edge) == set(s["props"]["base"])
    if s["kind"] == "right_triangle":
        assert any(set(edge) == set(leg) for leg in s["props"]["legs"])
    # Where it lies: the centre of the new shape from the centre of the old one.
    here = np.mean([_point(figure, v) for v in s["props"]["corners"]], axis=0)
    there = np.mean([_point(figure, v) for v in h["props"]["corners"]], axis=0)
    dx, dy = here - there
    words = {"right": dx > 0, "left": dx < 0, "above": dy > 0, "below": dy < 0}
    for word, holds in words.items():
        if word in s["where"] or (word == "above" and "upper" in s["where"]):
            assert holds, (s["where"], dx, dy)
        if word == "below" and "lower" in s["where"]:
            assert holds, (s["where"], dx, dy)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_relations_a_caption_states_hold_in_the_figure(seed) -> None:
    gen = PlaneGeometry(incircle_prob=0.3)
    checked = 0
    for index in range(60):
        try:
            figure = build(gen.params(seed, index))
        except Rejected:
            continue
        shapes = describe(figure)
        by_name = {s["name"]: s for s in shapes}
        for i, s in enumerate(shapes):
            _check_relations(figure, s)
            if i:
                _check_attachment(figure, s, by_name)
            checked += 1
    assert checked > 100


def test_a_substituted_sign_shows_no_factor_of_one() -> None:
    ab, cd, t, x = sp.symbols("AB CD t x")
    leg = (ab - cd) / (2 * sp.cos(t * sp.pi / 180))
    values = {ab: sp.Integer(10), cd: sp.Integer(6), t: sp.Integer(75)}
    assert substituted(leg, values) == "(10 - 6)/(2·cos(75°))"
    assert substituted(ab - cd, {ab: sp.Integer(3), cd: sp.Integer(-6)}) == "3 - (-6)"
    assert substituted(ab - 2 * cd, {ab: sp.Integer(10), cd: sp.Integer(6)}) == "10 - 2·6"

    def at(expr: sp.Expr, value: int) -> str:
        return pretty(unevaluated(expr, {x: sp.Integer(value)}), degrees=False)

    assert at(-x * sp.exp(x), -2) == "-(-2)·exp(-2)"
    assert at(-(x**2) + 3 * x - 1, 3) == "-3² - 1 + 3·3"
    assert at(-1 / (x + 2) ** 2, -1) == "-1/(-1 + 2)²"  # a numerator of one stays
    assert at(2 * x, -1) == "2·(-1)"  # a value put in shows as put in
    assert pretty(-x * ab) == "-AB·x" and pretty(-sp.sqrt(3)) == "-√3"
