"""Plane geometry: shapes attached edge to edge."""

from mavis_engine.plane.generator import PlaneGeometry, PlaneGeometryConfig

__all__ = ["PlaneGeometry", "PlaneGeometryConfig"]
