"""Every solid question states what its answer relies on and the drawing cannot show: a
regular base, square faces, a right axis, how a composite's parts meet."""

from __future__ import annotations

import pytest

from mavis_engine.cli import main

#: Words that state each kind's assumption, per language (any one suffices per version).
NEEDED = {
    "en": {
        "prism": ("regular", "equilateral triangles", "squares", "regular hexagons"),
        "pyramid": ("regular", "directly above"),
        "cube": ("cube", "squares"),
        "cone": ("right circular", "perpendicular"),
        "cylinder": ("right circular", "perpendicular"),
        "cuboid_with_roof": ("perpendicular to EF",),
    },
    "zh": {
        "prism": ("正", "直棱柱"),
        "pyramid": ("正", "正上方"),
        "cube": ("正方体", "正方形"),
        "cuboid_with_roof": ("IM⊥EF",),
    },
}


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    import glob

    import pandas as pd

    out = tmp_path_factory.mktemp("solid_assumptions")
    args = ["generate", "solid-geometry", "--n", "60", "--seed", "21", "--kind", "instruct"]
    assert main([*args, "--language", "en,zh", "--out", str(out), "--workers", "1"]) == 0
    return pd.concat(pd.read_parquet(f) for f in glob.glob(f"{out}/instruct/*.parquet"))


def test_every_version_states_the_assumptions(rows) -> None:
    """Seed 21 i13: "a right triangular prism" with AB and BE given, answer 210 + (49√3)/2,
    which holds only for an equilateral base; no version may leave the base unstated."""
    import json

    checked = 0
    for _, row in rows.iterrows():
        kind = json.loads(row["params"])["kind"]
        words = NEEDED[row["language"]].get(kind)
        if not words or row["version"] == "vision_only":
            continue
        assert any(w in row["question"] for w in words), (row["id"], row["question"])
        checked += 1
    assert checked > 50
