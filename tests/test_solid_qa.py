"""Solid geometry, defects a reviewer found in the pictures and texts: caption wording
(number agreement, a role with "of", the whole solid's volume named after its parts'),
a vertex drawn on an edge it is not on, labels that read as another line's or point's."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest
import shapely

from mavis_engine.errors import Rejected
from mavis_engine.render.style import font, sample_style
from mavis_engine.solid import SolidGeometry
from mavis_engine.solid.build import build, sample_params
from mavis_engine.solid.check import drawn_lines
from mavis_engine.solid.draw import render
from mavis_engine.solid.text import caption

ELEVATED = {"kind": "elevated", "azimuth": 0, "elevation": 20}
COMPOSITE = ("cone_on_cylinder", "hemisphere_on_cylinder", "cuboid_with_roof", "cuboid_with_hole")


def _figures(kinds: tuple[str, ...], n: int):
    rng = np.random.default_rng(7)
    out = []
    while len(out) < n:
        try:
            out.append(build(sample_params(rng, kinds, (2, 9), (2, 7), (3, 10), ("cabinet",))))
        except Rejected:
            continue
    return out


@pytest.mark.parametrize("language", ["en", "zh"])
def test_caption_wording(language: str) -> None:
    figs = _figures(("hemisphere", "cone", "cylinder", "pyramid", *COMPOSITE), 40)
    for i, fig in enumerate(figs):
        for k in range(6):  # the caption picks among phrasings: try several
            text = caption(fig, np.random.default_rng(100 * i + k), language)
            if language == "zh":
                if fig.solid.kind in COMPOSITE:
                    assert not re.search(r"[它其]的?体积", text), text
                continue
            assert not re.search(r"as are [A-Z]{2}\.", text), text
            assert not re.search(r"segments [A-Z]{2} are", text), text
            assert not re.search(r"Its [a-z ]+ of the", text), text
            if fig.solid.kind in COMPOSITE:
                assert not re.search(r"(It has volume|Its volume)", text), text


@pytest.mark.parametrize(
    "params",
    [  # a hexagonal pyramid's hidden D on PB (11/33); a cuboid's D on BF (3/148)
        {
            "kind": "pyramid",
            "sides": 6,
            "dims": [6, 3],
            "projection": {"kind": "cabinet", "side": -1},
        },
        {"kind": "cuboid", "dims": [2, 6, 6], "projection": {"kind": "cabinet", "side": 1}},
    ],
)
def test_no_vertex_drawn_on_an_edge(params: dict) -> None:
    with pytest.raises(Rejected, match="point_on_line"):
        build(params)


def _box_distance(box: list[float], a: np.ndarray, b: np.ndarray) -> float:
    return shapely.box(*box).distance(shapely.LineString([a, b]))


def _across(box: list[float], px: dict, ab: tuple[str, str], pq: tuple[str, str]) -> bool:
    """Whether line pq leaves a point on segment ab (MO from M on AB) on the side away
    from the label: its nearest point to the label is then on ab itself."""
    a, b = (px[n] for n in ab)
    normal = np.array([a[1] - b[1], b[0] - a[0]])
    centre = np.array([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2])
    for m, far in (pq, pq[::-1]):
        on = shapely.LineString([a, b]).distance(shapely.Point(px[m])) <= 1
        if on and m not in ab:
            return np.sign((px[far] - a) @ normal) != np.sign((centre - a) @ normal)
    return False


def test_labels_read_as_what_they_name() -> None:
    """A length sits nearer its segment than any other line, a full text height from
    every other label; a vertex letter nearer its vertex than any other vertex."""
    g = SolidGeometry()
    for i in range(60):
        s = g.sample(seed=5, index=i)
        fig, fs = s.figure, s.figure["style"]["font_size"]
        px = {k: np.array(v) for k, v in fig["pixels"].items()}
        lines = drawn_lines(fig)
        labels = fig["labels"]
        for lb in labels:
            box = shapely.box(*lb["bbox"])
            if lb["kind"] == "point":
                (name,) = lb["of"]
                own = box.distance(shapely.Point(px[name]))
                assert all(own < box.distance(shapely.Point(q)) for n, q in px.items() if n != name)
                continue
            a, b = lb["of"]
            own = _box_distance(lb["bbox"], px[a], px[b])
            for p, q in lines:
                if {p, q} != {a, b} and not _across(lb["bbox"], px, (a, b), (p, q)):
                    assert own < _box_distance(lb["bbox"], px[p], px[q]), (s.id, lb, p, q)
            for other in labels:
                if other is not lb:
                    assert box.distance(shapely.box(*other["bbox"])) >= fs - 1e-6, (s.id, lb)


def test_a_letter_or_length_with_no_place_of_its_own_rejects_the_attempt() -> None:
    """11/20's first attempt as the review saw it (roofs are now lower and seen from
    higher up, so its parameters are given here): the roof's hidden H could only be
    lettered by the front roof face's lines, and the roof height by the edge EI."""
    from mavis_engine.rng import stream

    g = SolidGeometry()
    c = g.config
    params = {
        "kind": "cuboid_with_roof",
        "dims": [4, 4, 10, 7],
        "projection": {"kind": "elevated", "azimuth": 33, "elevation": 17},
    }
    style = sample_style(stream(11, g.name, 20, "style", 0), c.image_size, c.grayscale_prob)
    with pytest.raises(Rejected, match="label_detached"):
        render(build(params), style, c.image_size)


def test_a_roof_is_low_enough_and_seen_from_high_enough_for_its_back_corners() -> None:
    """A roof higher than about the depth times the sine of the elevation hid the back
    corners H and G behind the front gable (their letters had no place of their own):
    roofed cuboids took 3.5 attempts a sample. Now a roof is at most half the depth high
    and seen from 30 to 40 degrees up."""
    rng = np.random.default_rng(9)
    for _ in range(200):
        p = sample_params(rng, ("cuboid_with_roof",), (2, 9), (2, 7), (3, 10), ("cabinet",))
        depth, high = p["dims"][1], p["dims"][3]
        assert high <= max(2, depth // 2) and 30 <= p["projection"]["elevation"] <= 40, p
    g = SolidGeometry(SolidGeometry.Config(solids=("cuboid_with_roof",)))
    attempts = [g.sample(4, i).params["attempt"] + 1 for i in range(40)]
    assert sum(attempts) / len(attempts) < 3.0, attempts


def test_vertex_letters_are_never_monospace() -> None:
    """In DejaVu Sans Mono the letter O reads as the digit 0: letters are set in Sans."""
    style = replace(sample_style(np.random.default_rng(0), 512, 0.0), font="DejaVuSansMono.ttf")
    fig = build({"kind": "cone", "dims": [3, 10], "projection": ELEVATED, "rim_offset": 40})
    render(fig, style)
    (o,) = [lb["bbox"] for lb in fig.labels if lb["text"] == "O"]
    sans = font("DejaVuSans.ttf", style.font_size).getbbox("O", anchor="mm")
    assert o[2] - o[0] == sans[2] - sans[0]
    mono = font("DejaVuSansMono.ttf", style.font_size).getbbox("O", anchor="mm")
    assert sans[2] - sans[0] != mono[2] - mono[0]  # else the test tells nothing


def test_lengths_keep_clear_of_every_stroke_and_nearest_their_own() -> None:
    """Seed 21: a composite cylinder's height on a rim (i10 "3", i31 "7", i38 "6"), a
    slant height struck through by a lateral edge (i26), a space diagonal's label about
    as near AE as AG (i16). A length keeps ``INK_GAP`` of its font size from every stroke
    but its own segment, curved or straight, and every other straight line is at least
    ``NEARER`` times as far as its own."""
    from mavis_engine.solid.places import INK_GAP, NEARER
    from mavis_engine.solid.view import strokes

    g = SolidGeometry()
    checked = 0
    for i in range(60):
        s = g.sample(seed=21, index=i)
        fig, fs = s.figure, s.figure["style"]["font_size"]
        built = build(s.params)
        (sx, _, tx), (_, sy, ty) = fig["transform"]
        px = {k: np.array(v) for k, v in fig["pixels"].items()}
        drawn = []
        for stroke in strokes(built.solid, built.view):
            xy = stroke.points @ built.matrix.T
            drawn.append((stroke.ends, np.column_stack([tx + sx * xy[:, 0], ty + sy * xy[:, 1]])))
        for lb in fig["labels"]:
            if lb["kind"] != "length":
                continue
            box, (a, b) = shapely.box(*lb["bbox"]), lb["of"]
            own = box.distance(shapely.LineString([px[a], px[b]]))
            for ends, line in drawn:
                if ends is not None and set(ends) == {a, b}:
                    continue
                curve = shapely.LineString(line)
                gap = box.distance(curve)
                # A curve through an end (a hole's rim through K) keeps the layout's gap.
                through = (
                    len(line) > 2 and min(curve.distance(shapely.Point(px[n])) for n in (a, b)) <= 1
                )
                assert gap >= (0.5 if through else INK_GAP * fs), (s.id, lb["text"], ends, gap)
                if len(line) == 2 and not (ends and _across(lb["bbox"], px, (a, b), ends)):
                    assert gap >= NEARER * own - 1e-6, (s.id, lb["text"], ends)
            checked += 1
    assert checked > 60


def test_every_solid_keeps_its_share_however_often_its_drawings_are_rejected() -> None:
    """The kind is drawn per sample, not per attempt: a holed cuboid (its small radius's
    label is often rejected) fell to 7 of 400 samples when each attempt drew a kind anew."""
    from collections import Counter

    g = SolidGeometry()
    counts = Counter(g.params(3, i)["kind"] for i in range(260))
    assert set(counts) == set(g.config.solids)
    assert min(counts.values()) >= 8  # 20 expected each
    redrawn = [g.params(3, i, attempt)["kind"] for i in range(20) for attempt in (0, 5)]
    assert redrawn[::2] == redrawn[1::2]  # a later attempt keeps the sample's kind


def test_a_holed_block_is_sized_for_its_labels_and_seldom_redrawn() -> None:
    """A hole of radius 1 in a 9-wide block left its radius and centre no room for their
    labels: the holed cuboid took about 3.5 attempts a sample. Now no side is over four
    times the radius, the walls stay at least half a unit thick, and 40 samples take under
    two attempts each on average."""
    rng = np.random.default_rng(5)
    for _ in range(300):
        a, b, c, r = sample_params(
            rng, ("cuboid_with_hole",), (2, 9), (2, 7), (3, 10), ("cabinet",)
        )["dims"]
        assert max(a, b, c) <= 4 * r and min(a, b) >= 2 * r + 1, (a, b, c, r)
    g = SolidGeometry(SolidGeometry.Config(solids=("cuboid_with_hole",)))
    attempts = [g.sample(4, i).params["attempt"] + 1 for i in range(40)]
    assert sum(attempts) / len(attempts) < 2.0, attempts


def test_pyramids_are_drawn_only_where_their_labels_find_room() -> None:
    """A hexagonal pyramid's labels found room in 1 of 300 drawings and a pyramid over 2.5
    base edges tall in none: every such attempt was redrawn, so pyramids took about four
    attempts a sample. Neither is asked for now (hexagonal prisms still are)."""
    rng = np.random.default_rng(8)
    for _ in range(300):
        p = sample_params(rng, ("pyramid",), (2, 9), (2, 7), (3, 10), ("cabinet",))
        side, height = p["dims"]
        assert p["sides"] in (3, 4) and height <= max(3, 2.5 * side), p
    prisms = [
        sample_params(rng, ("prism",), (2, 9), (2, 7), (3, 10), ("cabinet",)) for _ in range(60)
    ]
    assert {p["sides"] for p in prisms} == {3, 4, 6}
    g = SolidGeometry(SolidGeometry.Config(solids=("pyramid",)))
    attempts = [g.sample(4, i).params["attempt"] + 1 for i in range(40)]
    assert sum(attempts) / len(attempts) < 3.0, attempts


def test_a_multiple_of_pi_with_a_root_reads_one_way() -> None:
    """ "(104√13)/3π" can be read as divided by 3π, "√13π" as the root of 13π: π goes
    before the root."""
    import sympy as sp

    from mavis_engine.solid.text import show

    assert show(104 * sp.sqrt(13) * sp.pi / 3) == "(104π√13)/3"
    assert show(5 * sp.sqrt(41) * sp.pi) == "5π√41"
    assert show(sp.expand((25 + 5 * sp.sqrt(41)) * sp.pi)) == "(25 + 5√41)π"
    assert show(128 * sp.pi / 3) == "128π/3"
