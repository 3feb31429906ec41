"""mavis-engine: synthetic visual-math diagrams with exact captions and problems."""

from mavis_engine import registry
from mavis_engine._version import __version__
from mavis_engine.analytic import AnalyticGeometry, AnalyticGeometryConfig
from mavis_engine.export.schema import arrow_schema
from mavis_engine.functions import FunctionPlot, FunctionPlotConfig
from mavis_engine.generator import Generator, Sample
from mavis_engine.mix import AllDomains
from mavis_engine.pipeline import generate
from mavis_engine.plane import PlaneGeometry, PlaneGeometryConfig
from mavis_engine.solid import SolidGeometry, SolidGeometryConfig

for _builtin in (PlaneGeometry, FunctionPlot, AnalyticGeometry, SolidGeometry, AllDomains):
    registry.register(_builtin)

__all__ = [
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
