"""A sample paints its image and words its caption only when they are read, and what it
makes then is what it would have made at once."""

from __future__ import annotations

import pytest

from mavis_engine import registry
from mavis_engine.generator import LATER, Sample


@pytest.mark.parametrize("name", ["plane-geometry", "function", "analytic-geometry"])
def test_caption_is_made_on_first_read_and_is_the_same_after_problems(name):
    gen = registry.get(name)()
    for index in range(3):
        deferred = gen.sample(5, index, problems=True)
        rows = deferred.rows("instruct")
        assert rows and deferred.later is not None  # problem rows needed no caption
        at_once = gen.sample(5, index, problems=True)
        first = at_once.caption_row()  # caption read before the problem rows
        assert repr(at_once.rows("instruct")) == repr(rows)  # repr: NaN answer values agree
        assert deferred.caption_row() == first
        assert deferred.later is None and deferred.image.startswith(b"\x89PNG")


def test_later_makes_only_the_parts_left_later():
    calls = []

    def parts():
        calls.append(1)
        return b"png", "caption", "made later"

    s = Sample("g", "d", 0, 0, LATER, LATER, "given", {}, [], {}, later=parts)
    assert s.figure == {} and not calls
    assert (s.caption, s.image, s.construction) == ("caption", b"png", "given")
    assert calls == [1]
