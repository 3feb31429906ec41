"""Multi-step solid problems: an unknown dimension found first (Pythagoras in a
cross-section or a face, the space diagonal of a cube, or a given volume solved for the
height), then the measure asked for (or the tangent of an angle, from a right triangle).

Each chain gives other lengths than the drawing's usual ones (a cone's slant height and
radius instead of its height), works the problem out step by step in exact values and
lists the typed mistakes a student makes on the way (slant height used as the height,
forgot the 1/3, face diagonal taken for the space diagonal, ...).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy as sp

from mavis_engine.figure import Fact
from mavis_engine.solid.formulas import APOTHEM, BASE_AREA, answer_text
from mavis_engine.solid.solids import Solid

PI = sp.pi
#: A chain's share of the problems of a solid that has chains.
SHARE = 0.5


@dataclass
class Chain:
    """One multi-step problem: the fact asked for, the givens with what they are (a
    length is drawn where a version draws its givens; a volume is no line of the drawing
    and is stated in every version), the working, and the typed mistakes and misreads as
    (name, value)."""

    target: Fact
    givens: list[tuple[Fact, str]]
    asked: str
    lines: list[str]
    mistakes: list[tuple[str, Any]]
    misreads: list[tuple[str, Any]]


def _fact(solid: Solid, kind: str, *of: str) -> Fact:
    return next(f for f in solid.facts if f.kind == kind and f.of == of)


def _length(solid: Solid, a: str, b: str) -> Fact:
    return _fact(solid, "length", a, b)


def _t(value: sp.Expr) -> str:
    return answer_text(value)


def _sq(value: sp.Expr) -> str:
    """A value squared as the working writes it: 5², (√34)², (4√3)²."""
    text = _t(value)
    return f"{text}²" if text.isdigit() else f"({text})²"


def _times(value: sp.Expr) -> str:
    text = _t(value)
    return f"({text})" if any(c in text for c in " /+-") else text


def _over(value: sp.Expr) -> str:
    """A divisor as the working writes it: 5, √13, (2√13)."""
    text = _t(value)
    return text if text.lstrip("√").isdigit() else f"({text})"


def _real(pairs: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Mistakes whose value is a positive real number (a negative under a root is none)."""
    out = []
    for name, value in pairs:
        v = sp.N(value)
        if v.is_real and v > 0:
            out.append((name, value))
    return out


def _read_exact(pairs: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Real mistakes that do not show as two or more decimals: 1.25 beside 5, 10 and 15
    reads as a rounded value, the one wrong option."""
    return [(n, v) for n, v in _real(pairs) if not re.fullmatch(r"\d+\.\d\d+", _t(v))]


def cone_volume_from_slant(solid: Solid) -> Chain:
    """A cone's volume from its radius OA and slant height PA: PO by Pythagoras first."""
    oa, pa = _length(solid, "O", "A"), _length(solid, "P", "A")
    R, L = oa.exact, pa.exact

    def volume(rad: sp.Expr, slant: sp.Expr) -> sp.Expr:
        return PI * rad**2 * sp.sqrt(slant**2 - rad**2) / 3

    h = sp.sqrt(L**2 - R**2)
    value = volume(R, L)
    lines = [
        "PO is perpendicular to the base, so the triangle POA has a right angle at O:",
        f"h = PO = √(PA² − OA²) = √({_sq(L)} − {_sq(R)}) = {_t(h)}.",
        f"V = πr²h/3 = π·{_t(R)}²·{_times(h)}/3 = {_t(value)}.",
    ]
    mistakes = [
        ("slant height used as the height", PI * R**2 * L / 3),
        ("forgot the 1/3", PI * R**2 * h),
        ("added the squares: h = √(l² + r²)", PI * R**2 * sp.sqrt(L**2 + R**2) / 3),
        ("diameter used as the radius", PI * (2 * R) ** 2 * h / 3),
        ("surface area computed instead of the volume", PI * R * (R + L)),
    ]
    misreads = [("misread OA", volume(R + 1, L)), ("misread PA", volume(R, L + 1))]
    return Chain(
        _fact(solid, "volume", solid.name),
        [(oa, "radius"), (pa, "slant height")],
        "volume",
        lines,
        _real(mistakes),
        _real(misreads),
    )


def cube_volume_from_diagonal(solid: Solid) -> Chain:
    """A cube's volume from its space diagonal AG: the edge first."""
    d = _length(solid, "A", "G")
    D = d.exact
    a = sp.simplify(D / sp.sqrt(3))
    lines = [
        "The space diagonal of a cube of edge a is AG = √(a² + a² + a²) = a√3,",
        f"so a = AG/√3 = {_t(D)}/√3 = {_t(a)}.",
        f"V = a³ = {_t(a)}³ = {_t(a**3)}.",
    ]
    mistakes = [
        ("face diagonal formula used: a = AG/√2", (D / sp.sqrt(2)) ** 3),
        ("the diagonal cubed", D**3),
        ("surface area computed instead of the volume", 6 * a**2),
        ("a² instead of a³", a**2),
        ("the edge given instead of the volume", a),
    ]
    return Chain(
        _fact(solid, "volume", solid.name),
        [(d, "space diagonal")],
        "volume",
        lines,
        _real(mistakes),
        [("misread the edge", (a + 1) ** 3)],
    )


def pyramid_volume_from_slant(solid: Solid) -> Chain:
    """A regular pyramid's volume from its base edge AB and slant height PM: the apothem
    OM of the base, then the height PO by Pythagoras in the triangle POM."""
    n = solid.params["sides"]
    ab, pm = _length(solid, "A", "B"), _length(solid, "P", "M")
    A, S = ab.exact, pm.exact

    def volume(edge: sp.Expr, slant: sp.Expr) -> sp.Expr:
        m = APOTHEM[n][0] * edge
        return BASE_AREA[n][0] * edge**2 * sp.sqrt(slant**2 - m**2) / 3

    m = APOTHEM[n][0] * A
    h = sp.sqrt(S**2 - m**2)
    base = BASE_AREA[n][0] * A**2
    value = volume(A, S)
    lines = [
        f"The base is a regular polygon of side a = {_t(A)}: S_base = {BASE_AREA[n][1]} = "
        f"{_t(base)}, and its apothem is OM = {APOTHEM[n][1]} = {_t(m)}.",
        f"PO is perpendicular to the base, so h = PO = √(PM² − OM²) = √({_sq(S)} − {_sq(m)}) "
        f"= {_t(h)}.",
        f"V = S_base·h/3 = {_times(base)}·{_times(h)}/3 = {_t(value)}.",
    ]
    mistakes = [
        ("slant height used as the height", base * S / 3),
        ("forgot the 1/3", base * h),
        ("half the edge taken for the apothem", base * sp.sqrt(S**2 - A**2 / 4) / 3),
        ("added the squares: h = √(PM² + OM²)", base * sp.sqrt(S**2 + m**2) / 3),
        ("surface area computed instead of the volume", base + n * A * S / 2),
    ]
    misreads = [("misread AB", volume(A + 1, S)), ("misread PM", volume(A, S + 1))]
    return Chain(
        _fact(solid, "volume", solid.name),
        [(ab, "base edge"), (pm, "slant height")],
        "volume",
        lines,
        _real(mistakes),
        _real(misreads),
    )


def cone_on_cylinder_volume_from_slant(solid: Solid) -> Chain:
    """A cone on a cylinder: its volume from the radius OA, the cylinder's height OP and
    the cone's slant height VB (the cone's height PV by Pythagoras first)."""
    oa, op, vb = _length(solid, "O", "A"), _length(solid, "O", "P"), _length(solid, "V", "B")
    R, H, L = oa.exact, op.exact, vb.exact

    def volume(rad: sp.Expr, high: sp.Expr, slant: sp.Expr) -> sp.Expr:
        return PI * rad**2 * high + PI * rad**2 * sp.sqrt(slant**2 - rad**2) / 3

    k = sp.sqrt(L**2 - R**2)
    value = volume(R, H, L)
    lines = [
        "PV is perpendicular to the shared face and PB = OA is its radius, so the triangle "
        "VPB has a right angle at P:",
        f"PV = √(VB² − PB²) = √({_sq(L)} − {_sq(R)}) = {_t(k)}.",
        f"The cylinder: V₁ = πr²h = π·{_t(R)}²·{_times(H)} = {_t(PI * R**2 * H)}.",
        f"The cone: V₂ = πr²·PV/3 = π·{_t(R)}²·{_times(k)}/3 = {_t(PI * R**2 * k / 3)}.",
        f"V = V₁ + V₂ = {_t(value)}.",
    ]
    mistakes = [
        ("slant height used as the cone's height", PI * R**2 * H + PI * R**2 * L / 3),
        ("forgot the 1/3 of the cone", PI * R**2 * (H + k)),
        ("the cylinder's volume only", PI * R**2 * H),
        ("diameter used as the radius", PI * (2 * R) ** 2 * (H + k / 3)),
        ("added the squares: PV = √(VB² + PB²)", PI * R**2 * (H + sp.sqrt(L**2 + R**2) / 3)),
    ]
    misreads = [("misread OA", volume(R + 1, H, L)), ("misread OP", volume(R, H + 1, L))]
    return Chain(
        _fact(solid, "volume", solid.name),
        [(oa, "radius"), (op, "height of the cylinder"), (vb, "slant height of the cone")],
        "volume",
        lines,
        _real(mistakes),
        _real(misreads),
    )


def _frustum(solid: Solid, asked: str) -> Chain:
    """A frustum's height, or its volume, from its radii OA, PB and slant height AB."""
    oa, pb, ab = _length(solid, "O", "A"), _length(solid, "P", "B"), _length(solid, "A", "B")
    R, r, L = oa.exact, pb.exact, ab.exact

    def height(big: sp.Expr, small: sp.Expr, slant: sp.Expr) -> sp.Expr:
        return sp.sqrt(slant**2 - (big - small) ** 2)

    def volume(big: sp.Expr, small: sp.Expr, h: sp.Expr) -> sp.Expr:
        return PI * h * (big**2 + big * small + small**2) / 3

    h = height(R, r, L)
    lines = [
        "Drop a perpendicular from B to the bottom base: it is as long as the height h, and "
        f"its foot is R − r = {_t(R)} − {_t(r)} = {_t(R - r)} from A along OA.",
        f"h = √(AB² − (R − r)²) = √({_sq(L)} − {_sq(R - r)}) = {_t(h)}.",
    ]
    if asked == "height":
        target = _fact(solid, "height", solid.name)
        mistakes = [
            ("slant height used as the height", L),
            ("R + r used instead of R − r", sp.sqrt(L**2 - (R + r) ** 2)),
            ("forgot the square root", L**2 - (R - r) ** 2),
            ("R used instead of R − r", sp.sqrt(L**2 - R**2)),
            ("added the squares", sp.sqrt(L**2 + (R - r) ** 2)),
        ]
        misreads = [
            ("misread OA", height(R + 1, r, L)),
            ("misread PB", height(R, r + 1, L)),
            ("misread AB", height(R, r, L + 1)),
        ]
    else:
        target = _fact(solid, "volume", solid.name)
        value = volume(R, r, h)
        lines.append(
            f"V = πh(R² + Rr + r²)/3 = π·{_times(h)}·({_t(R)}² + {_t(R)}·{_t(r)} + {_t(r)}²)/3 "
            f"= {_t(value)}."
        )
        mistakes = [
            ("slant height used as the height", volume(R, r, L)),
            ("forgot the 1/3", 3 * value),
            ("left out the Rr term", PI * h * (R**2 + r**2) / 3),
            ("R + r used instead of R − r", volume(R, r, sp.sqrt(L**2 - (R + r) ** 2))),
            ("a cylinder of the bottom radius", PI * R**2 * h),
        ]
        misreads = [
            ("misread OA", volume(R + 1, r, height(R + 1, r, L))),
            ("misread AB", volume(R, r, height(R, r, L + 1))),
        ]
    return Chain(
        target,
        [(oa, "radius of the bottom base"), (pb, "radius of the top base"), (ab, "slant height")],
        asked,
        lines,
        _real(mistakes),
        _real(misreads),
    )


def frustum_height_from_slant(solid: Solid) -> Chain:
    """A frustum's height from its radii and slant height."""
    return _frustum(solid, "height")


def frustum_volume_from_slant(solid: Solid) -> Chain:
    """A frustum's volume from its radii and slant height (its height first)."""
    return _frustum(solid, "volume")


def cylinder_height_from_volume(solid: Solid) -> Chain:
    """A cylinder's height from its radius OA and its volume (stated, not drawn)."""
    oa, vol = _length(solid, "O", "A"), _fact(solid, "volume", solid.name)
    R, V = oa.exact, vol.exact
    h = V / (PI * R**2)
    lines = [
        "The volume of a cylinder is V = πr²h, so h = V/(πr²).",
        f"h = {_t(V)}/(π·{_t(R)}²) = {_t(h)}.",
    ]
    mistakes = [
        ("diameter used as the radius", V / (PI * (2 * R) ** 2)),
        ("r used instead of r²", V / (PI * R)),
        ("forgot to divide by π", V / R**2),
        ("the cone's formula: h = 3V/(πr²)", 3 * h),
        ("divided by the lateral area's 2πr", V / (2 * PI * R)),
    ]
    misreads = [("misread OA", V / (PI * (R + 1) ** 2))]
    return Chain(
        _fact(solid, "height", solid.name),
        [(oa, "radius"), (vol, "volume")],
        "height",
        lines,
        _read_exact(mistakes),
        _read_exact(misreads),
    )


def cuboid_height_from_volume(solid: Solid) -> Chain:
    """A cuboid's height AE from its length AB, width BC and volume (stated, not drawn)."""
    ab, bc = _length(solid, "A", "B"), _length(solid, "B", "C")
    ae, vol = _length(solid, "A", "E"), _fact(solid, "volume", solid.name)
    A, B, V = ab.exact, bc.exact, vol.exact
    h = V / (A * B)
    lines = [
        "The volume of a cuboid is V = AB·BC·AE, so AE = V/(AB·BC).",
        f"AE = {_t(V)}/({_t(A)}·{_t(B)}) = {_t(h)}.",
    ]
    mistakes = [
        ("divided by AB only", V / A),
        ("divided by AB + BC", V / (A + B)),
        ("divided by the base's perimeter", V / (2 * (A + B))),
        ("the pyramid's formula: AE = 3V/(AB·BC)", 3 * h),
        ("the base area given instead of the height", A * B),
    ]
    misreads = [("misread AB", V / ((A + 1) * B)), ("misread BC", V / (A * (B + 1)))]
    return Chain(
        ae,
        [(ab, "length"), (bc, "width"), (vol, "volume")],
        "height",
        lines,
        _read_exact(mistakes),
        _read_exact(misreads),
    )


def cone_lateral_area(solid: Solid) -> Chain:
    """A cone's lateral area from its radius OA and height PO: the slant height PA by
    Pythagoras first, then πrl."""
    oa, po = _length(solid, "O", "A"), _length(solid, "P", "O")
    R, H = oa.exact, po.exact

    def lateral(rad: sp.Expr, high: sp.Expr) -> sp.Expr:
        return PI * rad * sp.sqrt(rad**2 + high**2)

    slant = sp.sqrt(R**2 + H**2)
    value = lateral(R, H)
    lines = [
        "PO is perpendicular to the base, so the triangle POA has a right angle at O:",
        f"l = PA = √(PO² + OA²) = √({_sq(H)} + {_sq(R)}) = {_t(slant)}.",
        f"S_lateral = πrl = π·{_t(R)}·{_times(slant)} = {_t(value)}.",
    ]
    mistakes = [
        ("total surface area instead of the lateral", PI * R * (R + slant)),
        ("height used as the slant height", PI * R * H),
        ("diameter used as the radius", lateral(2 * R, H)),
        ("forgot the square root", PI * R * (R**2 + H**2)),
        ("2πrl as for a cylinder's side", 2 * value),
    ]
    misreads = [("misread OA", lateral(R + 1, H)), ("misread PO", lateral(R, H + 1))]
    return Chain(
        _fact(solid, "lateral_area", solid.name),
        [(oa, "radius"), (po, "height")],
        "lateral_area",
        lines,
        _real(mistakes),
        _real(misreads),
    )


def cuboid_diagonal_tangent(solid: Solid) -> Chain:
    """The tangent of the angle between a cuboid's space diagonal AG and its base ABCD
    from AB, BC and AE: the face diagonal AC first, then tan∠GAC = CG/AC = AE/AC."""
    ab, bc, ae = _length(solid, "A", "B"), _length(solid, "B", "C"), _length(solid, "A", "E")
    A, B, C = ab.exact, bc.exact, ae.exact

    def tangent(a: sp.Expr, b: sp.Expr, c: sp.Expr) -> sp.Expr:
        return sp.radsimp(c / sp.sqrt(a**2 + b**2))

    ac, ag = sp.sqrt(A**2 + B**2), sp.sqrt(A**2 + B**2 + C**2)
    value = tangent(A, B, C)
    lines = [
        "CG is perpendicular to the base ABCD, so the angle between AG and the base is ∠GAC, "
        "and the triangle GAC has a right angle at C.",
        f"In the base, AC = √(AB² + BC²) = √({_sq(A)} + {_sq(B)}) = {_t(ac)}.",
        f"tan∠GAC = CG/AC = AE/AC = {_t(C)}/{_over(ac)} = {_t(value)}.",
    ]
    mistakes = [
        ("AC/AE: the tangent of the other angle", sp.radsimp(ac / C)),
        ("the sine AE/AG", sp.radsimp(C / ag)),
        ("the cosine AC/AG", sp.radsimp(ac / ag)),
        ("AB + BC used for AC", C / (A + B)),
        ("AC² used for AC: forgot the root", C / (A**2 + B**2)),
    ]
    misreads = [("misread AE", tangent(A, B, C + 1)), ("misread AB", tangent(A + 1, B, C))]
    return Chain(
        Fact("tan", ("G", "A", "C"), value),
        [(ab, "length"), (bc, "width"), (ae, "height")],
        "tan",
        lines,
        _read_exact(mistakes),
        _read_exact(misreads),
    )


CHAINS: dict[str, tuple[Callable[[Solid], Chain], ...]] = {
    "cone": (cone_volume_from_slant, cone_lateral_area),
    "cube": (cube_volume_from_diagonal,),
    "cuboid": (cuboid_height_from_volume, cuboid_diagonal_tangent),
    "cylinder": (cylinder_height_from_volume,),
    "pyramid": (pyramid_volume_from_slant,),
    "frustum": (frustum_height_from_slant, frustum_volume_from_slant),
    "cone_on_cylinder": (cone_on_cylinder_volume_from_slant,),
}
