"""Function plots: parameterised families on axes, analysed exactly."""

from mavis_engine.functions.generator import FunctionPlot, FunctionPlotConfig

__all__ = ["FunctionPlot", "FunctionPlotConfig"]
