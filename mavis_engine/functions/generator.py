"""FunctionPlot: a family's function on an interval, plotted, analysed exactly, described."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp
from pydantic import Field, field_validator

from mavis_engine import exact
from mavis_engine.errors import Rejected
from mavis_engine.functions import check, rowcheck
from mavis_engine.functions.analysis import Analysis, analyse
from mavis_engine.functions.families import (
    FAMILIES,
    _q,
    sample_interval,
    shown_family,
    trig_form,
    x,
)
from mavis_engine.functions.problems import interval_label, notation, written
from mavis_engine.functions.problems import rows as problem_rows
from mavis_engine.generator import DomainConfig, Generator, Sample, known_names
from mavis_engine.render.plot import PlotSpec, sketch_plot
from mavis_engine.render.style import sample_style
from mavis_engine.rng import stream
from mavis_engine.text.env import render_text


class FunctionPlotConfig(DomainConfig):
    """Settings of the function-plot generator; validated when built."""

    families: tuple[str, ...] = Field(tuple(FAMILIES), description="families to draw from")
    title_prob: float = Field(0.5, ge=0, le=1, description="share of plots titled y = ...")

    @field_validator("families")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return known_names(value, FAMILIES, "families")


def _key_points(an: Analysis) -> dict[str, tuple[float, float]]:
    """Zeros and extrema as lettered points (one letter per location)."""
    spots: dict[tuple[float, float], None] = {}
    for fact in an.facts:
        if fact.kind == "zero":
            spots[(round(fact.value, 9), 0.0)] = None
        elif fact.kind in ("maximum", "minimum"):
            spots[(round(dict(fact.where)["x"], 9), round(fact.value, 9))] = None
    ordered = sorted(spots)
    return {chr(65 + i): xy for i, xy in enumerate(ordered[:26])}


def listed(items: list[str], word: str = "and") -> str:
    """'a', 'a and b', 'a, b and c': a list as a sentence runs it."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


_COUNTS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _concavity(expr: sp.Expr, an: Analysis) -> list[str | None]:
    """The sign of f'' on each piece of the domain between vertical asymptotes: "up",
    "down", "straight" (f'' = 0) or None where it changes sign (sampled densely; a bend
    is only stated where f'' keeps one strict sign on the whole piece)."""
    second = sp.diff(expr, x, 2)
    if second == 0:
        return ["straight"]
    fn = sp.lambdify(x, second, "numpy")
    lo, hi = (exact.to_float(v) for v in an.domain[:2])
    cuts = [lo, *sorted(exact.to_float(v) for v in an.vertical), hi]
    out: list[str | None] = []
    for a, b in itertools.pairwise(cuts):
        xs = np.linspace(a, b, 1203)[1:-1]
        with np.errstate(all="ignore"):
            ys = np.asarray(fn(xs), dtype=float) * np.ones_like(xs)
        if not np.all(np.isfinite(ys)):
            out.append(None)
        elif np.all(ys > 1e-9):
            out.append("up")
        elif np.all(ys < -1e-9):
            out.append("down")
        else:
            out.append(None)
    return out


def _shape_context(
    family: str, params: dict, expr: sp.Expr, an: Analysis, lo: int, hi: int
) -> dict[str, Any]:
    """What a careful describer says in words about the curve's shape (English captions):
    its family, how it bends, where its domain starts, its vertex or starting point."""
    a = _q(params.get("a", 1))
    # Named as the expression reads (a sine of phase π/2 is printed as a cosine), and only
    # called scaled or shifted where it is.
    out: dict[str, Any] = {
        "family": shown_family(family, expr),
        "sign": "positive" if a > 0 else "negative",
        "scaled": False,
        "shifted": False,
    }
    form = trig_form(expr) if family in ("sine", "cosine", "tangent") else None
    if form:
        out["scaled"], out["shifted"] = form[1], form[2]
    if family == "exponential":
        out["shifted"] = _q(params["c"]) != 0
    if family == "rational":
        out["shifted"] = _q(params["h"]) != 0 or _q(params["k"]) != 0
    if family == "polynomial":
        out["degree"] = len(params["roots"])
    if family in ("sine", "cosine"):
        out["amplitude"] = exact.display(abs(a))
        out["midline"] = exact.display(_q(params["d"]))
    if family == "exponential":
        out["growth"] = _q(params["base"]) > 1
    if family in ("absolute", "square_root"):
        h, k = _q(params["h"]), _q(params["k"])
        # A square root's starting point is in view from the window's left end on; a V's
        # corner is only a corner with both arms in view, strictly inside the window.
        at = exact.to_float(h)
        inside = lo < at < hi if family == "absolute" else lo <= at <= hi
        if inside:
            out["vertex"] = f"({exact.display(h)}, {exact.display(k)})"
    if family == "piecewise" and lo < exact.to_float(_q(params["s"])) < hi:
        out["joint"] = exact.display(_q(params["s"]))
        out["sign"] = "positive" if _q(params["a"]) > 0 else "negative"
    d_lo, d_hi, lo_closed, _ = an.domain
    if exact.to_float(d_lo) > lo:
        out["domain_from"] = exact.display(d_lo)
        out["domain_closed"] = lo_closed
    bends = [] if family in ("absolute", "piecewise") else _concavity(expr, an)
    out["concavity"] = bends if bends and all(bends) else None
    rising, falling = an.increasing, an.decreasing
    whole = (d_lo, d_hi)
    out["monotone"] = (
        "increasing"
        if rising == [whole] and not falling
        else "decreasing"
        if falling == [whole] and not rising
        else None
    )
    return out


def _caption_context(an: Analysis, expr_text: str, lo: int, hi: int) -> dict[str, Any]:
    by_kind: dict[str, list] = {}
    for fact in an.facts:
        by_kind.setdefault(fact.kind, []).append(fact)

    def at(fact):
        where = dict(fact.where)
        return {
            "value": exact.display(fact.exact),
            "x": f"{where.get('x', 0):g}"
            if float(where.get("x", 0)).is_integer()
            else f"{where.get('x', 0):.2f}",
        }

    integral = by_kind.get("integral", [None])[0]
    return {
        "expression": expr_text,
        "lo": lo,
        "hi": hi,
        "zeros": [exact.display(f.exact) for f in by_kind.get("zero", [])],
        "maximum": at(by_kind["maximum"][0]) if "maximum" in by_kind else None,
        "minimum": at(by_kind["minimum"][0]) if "minimum" in by_kind else None,
        "unbounded": an.unbounded,
        "vertical": [
            exact.display(f.exact)
            for f in by_kind.get("asymptote", [])
            if dict(f.where)["axis"] == "x"
        ],
        "horizontal": [
            exact.display(f.exact)
            for f in by_kind.get("asymptote", [])
            if dict(f.where)["axis"] == "y"
        ],
        "period": exact.display(by_kind["period"][0].exact) if "period" in by_kind else None,
        "value": at(by_kind["value_at"][0]),
        "increasing": [interval_label(f, an) for f in by_kind.get("increasing", [])],
        "decreasing": [interval_label(f, an) for f in by_kind.get("decreasing", [])],
        "parity": dict(by_kind["symmetry"][0].where)["parity"] if "symmetry" in by_kind else None,
        "intercept": exact.display(by_kind["intercept"][0].exact)
        if "intercept" in by_kind
        else None,
        "slope": at(by_kind["derivative_at"][0]) if "derivative_at" in by_kind else None,
        "integral": {
            "start": f"{dict(integral.where)['from']:g}",
            "end": f"{dict(integral.where)['to']:g}",
            "value": exact.display(integral.exact),
        }
        if integral
        else None,
    }


def sample_function(
    rng: np.random.Generator, families: tuple[str, ...]
) -> tuple[str, dict, tuple[int, int]]:
    """The parameters of one attempt, from its params stream: family, its parameters and
    the x interval plotted."""
    family = families[int(rng.integers(len(families)))]
    params = FAMILIES[family].sample(rng)
    return family, params, sample_interval(rng)


@dataclass(frozen=True)
class FunctionFigure:
    """One function on its interval, analysed exactly: what the plot, the words and the
    checks read."""

    family: str
    params: dict
    x_range: tuple[int, int]
    expr: sp.Expr
    analysis: Analysis

    @property
    def expression(self) -> str:
        return exact.to_str(self.expr)

    @property
    def kind(self) -> str:
        """The family as its expression reads (what texts name it; see ``shown_family``)."""
        return shown_family(self.family, self.expr)

    def facts_json(self) -> list[dict[str, Any]]:
        return [f.to_json() for f in self.analysis.facts]

    def params_json(self) -> dict[str, Any]:
        """What replays it (``build(**params_json)``): the row's ``params`` column."""
        return {"family": self.family, "params": self.params, "x_range": list(self.x_range)}


def build(family: str, params: dict, x_range: tuple[int, int] | list[int]) -> FunctionFigure:
    """The function of these parameters, analysed exactly, its facts checked numerically
    against the expression (Rejected where they disagree)."""
    lo, hi = x_range
    expr = FAMILIES[family].expression(params)
    figure = FunctionFigure(family, params, (lo, hi), expr, analyse(family, params, expr, lo, hi))
    wrong = check.fact_mismatches(figure.expression, [lo, hi], figure.facts_json())
    if wrong:
        raise Rejected("fact_mismatch", wrong[0])
    return figure


class FunctionPlot(Generator):
    """Function plots with exact analysis and captions (MAVIS's function domain).

    >>> s = FunctionPlot().sample(seed=0, index=3)
    """

    name = "function"
    domain = "function"
    Config = FunctionPlotConfig
    config: FunctionPlotConfig

    check_row = staticmethod(rowcheck.check_row)

    problem_kinds = ("instruct", "preference")
    text_languages = ("en", "zh")
    problem_languages = ("en", "zh")

    @classmethod
    def replay(cls, params: dict) -> list[dict]:
        return build(params["family"], params["params"], params["x_range"]).facts_json()

    def params(self, seed: int, index: int, attempt: int = 0) -> tuple[str, dict, tuple[int, int]]:
        """The parameters of one attempt (family, its parameters, interval), from its
        params stream; ``build`` makes the figure of them."""
        return sample_function(
            stream(seed, self.name, index, "params", attempt), self.config.families
        )

    def attempt(self, seed: int, index: int, attempt: int, problems: bool = False) -> Sample:
        c = self.config
        fig = build(*self.params(seed, index, attempt))
        (lo, hi), an = fig.x_range, fig.analysis
        style_rng = stream(seed, self.name, index, "style", attempt)
        style = sample_style(style_rng, c.image_size, c.grayscale_prob)
        text = notation(fig.expr, c.language)  # a title as a teacher writes it: log₂, 2ˣ
        xs = np.linspace(lo, hi, 801)
        points = _key_points(an)
        spec = PlotSpec(
            xs=xs,
            ys=check.numeric(fig.expression)(xs),
            x_range=(lo, hi),
            vertical=[exact.to_float(v) for v in an.vertical],
            horizontal=[exact.to_float(h) for h in an.horizontal],
            points=points,
            title=f"y = {text}" if style_rng.random() < c.title_prob else None,
        )
        # Laid out now (a point label with no room rejects the attempt; the figure fields are
        # final), painted and worded only if a caption row is written.
        drawing, fields = sketch_plot(spec, style, c.image_size)
        figure = {
            **fields,
            "points": {k: [round(v[0], 9), round(v[1], 9)] for k, v in points.items()},
            "shapes": [
                {"name": "f", "kind": "function", "boundary": [], "expression": fig.expression}
            ],
            "family": fig.kind,
            "expression": fig.expression,
            "x_range": [lo, hi],
            "style": style.to_json(),
        }

        def caption_parts() -> tuple[bytes, str, str]:
            text_rng = stream(seed, self.name, index, "text", attempt)
            shown = written(fig.expr, c.language)
            context = _caption_context(an, shown, lo, hi)
            if c.language == "en":  # words the English captions add (Chinese: as it was)
                context |= _shape_context(fig.family, fig.params, fig.expr, an, lo, hi)
                context |= {
                    "marked": bool(points),
                    "titled": spec.title is not None,
                    "count": _COUNTS[min(len(context["zeros"]), 9)],
                    "zeros_text": listed(context["zeros"]),
                    "rising": listed(context["increasing"]),
                    "falling": listed(context["decreasing"]),
                }
            png, _, _ = drawing.paint(c.png_level)
            return png, render_text(c.language, "function/caption.j2", text_rng, **context), ""

        params = {"attempt": attempt, **fig.params_json()}
        sample = self.sample_made_later(
            seed, index, figure, fig.facts_json(), params, caption_parts
        )
        if problems:
            sample.problem_rows = problem_rows(
                sample=sample,
                family=fig.family,
                params=fig.params,
                expr=fig.expr,
                an=an,
                lo=lo,
                hi=hi,
                spec=spec,
                style=style,
                config=c,
                attempt=attempt,
            )
        return sample
