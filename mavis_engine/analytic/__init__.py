"""Analytic geometry: figures on a coordinate grid."""

from mavis_engine.analytic.generator import AnalyticGeometry, AnalyticGeometryConfig

__all__ = ["AnalyticGeometry", "AnalyticGeometryConfig"]
