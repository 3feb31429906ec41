"""Solid-geometry problems: the volume or the total surface area of the drawn solid,
from its labelled dimensions, in five versions and a preference pair.

The rationale names the formula, substitutes the givens and states the exact result
(``V = πr²h = π·3²·5 = 45π``); the wrong options are the same computation with one typed
mistake (forgot the 1/3 of a cone or pyramid, diameter used as the radius, r instead of
r², lateral area given for the total, ...). Text versions state the dimensions in the
question and draw letters only; vision dominant and vision only draw them as labels.
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
from mavis_engine.solid import rowcheck
from mavis_engine.solid.build import SolidFigure
from mavis_engine.solid.draw import render
from mavis_engine.solid.text import context, show
from mavis_engine.text.env import render_text

TARGETS = ("volume", "surface_area")
DRAWN_VERSIONS = ("vision_dominant", "vision_only")
WORDS = {"volume": "volume", "surface_area": "total surface area"}
PI = sp.pi
# Area of a regular n-gon of side a, as a multiple of a² (n in BASE_SIDES), and its text.
BASE_AREA = {
    3: (sp.sqrt(3) / 4, "√3/4·a²"),
    4: (sp.Integer(1), "a²"),
    6: (3 * sp.sqrt(3) / 2, "3√3/2·a²"),
}
APOTHEM = {
    3: (sp.sqrt(3) / 6, "√3/6·a"),
    4: (sp.Rational(1, 2), "a/2"),
    6: (sp.sqrt(3) / 2, "√3/2·a"),
}


def answer_text(value: sp.Expr) -> str:
    """An exact value as an answer shows it (short exact form, else two decimals)."""
    return show(sp.expand(value)) or exact.display(value)


def _p(value: sp.Expr) -> str:
    """A value substituted into a formula, parenthesised unless it is one plain term."""
    text = answer_text(value)
    return f"({text})" if any(c in text for c in " /+-") else text


def _dims(kind: str, dims: list[int]) -> dict[str, sp.Expr]:
    names = {"cube": "a", "cuboid": "abc", "prism": "ah", "pyramid": "ah"}.get(kind, "rh")
    return {n: sp.Integer(v) for n, v in zip(names, dims, strict=False)}


def measure(kind: str, n: int, d: dict[str, sp.Expr], target: str) -> sp.Expr:
    """The exact volume or total surface area of a solid of dimensions ``d``."""
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


def steps(kind: str, n: int, d: dict[str, sp.Expr], target: str) -> list[str]:
    """The rationale's working: formula, substitution, exact result, one line each."""
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


def rows(
    *,
    sample: Any,
    fig: SolidFigure,
    style: Any,
    config: Any,
    attempt: int,
) -> dict[str, list[dict]]:
    """The five instruct rows and the preference row of one solid's problem."""
    lang = config.language
    rng = sample.stream("problem", attempt)
    solid, params = fig.solid, sample.params
    kind, n = solid.kind, int(params.get("sides", 0))
    d = _dims(kind, params["dims"])
    target = TARGETS[int(rng.integers(len(TARGETS)))]
    fact = next(f for f in solid.facts if f.kind == target)
    if sp.simplify(fact.exact - measure(kind, n, d, target)) != 0:
        raise Rejected("answer_mismatch", f"{target} of {solid.name}")
    key = answer_text(fact.exact)
    typed = mistakes(kind, n, d, target)
    typed = [typed[int(i)] for i in rng.permutation(len(typed))]
    wrong = value_options(
        (key, fact.value), [*typed, *misreads(kind, n, d, target)], answer_text, 1e-6, target
    )
    lines = steps(kind, n, d, target)
    quantity = f"the {WORDS[target]} of the {kind}"
    conclude = f"So {quantity} is {{}}."
    words = sample.stream("problem_text", attempt)
    ctx = context(fig)

    def text(version: str, choices: list[dict] | None) -> str:
        return render_text(
            lang,
            "solid/problem.j2",
            words,
            version=version,
            givens=[] if version in DRAWN_VERSIONS else ctx["given"],
            asked=WORDS[target],
            choices=choices,
            **{k: ctx[k] for k in ("kind", "noun", "name")},
        )

    def draw(drawn: bool, footer: str | None) -> tuple[bytes, dict]:
        png = render(fig, style, config.image_size, config.png_level, drawn, footer)
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
        target=target_json(target, fact.of),
        givens=row_json([g.to_json() for g in solid.givens]),
        rationale=answered([*lines, conclude.format(key)], lang),
        rejected=rejected,
        questions=partial(five_questions, lang, words, text),
        prompt=lambda: text("text_dominant", None),
        view=lambda version: version in DRAWN_VERSIONS,
        draw=draw,
        recheck=rowcheck.instruct_problems,
    )
    return problem_rows(sample, worked, config.choice_ratio)
