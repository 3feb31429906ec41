"""Solid geometry, defects a reviewer found in the pictures and texts: caption wording
(number agreement, a role with "of", the whole solid's volume named after its parts')."""

from __future__ import annotations

import re

import numpy as np
import pytest

from mavis_engine.errors import Rejected
from mavis_engine.solid.build import build, sample_params
from mavis_engine.solid.text import caption

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
