"""Solid geometry: polyhedra and round solids with exact facts, hidden lines dashed."""

from mavis_engine.solid.generator import SolidGeometry, SolidGeometryConfig

__all__ = ["SolidGeometry", "SolidGeometryConfig"]
