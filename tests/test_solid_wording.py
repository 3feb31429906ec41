"""Solid questions name what they talk about: the vision-intensive version does not name
the solid's kind, and it opened with "Its bases are circles ..." / "它由..." (seed 31 i14,
seed 32 i10), a pronoun with nothing before it to refer to."""

from __future__ import annotations

import re

import numpy as np
import pytest

from mavis_engine.errors import Rejected
from mavis_engine.solid import phrases
from mavis_engine.solid.build import build, sample_params
from mavis_engine.solid.solids import KINDS
from mavis_engine.solid.text import context
from mavis_engine.text.env import render_text

VERSIONS = ("text_dominant", "text_lite", "vision_intensive", "vision_dominant", "vision_only")
#: A referring pronoun at the start; "It is known that" refers to nothing and is kept.
PRONOUN = {"en": re.compile(r"^(Its\b|It\b(?! is known that))"), "zh": re.compile(r"^[它其]")}


def _figure(kind: str, rng: np.random.Generator):
    while True:
        try:
            return build(sample_params(rng, (kind,), (2, 9), (2, 7), (3, 10), ("cabinet",)))
        except Rejected:
            continue


@pytest.mark.parametrize("language", ["en", "zh"])
def test_no_question_opens_with_a_pronoun(language: str) -> None:
    rng = np.random.default_rng(3)
    for kind in KINDS:
        ctx = context(_figure(kind, rng))
        if language == "zh":
            ctx = phrases.context(ctx)
        for version in VERSIONS:
            for k in range(4):  # the openers are picked: try several
                text = render_text(
                    language,
                    "solid/problem.j2",
                    np.random.default_rng(k),
                    version=version,
                    givens=ctx["given"],
                    asked="volume" if language == "en" else "体积",
                    choices=None,
                    base_sides=ctx["base_sides"],
                    polygon=ctx.get("polygon"),
                    **{key: ctx[key] for key in ("kind", "what", "noun", "name")},
                )
                assert not PRONOUN[language].match(text.strip()), (kind, version, text)


def test_a_length_on_a_segment_through_a_named_point_is_centred_on_the_whole() -> None:
    """Seed 31 i15, seed 32 i1: a pyramid's AB label sat between A and M (or M and B),
    reading as AM = 3. With a named point on the segment the label is centred on it."""
    from mavis_engine.solid import SolidGeometry

    g = SolidGeometry()
    checked = 0
    for i in range(200):
        if g.params(31, i)["kind"] != "pyramid":
            continue
        fig = g.sample(seed=31, index=i).figure
        px = {k: np.array(v) for k, v in fig["pixels"].items()}
        for lb in fig["labels"]:
            if lb.get("kind") != "length":
                continue
            a, b = lb["of"]
            d = px[b] - px[a]
            t = {n: (q - px[a]) @ d / (d @ d) for n, q in px.items() if n not in (a, b)}
            on = [
                n for n, s in t.items() if 0 < s < 1 and np.linalg.norm(px[a] + s * d - px[n]) < 1
            ]
            if on:
                x0, y0, x1, y1 = lb["bbox"]
                mid = (np.array([(x0 + x1) / 2, (y0 + y1) / 2]) - px[a]) @ d / (d @ d)
                assert abs(mid - 0.5) < 0.03, (i, lb, on)
                checked += 1
    assert checked >= 8


def test_no_length_sits_inside_a_closed_curve_it_is_no_part_of() -> None:
    """Seed 32 i4: a holed cuboid's height AE = 4 was set inside the hole's dashed bottom
    circle, reading as the hole's. A length may sit inside a closed curve only when its
    segment ends on it (a radius) or has its middle inside it (a sphere's radius)."""
    import shapely

    from mavis_engine.solid import SolidGeometry
    from mavis_engine.solid.build import build
    from mavis_engine.solid.view import strokes

    g = SolidGeometry()
    checked = 0
    for i in range(150):
        if g.params(32, i)["kind"] not in ("cuboid_with_hole", "cone", "cylinder", "frustum"):
            continue
        s = g.sample(seed=32, index=i)
        fig, built = s.figure, build(s.params)
        (sx, _, tx), (_, sy, ty) = fig["transform"]
        curves = []
        for stroke in strokes(built.solid, built.view):
            xy = stroke.points @ built.matrix.T
            if len(xy) > 2:
                curves.append(np.column_stack([tx + sx * xy[:, 0], ty + sy * xy[:, 1]]))
        regions = shapely.get_parts(shapely.polygonize([shapely.linestrings(c) for c in curves]))
        px = {k: np.array(v) for k, v in fig["pixels"].items()}
        for lb in fig["labels"]:
            if lb.get("kind") != "length":
                continue
            p, q = px[lb["of"][0]], px[lb["of"][1]]
            for region in regions:
                rim = shapely.boundary(region)
                if min(rim.distance(shapely.Point(x)) for x in (p, q)) <= 1:
                    continue
                if region.contains(shapely.Point((p + q) / 2)):
                    continue
                assert not region.intersects(shapely.box(*lb["bbox"])), (i, lb)
            checked += 1
    assert checked > 40


def test_options_share_the_key_s_form(tmp_path) -> None:
    """Seed 32 i7: a frustum's height with options 64, 4, 9.01, 8: the one decimal
    ("misread AB", √(AB'² - 9)) gave itself away. Options are all exact or all decimal."""
    import glob

    import pandas as pd

    from mavis_engine.cli import main

    args = ["generate", "solid-geometry", "--n", "40", "--seed", "32", "--kind", "instruct"]
    assert main([*args, "--out", str(tmp_path), "--workers", "1"]) == 0
    rows = pd.concat(pd.read_parquet(f) for f in glob.glob(f"{tmp_path}/instruct/*.parquet"))
    two = re.compile(r"^-?\d+\.\d\d$")  # an answer's two decimals (67.5 is exact)
    checked = 0
    for choices in rows["choices"]:
        if len(choices):
            decimal = {bool(two.match(c)) for c in choices}
            assert len(decimal) == 1 or not any(re.search(r"[√π/]|^\d+$", c) for c in choices), (
                list(choices)
            )
            checked += 1
    assert checked > 30
