"""Solid-geometry text: the figure turned into template context, then into words.
Every number stated is a fact's exact value, shown term by term (``16 + 8√13``,
``(9 + 3√34)π``); a value with no such form is left unstated."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import sympy as sp

from mavis_engine import exact
from mavis_engine.solid import phrases
from mavis_engine.solid.build import SolidFigure
from mavis_engine.text.env import render_text

BASES = {3: "triangular", 4: "square", 6: "hexagonal"}
GIVEN_ROLES = {
    "cube": {("A", "B"): "edge"},
    "cuboid": {("A", "B"): "length", ("B", "C"): "width", ("A", "E"): "height"},
    "pyramid": {("A", "B"): "base edge", ("P", "O"): "height"},
    "cylinder": {("O", "A"): "radius", ("O", "P"): "height"},
    "cone": {("O", "A"): "radius", ("P", "O"): "height"},
    "sphere": {("O", "A"): "radius"},
    "hemisphere": {("O", "A"): "radius"},
    "frustum": {
        ("O", "A"): "radius of the bottom base",
        ("P", "B"): "radius of the top base",
        ("O", "P"): "height",
    },
    "cone_on_cylinder": {
        ("O", "A"): "radius",
        ("O", "P"): "height of the cylinder",
        ("P", "V"): "height of the cone",
    },
    "hemisphere_on_cylinder": {("O", "A"): "radius", ("O", "P"): "height of the cylinder"},
    "cuboid_with_roof": {
        ("A", "B"): "length",
        ("B", "C"): "width",
        ("A", "E"): "height of the cuboid",
        ("I", "M"): "height of the roof",
    },
    "cuboid_with_hole": {
        ("A", "B"): "length",
        ("B", "C"): "width",
        ("A", "E"): "height",
        ("P", "K"): "radius of the hole",
    },
}
#: What the text calls a solid that is not named by its kind.
NOUNS = {
    # "Right circular": the answers take the axis perpendicular to the round bases.
    "cylinder": "right circular cylinder",
    "cone": "right circular cone",
    "frustum": "frustum of a right circular cone",
    "cone_on_cylinder": "composite solid",
    "hemisphere_on_cylinder": "composite solid",
    "cuboid_with_roof": "composite solid",
    "cuboid_with_hole": "solid",
}
#: The short word for the solid ("the volume of the cone"): a composite is "the solid".
WORDS = {kind: "solid" for kind in NOUNS if "_" in kind} | {"frustum": "frustum"}
PART_NOUNS = {"cuboid": "cuboid", "prism": "triangular prism", "hemisphere": "hemisphere"}


@lru_cache(maxsize=4096)  # a sample states each value several times; values repeat
def show(value: sp.Expr) -> str | None:
    """A value as text states it, or None when it has no short exact form."""
    text = exact.nice(value)
    if text is not None:
        return text
    if value.is_Add:
        terms = [exact.nice(t) for t in value.args]
        if all(terms):
            return " + ".join(terms).replace("+ -", "- ")
    if value.has(sp.pi):
        inner = show(sp.expand(value / sp.pi))
        if inner is not None and not inner.endswith("π"):
            if " " in inner:
                return f"({inner})π"
            # π before a root: "(104π√13)/3", never "(104√13)/3π" (over 3π?) or "√13π".
            return inner.replace("√", "π√", 1) if "√" in inner else f"{inner}π"
    return None


def _noun(fig: SolidFigure) -> str:
    solid = fig.solid
    if solid.kind == "prism":
        # Regular (a right prism on a regular polygon): the base area the answers use.
        return f"regular {BASES[solid.params['sides']]} prism"
    if solid.kind == "pyramid":
        return f"regular {BASES[solid.params['sides']]} pyramid"
    return NOUNS.get(solid.kind, solid.kind)


def context(fig: SolidFigure) -> dict[str, Any]:
    """What the templates read: the solid, its labelled dimensions, the other lengths
    it has with what they are, its measures, and which lines are drawn dashed."""
    solid = fig.solid
    roles = GIVEN_ROLES.get(solid.kind, {})
    if solid.kind == "prism":
        roles = {solid.givens[0].of: "base edge", solid.givens[1].of: "height"}
    given = [
        {"role": roles[g.of], "name": "".join(g.of), "value": show(g.exact)} for g in solid.givens
    ]
    lengths = [
        {"role": solid.roles[f.of], "name": "".join(f.of), "value": show(f.exact)}
        for f in solid.facts
        if f.of in solid.roles and show(f.exact)
    ]
    measures = {
        f.kind: show(f.exact)
        for f in solid.facts
        if f.kind in ("volume", "surface_area", "lateral_area")
        and f.of == (solid.name,)
        and show(f.exact)
    }
    parts = [
        {
            "noun": "hole"
            if solid.cut and part is solid.parts[-1]
            else PART_NOUNS.get(part.kind, part.kind),
            "name": part.name,
            "volume": next(
                (show(f.exact) for f in solid.facts if f.kind == "volume" and f.of == (part.name,)),
                None,
            ),
        }
        for part in solid.parts
    ]
    points = set(solid.points3d)
    return {
        "kind": solid.kind,
        "what": WORDS.get(solid.kind, solid.kind),
        "noun": _noun(fig),
        "parts": parts,
        "name": solid.name,
        "given": given,
        "lengths": lengths,
        "measures": measures,
        "hidden": ["".join(e) for e in fig.hidden if set(e) <= set(solid.vertices)],
        "dashed": [
            s.a + s.b for s in solid.segments if (min(s.a, s.b), max(s.a, s.b)) in fig.hidden
        ],
        "has_m": "M" in points,
        "base_sides": solid.params.get("sides"),
    }


def worded(fig: SolidFigure, language: str = "en") -> dict[str, Any]:
    """``context`` with its words in ``language`` (Chinese: ``phrases``)."""
    return context(fig) if language == "en" else phrases.context(context(fig))


def caption(fig: SolidFigure, rng: np.random.Generator, language: str = "en") -> str:
    """MAVIS-style caption: the solid, its dimensions, its other lengths and measures."""
    return render_text(language, "solid/caption.j2", rng, **worded(fig, language))


def construction(fig: SolidFigure, rng: np.random.Generator, language: str = "en") -> str:
    """How the drawing is made, step by step."""
    return render_text(language, "solid/construction.j2", rng, **worded(fig, language))
