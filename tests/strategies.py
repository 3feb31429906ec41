"""Hypothesis strategies over each domain's parameters.

Every domain draws its parameters from a ``numpy.random.Generator`` (``sample_params``,
``sample_function``, ``sample_figures``). ``DrawnRandom`` stands in for that generator and
answers each draw with a Hypothesis choice, so a failing case shrinks like any other:
towards the first kind, the smallest integers, the fewest shapes. The test prints the
shrunk parameters' JSON, which replays the sample.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from mavis_engine.analytic.generator import AnalyticGeometryConfig, sample_figures
from mavis_engine.functions.generator import FunctionPlotConfig, sample_function
from mavis_engine.plane.build import PlaneParams, sample_params
from mavis_engine.plane.generator import PlaneGeometryConfig


class DrawnRandom:
    """The part of numpy's Generator the samplers use, each draw made by Hypothesis."""

    def __init__(self, draw: st.DrawFn) -> None:
        self._draw = draw

    def integers(self, low: int, high: int | None = None, size: int | None = None) -> Any:
        low, high = (0, low) if high is None else (low, high)
        if size is not None:
            return np.array([self.integers(low, high) for _ in range(size)])
        return self._draw(st.integers(int(low), int(high) - 1))

    def random(self) -> float:
        return self._draw(st.floats(0, 1, exclude_max=True))

    def uniform(self, low: float, high: float) -> float:
        return self._draw(st.floats(low, high, exclude_max=True))

    def choice(self, a: Any, size: int | None = None, replace: bool = True) -> Any:
        pool = np.arange(a) if isinstance(a, int) else np.asarray(a)
        if size is None:
            return pool[self.integers(len(pool))]
        if replace:
            return pool[[self.integers(len(pool)) for _ in range(size)]]
        order = self._draw(st.permutations(range(len(pool))))
        return pool[list(order[:size])]


@st.composite
def plane_params(draw: st.DrawFn, config: PlaneGeometryConfig | None = None) -> PlaneParams:
    c = config or PlaneGeometryConfig()
    return sample_params(DrawnRandom(draw), c.depth, c.shapes, c.base_length, c.incircle_prob)


@st.composite
def function_params(draw: st.DrawFn, config: FunctionPlotConfig | None = None) -> tuple:
    """(family, its parameters, x interval)."""
    return sample_function(DrawnRandom(draw), (config or FunctionPlotConfig()).families)


@st.composite
def grid_figures(draw: st.DrawFn, config: AnalyticGeometryConfig | None = None) -> tuple:
    """(half-width of the grid, figures); Rejected parameters are rejected by Hypothesis."""
    from hypothesis import reject

    from mavis_engine.errors import Rejected

    try:
        return sample_figures(DrawnRandom(draw), config or AnalyticGeometryConfig())
    except Rejected:
        reject()
