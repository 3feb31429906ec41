"""Plane-geometry text: the Figure turned into template context, then into words."""

from __future__ import annotations

from typing import Any

import numpy as np

from mavis_engine import exact
from mavis_engine.figure import Fact, Figure, Shape
from mavis_engine.text.env import render_text


def _given(fact: Fact) -> dict[str, str]:
    return {"kind": fact.kind, "name": "".join(fact.of), "value": exact.display(fact.exact)}


def _shape_context(shape: Shape, incircled: set[str]) -> dict[str, Any]:
    d = shape.details
    ctx: dict[str, Any] = {
        "name": shape.name,
        "kind": shape.kind,
        "edge": "".join(shape.attached_to) if shape.attached_to else None,
        "givens": [_given(g) for g in shape.givens],
        "incircle": shape.name in incircled,
        "sides": d.get("sides"),
        "center": d.get("center"),
        "inward": d.get("inward", False),
        "removed": "".join(d["removed"]) if "removed" in d else None,
    }
    if shape.kind == "rect_triangle":
        ctx["apex"] = shape.vertices[3]
    if shape.kind == "right_triangle":
        ctx["right_at"] = shape.right_angles[0][1]
    if shape.kind == "isosceles_triangle":
        apex = d["apex"]
        others = [v for v in shape.vertices if v != apex]
        ctx["legs"] = [apex + others[0], apex + others[1]]
    return ctx


def context(figure: Figure) -> list[dict[str, Any]]:
    """Template context: one entry per solid shape, in construction order."""
    incircled = {s.details["in"] for s in figure.shapes if s.kind == "inscribed_circle"}
    return [_shape_context(s, incircled) for s in figure.shapes if s.kind != "inscribed_circle"]


def caption(figure: Figure, rng: np.random.Generator, language: str = "en") -> str:
    """Descriptive MAVIS-style caption: every shape, how it attaches, the given measures."""
    return render_text(language, "plane/caption.j2", rng, shapes=context(figure))


def construction(figure: Figure, rng: np.random.Generator, language: str = "en") -> str:
    """Step-by-step construction text of the figure."""
    return render_text(language, "plane/construction.j2", rng, shapes=context(figure))
