"""The benchmark scripts still run against the engine as it is (a renamed function once
broke bench_function.py unnoticed): each domain's pyplot baseline on two samples, and the
text benchmark's sentence templates."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).parents[1] / "benchmarks"


@pytest.fixture(autouse=True)
def _benchmarks_importable(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))


@pytest.mark.parametrize("name", ["bench_plane", "bench_function", "bench_analytic", "bench_solid"])
def test_each_pyplot_baseline_draws(name):
    module = importlib.import_module(name)
    assert module.pyplot_rate(2) > 0
    sys.modules.pop(name, None)


def test_sentence_templates_mask_names_and_numbers():
    from bench_text import templates

    names = {"A", "B", "C", "D", "ABCD"}
    one = templates("ABCD is a square. AB is 6 units long. A circle has area 4π.", names)
    two = templates("ABCD is a square. CD is 9.5 units long.", names)
    assert "@ is # units long." in one & two
    assert "A circle has area #" in next(iter(one - two))
