"""mavis-engine: synthetic visual-math diagrams with exact captions and problems."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from mavis_engine._version import __version__
from mavis_engine.export.schema import arrow_schema
from mavis_engine.generator import Generator, Sample
from mavis_engine.pipeline import generate

if TYPE_CHECKING:
    from mavis_engine.analytic import AnalyticGeometry, AnalyticGeometryConfig
    from mavis_engine.functions import FunctionPlot, FunctionPlotConfig
    from mavis_engine.mix import AllDomains
    from mavis_engine.plane import PlaneGeometry, PlaneGeometryConfig
    from mavis_engine.solid import SolidGeometry, SolidGeometryConfig

# The domains are imported on first use (PEP 562): a run of one domain does not pay for
# importing the others.
_LAZY = {
    "AnalyticGeometry": "mavis_engine.analytic",
    "AnalyticGeometryConfig": "mavis_engine.analytic",
    "FunctionPlot": "mavis_engine.functions",
    "FunctionPlotConfig": "mavis_engine.functions",
    "PlaneGeometry": "mavis_engine.plane",
    "PlaneGeometryConfig": "mavis_engine.plane",
    "SolidGeometry": "mavis_engine.solid",
    "SolidGeometryConfig": "mavis_engine.solid",
    "AllDomains": "mavis_engine.mix",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'mavis_engine' has no attribute {name!r}")


__all__ = [
    "AllDomains",
    "AnalyticGeometry",
    "AnalyticGeometryConfig",
    "FunctionPlot",
    "FunctionPlotConfig",
    "Generator",
    "PlaneGeometry",
    "PlaneGeometryConfig",
    "Sample",
    "SolidGeometry",
    "SolidGeometryConfig",
    "__version__",
    "arrow_schema",
    "generate",
]
