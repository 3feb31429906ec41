"""AnalyticGeometry: figures on a coordinate grid, with their coordinates and relations."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import sympy as sp
from pydantic import Field, field_validator

from mavis_engine import exact
from mavis_engine.analytic import check, rowcheck
from mavis_engine.analytic.figures import (
    KINDS,
    SOLID,
    GridFigure,
    chord_line,
    line_equation,
    near_misses,
    parabola_equation,
    relation,
    sample_figure,
    tangent_line,
)
from mavis_engine.analytic.phrases import RELATION_WORDS
from mavis_engine.analytic.problems import QUESTIONS
from mavis_engine.analytic.problems import rows as problem_rows
from mavis_engine.errors import Rejected
from mavis_engine.generator import DomainConfig, Generator, Sample, known_names, min_max
from mavis_engine.render.plot import PlotSpec, sketch_plot
from mavis_engine.render.style import sample_style
from mavis_engine.rng import stream
from mavis_engine.text.env import render_text


class AnalyticGeometryConfig(DomainConfig):
    """Settings of the analytic-geometry generator; validated when built."""

    figures: tuple[int, int] = Field((1, 4), description="min and max figures per diagram")
    kinds: tuple[str, ...] = Field(KINDS, description="figure kinds to draw from")
    max_attempts: int = Field(60, ge=1, le=1000)
    questions: tuple[str, ...] = Field(
        QUESTIONS, description="question kinds to ask (the problem rows' target kinds)"
    )

    @field_validator("figures")
    @classmethod
    def _range(cls, value: tuple[int, int]) -> tuple[int, int]:
        return min_max(value, high=6)

    @field_validator("kinds")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return known_names(value, KINDS, "kinds")

    @field_validator("questions")
    @classmethod
    def _known_questions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return known_names(value, QUESTIONS, "questions")


def _describe(fig: GridFigure) -> dict[str, Any]:
    p = fig.params

    def pt(v):
        return f"({exact.display(v[0])}, {exact.display(v[1])})"

    ctx: dict[str, Any] = {"name": fig.name, "kind": fig.kind}
    if fig.kind == "circle":
        ctx.update(center=pt(p["center"]), radius=exact.display(p["radius"]))
    elif fig.kind == "ellipse":
        ctx.update(center=pt(p["center"]), a=exact.display(p["a"]), b=exact.display(p["b"]))
    elif fig.kind in ("rectangle", "square"):
        ctx.update(
            corner=pt(p["corner"]),
            width=exact.display(p["width"]),
            height=exact.display(p["height"]),
        )
    elif fig.kind in ("triangle", "polygon"):
        ctx.update(vertices=[pt(v) for v in p["vertices"]])
    elif fig.kind == "parabola":
        (h, k), a = p["vertex"], p["a"]
        ctx.update(
            vertex=pt((h, k)),
            through=pt((h + 1, k + a)),
            equation=parabola_equation(a, h, k),
            opens="upward" if a > 0 else "downward",
        )
    elif fig.kind == "segment":
        ctx.update(endpoints=[pt(v) for v in p["endpoints"]])
    elif fig.kind == "line":
        ctx.update(through=[pt(v) for v in p["through"]], equation=line_equation(*p["through"]))
    else:
        ctx.update(at=pt(p["at"]))
    ctx["facts"] = {
        f.kind + ("_" + dict(f.where)["axis"] if "axis" in dict(f.where) else ""): exact.display(
            f.exact
        )
        for f in fig.facts
    }
    return ctx


_ORDINAL = {1: "first", 2: "second", 3: "third", 4: "fourth"}
_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven")


def _where(px: sp.Expr, py: sp.Expr) -> str:
    """Where a point lies on the grid, in words: a quadrant, an axis or the origin."""
    if px == 0 and py == 0:
        return "at the origin"
    if py == 0:
        return f"on the {'positive' if px > 0 else 'negative'} x-axis"
    if px == 0:
        return f"on the {'positive' if py > 0 else 'negative'} y-axis"
    quadrant = (1 if py > 0 else 4) if px > 0 else (2 if py > 0 else 3)
    return f"in the {_ORDINAL[quadrant]} quadrant"


def _direction(p: tuple, q: tuple) -> str:
    """How the line through p and q runs: rising, falling, horizontal, vertical."""
    (x1, y1), (x2, y2) = p, q
    if x1 == x2:
        return "vertical"
    if y1 == y2:
        return "horizontal"
    return "rising" if (y2 - y1) / (x2 - x1) > 0 else "falling"


def _triangle_kind(vs: list[tuple]) -> list[str]:
    """Words that classify a triangle by its sides and its largest angle (exact)."""
    squares = sorted(
        (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 for a, b in zip(vs, vs[1:] + vs[:1], strict=True)
    )
    sides = "isosceles" if len(set(squares)) < 3 else "scalene"
    biggest = squares[2] - squares[0] - squares[1]
    angle = "right" if biggest == 0 else ("obtuse" if biggest > 0 else "acute")
    return [sides, angle]


def _words(fig: GridFigure) -> dict[str, Any]:
    """What the English caption adds about a figure in words: where it sits, how it is
    oriented, what kind of triangle or polygon it is."""
    p = fig.params
    out: dict[str, Any] = {}
    if fig.kind in ("circle", "ellipse"):
        (cx, cy) = p["center"]
        out["centre_at"] = _where(cx, cy)
        if fig.kind == "circle":
            r = p["radius"]
            out["origin_on"] = cx**2 + cy**2 == r**2
            out["touches"] = [axis for axis, c in (("x", cy), ("y", cx)) if abs(c) == r]
        else:
            out["wide"] = p["a"] > p["b"]
    elif fig.kind in ("rectangle", "square"):
        out["wide"] = p["width"] > p["height"]
        out["corner_at"] = _where(*p["corner"])
    elif fig.kind == "triangle":
        out["classes"] = _triangle_kind(p["vertices"])
    elif fig.kind == "polygon":
        out["sides"] = {4: "quadrilateral", 5: "pentagon"}[len(p["vertices"])]
        out["corners"] = _NUMBER_WORDS[len(p["vertices"])]
    elif fig.kind == "parabola":
        out["axis"] = exact.display(p["vertex"][0])
        steep = abs(p["a"])
        out["width_word"] = "narrower" if steep > 1 else ("wider" if steep < 1 else "")
        out["vertex_at"] = _where(*p["vertex"])
    elif fig.kind in ("line", "segment"):
        ends = p["through"] if fig.kind == "line" else p["endpoints"]
        out["direction"] = _direction(*ends)
        (x1, y1), (x2, y2) = ends
        out["origin_on"] = fig.kind == "line" and x1 * y2 - x2 * y1 == 0
    else:
        out["at_where"] = _where(*p["at"])
    return out


def _slope_pairs(figures: list[GridFigure]) -> list[dict[str, Any]]:
    """Pairs of lines and segments that are parallel or perpendicular (exact)."""
    straight = [f for f in figures if f.kind in ("line", "segment")]
    out = []
    for f, g in itertools.combinations(straight, 2):
        (p1, q1), (p2, q2) = (f.params.get("through") or f.params["endpoints"] for f in (f, g))
        u = (q1[0] - p1[0], q1[1] - p1[1])
        v = (q2[0] - p2[0], q2[1] - p2[1])
        if u[0] * v[1] - u[1] * v[0] == 0:
            out.append({"of": [f.name, g.name], "how": "parallel", "kinds": [f.kind, g.kind]})
        elif u[0] * v[0] + u[1] * v[1] == 0:
            out.append({"of": [f.name, g.name], "how": "perpendicular", "kinds": [f.kind, g.kind]})
    return out


def _name_anchor(fig: GridFigure) -> tuple[float, float]:
    """Where a figure's name goes (points carry theirs in their coordinate label)."""
    if fig.kind in ("circle", "ellipse"):  # left of the centre: the dot and radii are right
        (cx, cy), rx = fig.params["center"], fig.params.get("radius") or fig.params["a"]
        return float(cx - rx / 2), float(cy)
    if fig.kind in SOLID:
        return tuple(fig.region().representative_point().coords[0])
    if fig.kind in ("line", "parabola"):  # a third along: clear of the edge and axis names
        return tuple(fig.region().interpolate(0.3, normalized=True).coords[0])
    return tuple(fig.outline()[0])


def sample_figures(
    rng: np.random.Generator, config: AnalyticGeometryConfig
) -> tuple[int, list[GridFigure]]:
    """The parameters of one attempt, from its params stream: the grid's half-width and
    its figures (Rejected when two solids come too close)."""
    span = int(rng.integers(6, 11))
    count = int(rng.integers(config.figures[0], config.figures[1] + 1))
    figures: list[GridFigure] = []
    for i in range(count):
        kind = config.kinds[int(rng.integers(len(config.kinds)))]
        circles = [f for f in figures if f.kind == "circle"]
        # Beside a circle, curves are often lines, and lines often its tangents or
        # chords: so that intersection and tangency questions occur.
        if circles and kind not in SOLID and "line" in config.kinds and rng.random() < 0.5:
            kind = "line"
        beside = rng.random() if kind == "line" and circles else 1.0
        if beside < 1 / 3:
            fig = tangent_line(rng, circles[-1], chr(65 + i), span)
        elif beside < 2 / 3:
            fig = chord_line(rng, circles[-1], chr(65 + i), span)
        else:
            fig = sample_figure(rng, kind, chr(65 + i), span)
        if fig.kind in SOLID:  # solids keep clear of each other (points, segments may cross)
            grown = fig.region().buffer(0.5)
            if any(o.kind in SOLID and grown.intersects(o.region()) for o in figures):
                raise Rejected("overlap", f"{fig.name} overlaps another figure")
        figures.append(fig)
    return span, figures


def checked_relations(figures: list[GridFigure], span: int) -> list[dict[str, Any]]:
    """The relations a caption states (neighbours in drawing order, then every other line
    touching a circle), after the figures' facts and these relations are recomputed by a
    second path (Rejected where the two disagree)."""
    wrong = check.figure_mismatches(figures)
    if wrong:
        raise Rejected("fact_mismatch", wrong[0])
    close = near_misses(figures)
    if close:  # "A does not touch B", yet B's marker sits on A's stroke: redrawn
        raise Rejected("near_miss", close[0])
    stated = [(a, b, relation(a, b)) for a, b in itertools.pairwise(figures)]
    stated += [
        (a, b, "is tangent to")
        for i, a in enumerate(figures)
        for b in figures[i + 2 :]
        if {a.kind, b.kind} == {"line", "circle"} and relation(a, b) == "is tangent to"
    ]
    relations = [{"of": [a.name, b.name], "relation": how} for a, b, how in stated]
    # The same relations from the JSON a user reads (another path, other sampling): where
    # the two disagree, figures touch at a single point and no phrase is safe.
    lim = (-span - 1, span + 1)
    shapes = [f.to_json() for f in figures]
    wrong = check.relation_problems({"shapes": shapes, "relations": relations, "x_range": lim})
    if wrong:
        raise Rejected("fact_mismatch", wrong[0])
    return relations


class AnalyticGeometry(Generator):
    """Figures on a coordinate grid with exact captions (MAVIS's analytic-geometry domain)."""

    name = "analytic-geometry"
    domain = "analytic_geometry"
    Config = AnalyticGeometryConfig
    config: AnalyticGeometryConfig

    check_row = staticmethod(rowcheck.check_row)

    problem_kinds = ("instruct", "preference")
    text_languages = ("en", "zh")
    problem_languages = ("en", "zh")

    @classmethod
    def replay(cls, params: dict) -> list[dict]:
        figures = [GridFigure.from_json(shape) for shape in params["figures"]]
        checked_relations(figures, int(params["span"]))
        return [fact.to_json() for fig in figures for fact in fig.facts]

    def params(self, seed: int, index: int, attempt: int = 0) -> tuple[int, list[GridFigure]]:
        """The parameters of one attempt (the grid's half-width, its figures), from its
        params stream."""
        return sample_figures(stream(seed, self.name, index, "params", attempt), self.config)

    def attempt(self, seed: int, index: int, attempt: int, problems: bool = False) -> Sample:
        c = self.config
        span, figures = self.params(seed, index, attempt)
        relations = checked_relations(figures, span)
        lim = (-span - 1, span + 1)
        shapes = [f.to_json() for f in figures]

        style = sample_style(
            stream(seed, self.name, index, "style", attempt), c.image_size, c.grayscale_prob
        )
        dashed, dots, points = [], [], {}
        for fig in figures:
            p = fig.params
            if fig.kind in ("circle", "ellipse"):
                cx, cy = (float(v) for v in p["center"])
                dots.append((cx, cy))
                rx = float(p["radius"] if fig.kind == "circle" else p["a"])
                dashed.append(np.array([(cx, cy), (cx + rx, cy)]))
                if fig.kind == "ellipse":
                    dashed.append(np.array([(cx, cy), (cx, cy + float(p["b"]))]))
            elif fig.kind == "point":
                points[fig.name] = tuple(float(v) for v in p["at"])
        tags = {f.name: _name_anchor(f) for f in figures if f.kind != "point"}
        # Each name's own figure (a circle's centre with it), to place the name nearer it.
        owned = {
            f.name: [f.outline()]
            + ([np.array([f.params["center"]], float)] if f.kind in ("circle", "ellipse") else [])
            for f in figures
            if f.kind != "point"
        }
        spec = PlotSpec(
            tags=tags,
            tag_shapes=owned,
            xs=np.array([]),
            ys=np.array([]),
            x_range=lim,
            vertical=[],
            horizontal=[],
            points=points,
            title=None,
            y_range=lim,
            outlines=[f.outline() for f in figures if f.kind != "point"],
            dashed=dashed,
            dots=dots,
            label_format="{name}({x:g}, {y:g})",
        )
        # Laid out now (a name with no room rejects the attempt; the figure fields are final),
        # painted and worded only if a caption row is written.
        drawing, fields = sketch_plot(spec, style, c.image_size)
        figure = {
            **fields,
            "points": {k: list(v) for k, v in points.items()},
            "shapes": shapes,
            "relations": relations,
            "x_range": list(lim),
            "y_range": list(lim),
            "style": style.to_json(),
        }
        facts = [f.to_json() for fig in figures for f in fig.facts]

        def caption_parts() -> tuple[bytes, str, str]:
            png, _, _ = drawing.paint(c.png_level)
            caption = render_text(
                c.language,
                "analytic/caption.j2",
                stream(seed, self.name, index, "text", attempt),
                figures=[_describe(f) | _words(f) for f in figures]
                if c.language == "en"  # words the English captions add (Chinese: as it was)
                else [_describe(f) for f in figures],
                relations=relations,
                slopes=_slope_pairs(figures),
                count=_NUMBER_WORDS[min(len(figures), 7)],
                relation_words=RELATION_WORDS,
            )
            return png, caption, ""

        params = {"attempt": attempt, "span": span, "figures": shapes}
        sample = self.sample_made_later(seed, index, figure, facts, params, caption_parts)
        if problems:
            sample.problem_rows = problem_rows(
                sample=sample,
                figures=figures,
                describe=_describe,
                spec=spec,
                style=style,
                config=c,
                attempt=attempt,
            )
        return sample
