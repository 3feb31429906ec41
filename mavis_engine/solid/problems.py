"""Solid-geometry problems: the volume or the total surface area of the drawn solid,
from its labelled dimensions, in five versions and a preference pair.

The rationale names the formula, substitutes the givens and states the exact result
(``V = πr²h = π·3²·5 = 45π``); the wrong options are the same computation with one typed
mistake (forgot the 1/3 of a cone or pyramid, diameter used as the radius, r instead of
r², lateral area given for the total, ...). Text versions state the dimensions in the
question and draw letters only; vision dominant and vision only draw them as labels. A
given that is no line (a chain's volume) stays in the text of every version.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import sympy as sp

from mavis_engine import exact
from mavis_engine.answers import (
    rejected_rationale,
    row_json,
    target_json,
    value_options,
)
from mavis_engine.errors import Rejected
from mavis_engine.problem_rows import WorkedProblem, answered, five_questions, problem_rows
from mavis_engine.solid import chains, phrases, rowcheck
from mavis_engine.solid.build import SolidFigure, with_givens
from mavis_engine.solid.draw import render
from mavis_engine.solid.formulas import APOTHEM, BASE_AREA, answer_text
from mavis_engine.solid.text import context, show
from mavis_engine.text.env import render_text

TARGETS = ("volume", "surface_area")
#: Solids that came after the first seven (their working is in ``_new_steps``).
NEW = (
    "hemisphere",
    "frustum",
    "cone_on_cylinder",
    "hemisphere_on_cylinder",
    "cuboid_with_roof",
    "cuboid_with_hole",
)
DRAWN_VERSIONS = ("vision_dominant", "vision_only")
WORDS = {
    "volume": "volume",
    "surface_area": "total surface area",
    "height": "height",
    "lateral_area": "lateral area",
    # The one tangent asked (chains.cuboid_diagonal_tangent).
    "tan": "tangent of the angle between the space diagonal AG and the base ABCD",
}
PI = sp.pi


def _p(value: sp.Expr) -> str:
    """A value substituted into a formula, parenthesised unless it is one plain term."""
    text = answer_text(value)
    return f"({text})" if any(c in text for c in " /+-") else text


NAMES = {
    "cube": "a",
    "cuboid": "abc",
    "prism": "ah",
    "pyramid": "ah",
    "frustum": ("R", "r", "h"),
    "cone_on_cylinder": ("r", "h", "k"),
    "cuboid_with_roof": "abck",
    "cuboid_with_hole": "abcr",
}


def _dims(kind: str, dims: list[int]) -> dict[str, sp.Expr]:
    names = NAMES.get(kind, "rh")
    return {n: sp.Integer(v) for n, v in zip(names, dims, strict=False)}


def _new_measure(kind: str, d: dict[str, sp.Expr], target: str) -> sp.Expr:
    """The volume or total surface area of a hemisphere, frustum or composite."""
    V = target == "volume"
    if kind == "hemisphere":
        r = d["r"]
        return 2 * PI * r**3 / 3 if V else 3 * PI * r**2
    if kind == "frustum":
        R, r, h = d["R"], d["r"], d["h"]
        slant = sp.sqrt(h**2 + (R - r) ** 2)
        return PI * h * (R**2 + R * r + r**2) / 3 if V else PI * (R**2 + r**2 + (R + r) * slant)
    if kind == "cone_on_cylinder":
        r, h, k = d["r"], d["h"], d["k"]
        if V:
            return PI * r**2 * h + PI * r**2 * k / 3
        return PI * r**2 + 2 * PI * r * h + PI * r * sp.sqrt(r**2 + k**2)
    if kind == "hemisphere_on_cylinder":
        r, h = d["r"], d["h"]
        return PI * r**2 * h + 2 * PI * r**3 / 3 if V else 3 * PI * r**2 + 2 * PI * r * h
    a, b, c = d["a"], d["b"], d["c"]
    if kind == "cuboid_with_roof":
        k = d["k"]
        if V:
            return a * b * c + a * k * b / 2
        return a * b + 2 * (a + b) * c + a * k + 2 * b * sp.sqrt(a**2 / 4 + k**2)
    r = d["r"]  # cuboid_with_hole
    if V:
        return a * b * c - PI * r**2 * c
    return 2 * (a * b + b * c + a * c) - 2 * PI * r**2 + 2 * PI * r * c


def measure(kind: str, n: int, d: dict[str, sp.Expr], target: str) -> sp.Expr:
    """The exact volume or total surface area of a solid of dimensions ``d``."""
    if kind in NEW:
        return _new_measure(kind, d, target)
    if kind == "cube":
        a = d["a"]
        return a**3 if target == "volume" else 6 * a**2
    if kind == "cuboid":
        a, b, c = d["a"], d["b"], d["c"]
        return a * b * c if target == "volume" else 2 * (a * b + b * c + a * c)
    if kind in ("prism", "pyramid"):
        a, h = d["a"], d["h"]
        base = BASE_AREA[n][0] * a**2
        if kind == "prism":
            return base * h if target == "volume" else 2 * base + n * a * h
        slant = sp.sqrt(h**2 + (APOTHEM[n][0] * a) ** 2)
        return base * h / 3 if target == "volume" else base + n * a * slant / 2
    r = d["r"]
    if kind == "sphere":
        return 4 * PI * r**3 / 3 if target == "volume" else 4 * PI * r**2
    h = d["h"]
    if kind == "cylinder":
        return PI * r**2 * h if target == "volume" else 2 * PI * r * (r + h)
    slant = sp.sqrt(r**2 + h**2)
    return PI * r**2 * h / 3 if target == "volume" else PI * r * (r + slant)


def _new_steps(kind: str, d: dict[str, sp.Expr], target: str) -> list[str]:
    """The working for a hemisphere, frustum or composite (parts first, then the sum or
    difference; a composite's surface leaves out the face its parts share)."""
    e = {k: _p(v) for k, v in d.items()}
    value = answer_text(measure(kind, 0, d, target))
    V = target == "volume"
    if kind == "hemisphere":
        r = e["r"]
        if V:
            return [f"V = 2/3·πr³ = 2/3·π·{r}³ = {value}."]
        return [
            f"The curved surface is half a sphere's: 2πr² = 2·π·{r}² = "
            f"{answer_text(2 * PI * d['r'] ** 2)}; the flat base is a circle: πr² = π·{r}² = "
            f"{answer_text(PI * d['r'] ** 2)}.",
            f"S = 2πr² + πr² = 3πr² = {value}.",
        ]
    if kind == "frustum":
        R, r, h = e["R"], e["r"], e["h"]
        if V:
            return [f"V = πh(R² + Rr + r²)/3 = π·{h}·({R}² + {R}·{r} + {r}²)/3 = {value}."]
        slant = sp.sqrt(d["h"] ** 2 + (d["R"] - d["r"]) ** 2)
        return [
            f"The slant height is l = √(h² + (R − r)²) = √({h}² + ({R} − {r})²) = "
            f"{answer_text(slant)}.",
            f"S = πR² + πr² + π(R + r)l = π·{R}² + π·{r}² + π·({R} + {r})·{_p(slant)} = {value}.",
        ]
    if kind in ("cone_on_cylinder", "hemisphere_on_cylinder"):
        r, h = e["r"], e["h"]
        R, H = d["r"], d["h"]
        if kind == "cone_on_cylinder":
            k = e["k"]
            if V:
                return [
                    f"The cylinder: V₁ = πr²h = π·{r}²·{h} = {answer_text(PI * R**2 * H)}.",
                    f"The cone: V₂ = πr²h'/3 = π·{r}²·{k}/3 = "
                    f"{answer_text(PI * R**2 * d['k'] / 3)}.",
                    f"V = V₁ + V₂ = {value}.",
                ]
            slant = sp.sqrt(R**2 + d["k"] ** 2)
            return [
                f"The cone's slant height is l = √(r² + h'²) = √({r}² + {k}²) = "
                f"{answer_text(slant)}.",
                "The shared circle is inside the solid and is not counted.",
                f"S = πr² + 2πrh + πrl = π·{r}² + 2·π·{r}·{h} + π·{r}·{_p(slant)} = {value}.",
            ]
        if V:
            return [
                f"The cylinder: V₁ = πr²h = π·{r}²·{h} = {answer_text(PI * R**2 * H)}.",
                f"The hemisphere: V₂ = 2/3·πr³ = 2/3·π·{r}³ = {answer_text(2 * PI * R**3 / 3)}.",
                f"V = V₁ + V₂ = {value}.",
            ]
        return [
            "The shared circle is inside the solid and is not counted.",
            f"S = πr² + 2πrh + 2πr² = π·{r}² + 2·π·{r}·{h} + 2·π·{r}² = {value}.",
        ]
    a, b, c = e["a"], e["b"], e["c"]
    A, B, C = d["a"], d["b"], d["c"]
    if kind == "cuboid_with_roof":
        k = e["k"]
        if V:
            return [
                f"The cuboid: V₁ = abc = {a}·{b}·{c} = {answer_text(A * B * C)}.",
                f"The prism: its triangle has area a·k/2 = {a}·{k}/2 = "
                f"{answer_text(A * d['k'] / 2)}, so V₂ = {_p(A * d['k'] / 2)}·{b} = "
                f"{answer_text(A * d['k'] * B / 2)}.",
                f"V = V₁ + V₂ = {value}.",
            ]
        slant = sp.sqrt(A**2 / 4 + d["k"] ** 2)
        return [
            f"The roof's slant edge is s = √((a/2)² + k²) = √({_p(A / 2)}² + {k}²) = "
            f"{answer_text(slant)}.",
            "The top face of the cuboid is covered by the prism and is not counted.",
            f"S = ab + 2(a + b)c + ak + 2bs = {a}·{b} + 2·({a} + {b})·{c} + {a}·{k} + "
            f"2·{b}·{_p(slant)} = {value}.",
        ]
    r = e["r"]
    if V:
        return [
            f"The cuboid: V₁ = abc = {a}·{b}·{c} = {answer_text(A * B * C)}.",
            f"The hole: V₂ = πr²c = π·{r}²·{c} = {answer_text(PI * d['r'] ** 2 * C)}.",
            f"V = V₁ − V₂ = {value}.",
        ]
    return [
        f"The cuboid's faces: 2(ab + bc + ac) = 2({a}·{b} + {b}·{c} + {a}·{c}) = "
        f"{answer_text(2 * (A * B + B * C + A * C))}.",
        f"The two openings take away 2πr² = 2·π·{r}² = {answer_text(2 * PI * d['r'] ** 2)}; "
        f"the hole's wall adds 2πrc = 2·π·{r}·{c} = {answer_text(2 * PI * d['r'] * C)}.",
        f"S = {value}.",
    ]


def _new_mistakes(kind: str, d: dict[str, sp.Expr], target: str) -> list[tuple[str, Any]]:
    """Typed mistakes for a hemisphere, frustum or composite."""
    V = target == "volume"
    value = measure(kind, 0, d, target)
    out: list[tuple[str, Any]] = []
    if "r" in d and kind != "cuboid_with_hole":
        out.append(
            ("diameter used as the radius", measure(kind, 0, {**d, "r": 2 * d["r"]}, target))
        )
    if kind == "hemisphere":
        r = d["r"]
        out += (
            [("a whole sphere's volume", 4 * PI * r**3 / 3), ("forgot the 2/3", PI * r**3)]
            if V
            else [
                ("curved surface only, without the base", 2 * PI * r**2),
                ("a whole sphere's area", 4 * PI * r**2),
            ]
        )
    elif kind == "frustum":
        R, r, h = d["R"], d["r"], d["h"]
        slant = sp.sqrt(h**2 + (R - r) ** 2)
        out += (
            [
                ("forgot the 1/3", 3 * value),
                ("left out the Rr term", PI * h * (R**2 + r**2) / 3),
                ("slant height used as the height", PI * slant * (R**2 + R * r + r**2) / 3),
            ]
            if V
            else [
                ("lateral area instead of the total", PI * (R + r) * slant),
                ("counted one base only", PI * R**2 + PI * (R + r) * slant),
                ("height used as the slant height", PI * (R**2 + r**2 + (R + r) * h)),
            ]
        )
    elif kind == "cone_on_cylinder":
        r, h, k = d["r"], d["h"], d["k"]
        slant = sp.sqrt(r**2 + k**2)
        out += (
            [
                ("forgot the 1/3 of the cone", PI * r**2 * (h + k)),
                ("slant height used as the cone's height", PI * r**2 * (h + slant / 3)),
                ("the cylinder's volume only", PI * r**2 * h),
            ]
            if V
            else [
                ("counted the hidden shared face", value + PI * r**2),
                ("height used as the slant height", PI * r**2 + 2 * PI * r * h + PI * r * k),
                ("lateral areas only, without the base", value - PI * r**2),
            ]
        )
    elif kind == "hemisphere_on_cylinder":
        r, h = d["r"], d["h"]
        out += (
            [
                ("a whole sphere on top", PI * r**2 * h + 4 * PI * r**3 / 3),
                ("forgot the 2/3", PI * r**2 * h + PI * r**3),
            ]
            if V
            else [
                ("counted the hidden shared face", value + PI * r**2),
                ("a whole sphere's area on top", PI * r**2 + 2 * PI * r * h + 4 * PI * r**2),
            ]
        )
    elif kind == "cuboid_with_roof":
        a, b, c, k = d["a"], d["b"], d["c"], d["k"]
        out += (
            [
                ("forgot to halve the prism", a * b * c + a * b * k),
                ("the cuboid's volume only", a * b * c),
            ]
            if V
            else [
                ("counted the hidden shared face", value + a * b),
                ("roof height used as the slant edge", a * b + 2 * (a + b) * c + a * k + 2 * b * k),
                (
                    "lateral area instead of the total",
                    2 * (a + b) * c + 2 * b * sp.sqrt(a**2 / 4 + k**2),
                ),
            ]
        )
    else:  # cuboid_with_hole
        a, b, c, r = d["a"], d["b"], d["c"], d["r"]
        box = 2 * (a * b + b * c + a * c)
        out += (
            [
                ("forgot to take the hole away", a * b * c),
                ("diameter used as the hole's radius", a * b * c - 4 * PI * r**2 * c),
                ("the hole's volume only", PI * r**2 * c),
            ]
            if V
            else [
                ("forgot the hole's inner wall", box - 2 * PI * r**2),
                ("left the openings covered", box + 2 * PI * r * c),
                ("the cuboid's surface only", box),
            ]
        )
    other = measure(kind, 0, d, "surface_area" if V else "volume")
    swapped = "surface area computed instead of the volume" if V else "volume computed instead"
    return [*out, (swapped, other)]


def steps(kind: str, n: int, d: dict[str, sp.Expr], target: str) -> list[str]:
    """The rationale's working: formula, substitution, exact result, one line each."""
    if kind in NEW:
        return _new_steps(kind, d, target)
    e = {k: _p(v) for k, v in d.items()}
    value = answer_text(measure(kind, n, d, target))
    V = target == "volume"
    if kind == "cube":
        f = ("V = a³", f"{e['a']}³") if V else ("S = 6a²", f"6·{e['a']}²")
        return [f"{f[0]} = {f[1]} = {value}."]
    if kind == "cuboid":
        a, b, c = e["a"], e["b"], e["c"]
        if V:
            return [f"V = l·w·h = {a}·{b}·{c} = {value}."]
        return [f"S = 2(lw + wh + lh) = 2({a}·{b} + {b}·{c} + {a}·{c}) = {value}."]
    if kind in ("prism", "pyramid"):
        a, h = e["a"], e["h"]
        base = BASE_AREA[n][0] * d["a"] ** 2
        out = [
            f"The base is a regular polygon of side a = {a}: S_base = {BASE_AREA[n][1]} = "
            f"{answer_text(base)}."
        ]
        B = _p(base)
        if kind == "prism":
            if V:
                return [*out, f"V = S_base·h = {B}·{h} = {value}."]
            return [*out, f"S = 2·S_base + {n}·a·h = 2·{B} + {n}·{a}·{h} = {value}."]
        if V:
            return [*out, f"V = S_base·h/3 = {B}·{h}/3 = {value}."]
        apothem = APOTHEM[n][0] * d["a"]
        slant = sp.sqrt(d["h"] ** 2 + apothem**2)
        return [
            *out,
            f"The apothem of the base is m = {APOTHEM[n][1]} = {answer_text(apothem)}, so the "
            f"slant height is l = √(h² + m²) = √({h}² + {_p(apothem)}²) = {answer_text(slant)}.",
            f"S = S_base + {n}·a·l/2 = {B} + {n}·{a}·{_p(slant)}/2 = {value}.",
        ]
    r = e["r"]
    if kind == "sphere":
        f = ("V = 4/3·πr³", f"4/3·π·{r}³") if V else ("S = 4πr²", f"4·π·{r}²")
        return [f"{f[0]} = {f[1]} = {value}."]
    h = e["h"]
    if kind == "cylinder":
        if V:
            return [f"V = πr²h = π·{r}²·{h} = {value}."]
        return [f"S = 2πr(r + h) = 2·π·{r}·({r} + {h}) = {value}."]
    if V:
        return [f"V = πr²h/3 = π·{r}²·{h}/3 = {value}."]
    slant = sp.sqrt(d["r"] ** 2 + d["h"] ** 2)
    return [
        f"The slant height is l = √(r² + h²) = √({r}² + {h}²) = {answer_text(slant)}.",
        f"S = πr(r + l) = π·{r}·({r} + {_p(slant)}) = {value}.",
    ]


def mistakes(kind: str, n: int, d: dict[str, sp.Expr], target: str) -> list[tuple[str, Any]]:
    """Typed mistakes as (name, the value they give), most typical first."""
    if kind in NEW:
        return _new_mistakes(kind, d, target)
    V = target == "volume"
    value = measure(kind, n, d, target)
    other = measure(kind, n, d, "surface_area" if V else "volume")
    swapped = "surface area computed instead of the volume" if V else "volume computed instead"
    out: list[tuple[str, Any]] = []
    if kind in ("cylinder", "cone", "sphere"):
        out.append(
            ("diameter used as the radius", measure(kind, n, {**d, "r": 2 * d["r"]}, target))
        )
    if kind in ("cone", "pyramid") and V:
        out += [("forgot the 1/3", 3 * value), ("used 1/2 instead of 1/3", 3 * value / 2)]
    if kind in ("cylinder", "cone") and V:
        out.append(("r used instead of r²", value / d["r"]))
    if kind == "cylinder" and V:
        out.append(("divided by 3 as for a cone", value / 3))
    if kind == "sphere":
        r = d["r"]
        out += (
            [("r² used instead of r³", 4 * PI * r**2 / 3), ("forgot the 4/3", PI * r**3)]
            if V
            else [("half the sphere's area", 2 * PI * r**2), ("a great circle's area", PI * r**2)]
        )
    if kind == "cube":
        a = d["a"]
        out += (
            [("one face's area", a**2), ("3a instead of a³", 3 * a)]
            if V
            else [
                ("one face only", a**2),
                ("lateral area instead of the total", 4 * a**2),
            ]
        )
    if kind == "cuboid":
        a, b, c = d["a"], d["b"], d["c"]
        out += (
            [("halved the product", value / 2), ("sum of the edges", 4 * (a + b + c))]
            if V
            else [
                ("lateral area instead of the total", 2 * (a + b) * c),
                ("forgot to double", a * b + b * c + a * c),
            ]
        )
    if kind in ("prism", "pyramid"):
        a, h = d["a"], d["h"]
        base = BASE_AREA[n][0] * a**2
        if kind == "prism":
            out += (
                [("base taken as a square", a**2 * h), ("divided by 3 as for a pyramid", value / 3)]
                if V
                else [
                    ("lateral area instead of the total", n * a * h),
                    ("counted one base only", base + n * a * h),
                ]
            )
        else:
            slant = sp.sqrt(h**2 + (APOTHEM[n][0] * a) ** 2)
            out += (
                [("slant height used as the height", base * slant / 3)]
                if V
                else [
                    ("lateral area instead of the total", n * a * slant / 2),
                    ("height used as the slant height", base + n * a * h / 2),
                    ("forgot to halve the triangles", base + n * a * slant),
                ]
            )
    if kind == "cylinder" and not V:
        r, h = d["r"], d["h"]
        out += [
            ("lateral area instead of the total", 2 * PI * r * h),
            ("counted one base only", PI * r**2 + 2 * PI * r * h),
        ]
    if kind == "cone":
        r, h = d["r"], d["h"]
        if V:
            out.append(("slant height used as the height", PI * r**2 * sp.sqrt(r**2 + h**2) / 3))
        else:
            out += [
                ("lateral area instead of the total", PI * r * sp.sqrt(r**2 + h**2)),
                ("height used as the slant height", PI * r * (r + h)),
            ]
    out.append((swapped, other))
    return out


def misreads(kind: str, n: int, d: dict[str, sp.Expr], target: str) -> list[tuple[str, Any]]:
    """The last resort: one dimension read one too high."""
    return [(f"misread {k}", measure(kind, n, {**d, k: v + 1}, target)) for k, v in d.items()]


def _short(value: Any) -> bool:
    """Whether a value has a short exact form (else an answer shows two decimals)."""
    try:
        return show(sp.expand(sp.sympify(value))) is not None
    except (TypeError, ValueError, sp.SympifyError):
        return False


def rows(
    *,
    sample: Any,
    fig: SolidFigure,
    style: Any,
    config: Any,
    attempt: int,
    painted: dict | None = None,
) -> dict[str, list[dict]]:
    """The five instruct rows and the preference row of one solid's problem. ``painted``:
    the caption render's strokes (``render``'s), kept for the versions' renders."""
    lang = config.language
    rng = sample.stream("problem", attempt)
    solid, params = fig.solid, sample.params
    kind, n = solid.kind, int(params.get("sides", 0))
    d = _dims(kind, params["dims"])
    target = TARGETS[int(rng.integers(len(TARGETS)))]
    ctx = context(fig)
    chooser = sample.stream("problem_chain", attempt)
    made = chains.CHAINS.get(kind, ())
    captioned = fig  # drawn with its givens: the caption's picture (a chain draws others)
    chain = None
    if made and chooser.random() < chains.SHARE:
        # A multi-step problem: other lengths given, drawn in place of the usual ones (a
        # given that is no line of the drawing, a cube's space diagonal, drawn with them).
        # A given that is no length (a volume) is stated in every version, never drawn.
        chain = made[int(chooser.integers(len(made)))](solid)
        try:
            fig = with_givens(fig, [g for g, _ in chain.givens if g.kind == "length"])
        except Rejected:  # drawn through another point: the one-step problem instead
            chain = None
    if chain is not None:
        fact, target, lines = chain.target, chain.asked, chain.lines
        givens = [g for g, _ in chain.givens]
        ctx["given"] = [
            {"role": role, "name": "".join(g.of), "value": show(g.exact), "kind": g.kind}
            for g, role in chain.givens
        ]
        typed, last = chain.mistakes, chain.misreads
    else:
        fact = next(f for f in solid.facts if f.kind == target and f.of == (solid.name,))
        if sp.simplify(fact.exact - measure(kind, n, d, target)) != 0:
            raise Rejected("answer_mismatch", f"{target} of {solid.name}")
        givens, lines = solid.givens, steps(kind, n, d, target)
        typed, last = mistakes(kind, n, d, target), misreads(kind, n, d, target)
    key = answer_text(fact.exact)
    typed = [typed[int(i)] for i in rng.permutation(len(typed))]
    # Options in one form: a decimal among exact values (9.01 beside 64, 4, 8) gives
    # itself away as wrong. With an exact key a mistake with no short exact form is
    # dropped; with a decimal key every option is shown as a decimal.
    short = show(sp.expand(fact.exact)) is not None
    pool = [(m, v) for m, v in [*typed, *last] if not short or _short(v)]
    wrong = value_options(
        (key, fact.value), pool, answer_text if short else exact.display, 1e-6, target
    )
    quantity = f"the {WORDS[target]} of the {ctx['what']}"
    conclude = f"So {quantity} is {{}}."
    # A chain's unknown edge is named with its word: the height AE of the cuboid.
    edge = "".join(fact.of) if fact.kind == "length" else ""
    asked = f"{WORDS[target]} {edge}".strip()
    if lang == "zh":  # the same working and context, worded in Chinese
        ctx = phrases.context(ctx)
        lines, conclude, asked = (
            phrases.working(lines, ctx),
            phrases.conclusion(ctx, target),
            phrases.ASKED[target] + edge,
        )
    words = sample.stream("problem_text", attempt)

    def text(version: str, choices: list[dict] | None) -> str:
        return render_text(
            lang,
            "solid/problem.j2",
            words,
            version=version,
            givens=[
                g
                for g in ctx["given"]
                if version not in DRAWN_VERSIONS or g.get("kind", "length") != "length"
            ],
            asked=asked,
            choices=choices,
            base_sides=ctx["base_sides"],
            polygon=ctx.get("polygon"),
            **{k: ctx[k] for k in ("kind", "what", "noun", "name")},
        )

    # The versions' renders share one painting of the strokes: the caption's, unless a
    # chain draws other lines.
    strokes_of = painted if painted is not None and fig is captioned else {}

    def draw(drawn: bool, footer: str | None) -> tuple[bytes, dict]:
        if drawn and footer is None and fig is captioned:
            return sample.image, sample.figure  # the same figure, givens and style
        size, level = config.image_size, config.png_level
        png = render(fig, style, size, level, drawn, footer, painted=strokes_of)
        return png, {**fig.to_json(), "style": style.to_json()}

    def rejected() -> tuple[str, str]:
        bad_text, _, mistake = wrong[0]
        body = rejected_rationale(lines, bad_text, conclude.format(bad_text), bad_text, lang)
        return body, mistake

    worked = WorkedProblem(
        key=(key, fact.exact),
        answer=key,
        wrong=wrong,
        value=fact.value,
        exact_text=exact.to_str(fact.exact),
        target=target_json(fact.kind, fact.of),
        givens=row_json([g.to_json() for g in givens]),
        rationale=answered([*lines, conclude.format(key)], lang),
        rejected=rejected,
        questions=partial(five_questions, lang, words, text),
        prompt=lambda: text("text_dominant", None),
        view=lambda version: version in DRAWN_VERSIONS,
        draw=draw,
        recheck=rowcheck.instruct_problems,
    )
    return problem_rows(sample, worked, config.choice_ratio)
