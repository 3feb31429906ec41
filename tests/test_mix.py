"""`all`: the domains mixed in configurable shares, each row its own domain's sample."""

from __future__ import annotations

from collections import Counter

import pytest
from pydantic import ValidationError

from mavis_engine import registry
from mavis_engine.cli import main


def test_mix_follows_its_shares_and_rows_are_the_domains_own():
    mixed = registry.get("all")()
    picks = Counter(mixed.pick(0, i, problems=False).name for i in range(600))
    shares = {name: picks[name] / 600 for name in picks}
    assert abs(shares["plane-geometry"] - 0.44) < 0.06
    assert abs(shares["function"] - 0.31) < 0.06
    assert abs(shares["analytic-geometry"] - 0.12) < 0.05
    assert abs(shares["solid-geometry"] - 0.13) < 0.05
    for index in range(6):
        sample = mixed.sample(3, index)
        own = registry.get(sample.generator)().sample(3, index)
        assert sample.caption_row() == own.caption_row()


def test_problems_come_only_from_domains_that_make_them():
    mixed = registry.get("all")(mix={"plane-geometry": 1, "function": 1})
    assert {mixed.pick(0, i, problems=True).name for i in range(200)} == {
        "plane-geometry",
        "function",
    }
    everything = registry.get("all")()  # every domain makes problems now
    assert len({everything.pick(0, i, problems=True).name for i in range(200)}) == 4


def test_bad_mix_is_refused(tmp_path, capsys):
    with pytest.raises(ValidationError):
        registry.get("all")(mix={"circles": 1.0})
    cfg = tmp_path / "mix.json"
    cfg.write_text('{"mix": {"plane-geometry": -1}}')
    assert (
        main(["generate", "all", "--n", "3", "--out", str(tmp_path / "o"), "--config", str(cfg)])
        == 2
    )
    assert "invalid mix" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
