"""A third-party generator: plane figures made of quadrilaterals only.

Install with ``pip install -e examples/plugin``; then ``mavis-engine list`` shows
``quadrilaterals`` and ``mavis-engine generate quadrilaterals --n 100 --out q/`` works.
"""

from __future__ import annotations

from pydantic import Field

from mavis_engine import PlaneGeometry, PlaneGeometryConfig


class QuadrilateralsConfig(PlaneGeometryConfig):
    """Plane-geometry settings with a quadrilateral-only vocabulary by default."""

    shapes: tuple[str, ...] = Field(
        ("square", "rectangle", "parallelogram", "rhombus", "trapezoid")
    )


class Quadrilaterals(PlaneGeometry):
    """Chains of quadrilaterals attached edge to edge."""

    name = "quadrilaterals"
    Config = QuadrilateralsConfig
