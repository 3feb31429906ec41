"""Questions about figures on a grid: measures (area, perimeter, length, slope) and texts
(midpoint, equations, parallel and perpendicular lines) of one figure here, questions
between figures in ``pairs``; which kind to ask, and the five instruct rows and the
preference row of the question. Rationales show the exact arithmetic; distractors are
typical mistakes; each answer is recomputed from the row's JSON before it is written."""

from __future__ import annotations

import itertools
from dataclasses import replace
from functools import partial

import numpy as np
import sympy as sp

from mavis_engine import exact
from mavis_engine.analytic import pairs
from mavis_engine.analytic.figures import (
    SOLID,
    GridFigure,
    circle_equation,
    ellipse_equation,
    line_equation,
    parabola_equation,
    relation,
    side_lengths,
    slope_intercept,
    square_term,
    through_point,
)
from mavis_engine.analytic.phrases import AND, PHRASES, figure_name, kinds
from mavis_engine.analytic.question import GridProblem, d, num, point_text, pt, signed
from mavis_engine.analytic.rowcheck import instruct_problems
from mavis_engine.answers import (
    rejected_rationale,
    row_json,
    target_json,
    text_options,
    value_options,
)
from mavis_engine.errors import Rejected
from mavis_engine.figure import Fact
from mavis_engine.problem_rows import WorkedProblem, answered, five_questions, problem_rows
from mavis_engine.render.plot import render_plot
from mavis_engine.text.env import render_text
from mavis_engine.text.signs import tidy_signs

EQUATIONS = ("circle", "ellipse", "line", "parabola")  # figures asked for their equation
RELATIONS = ("parallel", "perpendicular")  # of a new line through a point, to a drawn line
BETWEEN = ("intersection", "distance", "contains", "position")  # about two or more figures
QUESTIONS = (
    "area",
    "perimeter",
    "length",
    "slope",
    "midpoint",
    "equation",
    *RELATIONS,
    *BETWEEN,
)


def _area(fig: GridFigure, fact: Fact, lang: str = "en") -> tuple[str, list[str], list]:
    p, n, w = fig.params, fig.name, PHRASES[lang]
    per = (
        next(f.exact for f in fig.facts if f.kind == "perimeter")
        if any(f.kind == "perimeter" for f in fig.facts)
        else None
    )
    value = num(fact.exact)
    if fig.kind in ("rectangle", "square"):
        wd, h = p["width"], p["height"]
        steps = [w["area.rect"].format(**kinds(fig.kind, lang), n=n, w=d(wd), h=d(h), value=value)]
        wrong = [("perimeter instead of area", per), ("width plus height", wd + h)]
    elif fig.kind == "triangle":
        (x1, y1), (x2, y2), (x3, y3) = p["vertices"]
        cross = (x2 - x1) * (y3 - y1) - (x3 - x1) * (y2 - y1)
        steps = [
            w["area.triangle"].format(
                v1=pt((x1, y1)), v2=pt((x2, y2)), v3=pt((x3, y3)), cross=d(cross), value=value
            )
        ]
        wrong = [("forgot the ½", 2 * fact.exact), ("perimeter instead of area", per)]
    elif fig.kind == "polygon":
        vs = p["vertices"]
        terms = [x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(vs, vs[1:] + vs[:1], strict=True)]
        steps = [
            w["area.polygon"].format(terms=" + ".join(signed(t) for t in terms), value=value),
        ]
        wrong = [("forgot the ½", 2 * fact.exact), ("perimeter instead of area", per)]
    elif fig.kind == "circle":
        r = p["radius"]
        steps = [w["area.circle"].format(n=n, r=d(r), value=value)]
        wrong = [("2πr instead of πr²", 2 * sp.pi * r), ("πd² with the diameter", 4 * fact.exact)]
    else:
        a, b = p["a"], p["b"]
        steps = [w["area.ellipse"].format(n=n, a=d(a), b=d(b), value=value)]
        wrong = [("π(a + b) instead of πab", sp.pi * (a + b)), ("forgot π", a * b)]
    question = w["area.question"].format(**kinds(fig.kind, lang), n=n)
    return question, steps, [m for m in wrong if m[1] is not None]


def _perimeter(fig: GridFigure, fact: Fact, lang: str = "en") -> tuple[str, list[str], list]:
    p, n, w = fig.params, fig.name, PHRASES[lang]
    area = next(f.exact for f in fig.facts if f.kind == "area")
    value = num(fact.exact)
    if fig.kind in ("rectangle", "square"):
        wd, h = p["width"], p["height"]
        steps = [w["perimeter.rect"].format(w=d(wd), h=d(h), value=value)]
        wrong = [("area instead of perimeter", area), ("half the perimeter", wd + h)]
    elif fig.kind in ("triangle", "polygon"):
        sides = side_lengths(p["vertices"])
        steps = [
            w["perimeter.sides"].format(sides=w["list"].join(d(s) for s in sides)),
            w["perimeter.sum"].format(terms=" + ".join(d(s) for s in sides), value=value),
        ]
        wrong = [("area instead of perimeter", area), ("one side left out", sum(sides[1:]))]
    else:
        r = p["radius"]
        steps = [w["perimeter.circle"].format(r=d(r), value=value)]
        wrong = [("πr instead of 2πr", sp.pi * r), ("area instead", area)]
    asked = "perimeter.circle_question" if fig.kind == "circle" else "perimeter.question"
    return w[asked].format(**kinds(fig.kind, lang), n=n), steps, wrong


def _segment(fig: GridFigure, fact: Fact, lang: str = "en") -> tuple[str, list[str], list]:
    w = PHRASES[lang]
    (x1, y1), (x2, y2) = fig.params.get("endpoints") or fig.params["through"]
    dx, dy = x2 - x1, y2 - y1
    if fact.kind == "length":
        steps = [w["length.step"].format(dx=d(dx), dy=d(dy), value=num(fact.exact))]
        wrong = [
            ("forgot the square root", dx**2 + dy**2),
            ("added |Δx| and |Δy|", abs(dx) + abs(dy)),
            ("only the horizontal run", abs(dx)),
        ]
        return w["length.question"].format(n=fig.name), steps, wrong
    steps = [w["slope.step"].format(dy=d(dy), dx=d(dx), value=num(fact.exact))]
    wrong = [("sign error", -fact.exact), ("rise minus run", dy - dx)]
    if dy != 0:
        wrong.insert(0, ("run over rise", dx / dy))
    return w["slope.question"].format(**kinds(fig.kind, lang), n=fig.name), steps, wrong


def _midpoint(fig: GridFigure, lang: str = "en") -> GridProblem:
    w = PHRASES[lang]
    (x1, y1), (x2, y2) = fig.params["endpoints"]
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    label = point_text(mx, my)
    steps = [w["midpoint.step"].format(x1=d(x1), x2=d(x2), y1=d(y1), y2=d(y2), label=label)]
    wrong = [
        ("half the difference", point_text((x2 - x1) / 2, (y2 - y1) / 2)),
        ("forgot to halve", point_text(x1 + x2, y1 + y2)),
        ("coordinates swapped", point_text(my, mx)),
        ("an endpoint given", point_text(x1, y1)),
    ]
    fact = Fact("midpoint", (fig.name,), sp.S.Zero)
    question = w["midpoint.question"].format(n=fig.name)
    return GridProblem(fig, fact, question, steps, wrong, label)


def _equation_question(fig: GridFigure, lang: str) -> str:
    return PHRASES[lang]["equation.question"].format(**kinds(fig.kind, lang), n=fig.name)


def _line_equation(fig: GridFigure, lang: str = "en") -> GridProblem:
    w = PHRASES[lang]
    p, q = fig.params["through"]
    label = line_equation(p, q)
    (x1, y1), (x2, y2) = p, q
    if x1 == x2:
        steps = [w["line.vertical"].format(x1=d(x1), label=label)]
        wrong = [
            ("x and y swapped", f"y = {d(x1)}"),
            ("through the origin", "y = x"),
            ("the other coordinate taken", f"x = {d(y1)}"),
        ]
    else:
        m, b = slope_intercept(p, q)
        steps = [
            w["line.slope"].format(y2=d(y2), y1=signed(y1), x2=d(x2), x1=signed(x1), m=d(m)),
            w["line.intercept"].format(y1=d(y1), m=signed(m), x1=signed(x1), b=d(b)),
            w["equation.is"].format(label=label),
        ]
        wrong = [
            ("run over rise", line_equation((0, b), (m, b + 1)) if m != 0 else "x = 0"),
            ("sign of the intercept flipped", line_equation((0, -b), (1, m - b))),
            ("slope sign flipped", line_equation((0, b), (1, b - m))),
        ]
    return GridProblem(
        fig,
        Fact("equation", (fig.name,), sp.S.Zero),
        _equation_question(fig, lang),
        steps,
        wrong,
        label,
    )


def _equation(fig: GridFigure, lang: str = "en") -> GridProblem:
    if fig.kind == "line":
        return _line_equation(fig, lang)
    if fig.kind == "ellipse":
        return _ellipse_equation(fig, lang)
    if fig.kind == "parabola":
        return _parabola_equation(fig, lang)
    w = PHRASES[lang]
    (cx, cy), r = fig.params["center"], fig.params["radius"]
    label = circle_equation(cx, cy, r**2)
    steps = [
        w["circle.rule"].format(c=point_text(cx, cy), r=d(r), r2=d(r**2)),
        w["equation.is"].format(label=label),
    ]
    wrong = [
        ("r instead of r²", circle_equation(cx, cy, r)),
        ("centre signs flipped", circle_equation(-cx, -cy, r**2)),
        ("2r instead of r²", circle_equation(cx, cy, 2 * r)),
    ]
    fact = Fact("equation", (fig.name,), sp.S.Zero)
    return GridProblem(fig, fact, _equation_question(fig, lang), steps, wrong, label)


def _through_point(
    rng: np.random.Generator, fig: GridFigure, relation: str, lang: str = "en"
) -> GridProblem:
    w = PHRASES[lang]
    span = int(fig.params["span"])
    point = tuple(sp.Integer(int(v)) for v in rng.integers(-span + 1, span, size=2))
    (x1, y1), (x2, y2) = fig.params["through"]
    if (x2 - x1) * (point[1] - y1) == (y2 - y1) * (point[0] - x1):
        raise Rejected("no_question", "the point lies on the line")
    label = through_point(fig.params, point, relation)
    other = "perpendicular" if relation == "parallel" else "parallel"
    if x1 == x2 or y1 == y2:  # vertical or horizontal: the answer is x = c or y = c
        turned = (x1 == x2) != (relation == "perpendicular")
        way = w["vertical" if turned else "horizontal"]
        rule = w["through.axis"].format(relation=w[relation], n=fig.name, way=way)
    else:
        m, _ = slope_intercept(*fig.params["through"])
        slope = (
            w["through.same"].format(m=d(m))
            if relation == "parallel"
            else w["through.normal"].format(m=d(-1 / m))
        )
        rule = w["through.slope"].format(n=fig.name, m=d(m), relation=w[relation], slope=slope)
    steps = [w["through.point"].format(rule=rule, p=point_text(*point))]
    negated = {"through": [(x1, y1), (x2, 2 * y1 - y2)]}  # the rise reversed
    wrong = [
        (f"{other} instead of {relation}", through_point(fig.params, point, other)),
        ("slope negated only", through_point(negated, point, "parallel")),
        ("the given line itself", line_equation((x1, y1), (x2, y2))),
        ("point's coordinates swapped", through_point(fig.params, point[::-1], relation)),
    ]
    where = (("through", [float(v) for v in point]),)
    return GridProblem(
        fig,
        Fact(relation, (fig.name,), sp.S.Zero, where),
        w["through.question"].format(p=point_text(*point), relation=w[relation], n=fig.name),
        steps,
        wrong,
        label,
    )


def _parabola_equation(fig: GridFigure, lang: str = "en") -> GridProblem:
    w = PHRASES[lang]
    (h, k), a = fig.params["vertex"], fig.params["a"]
    label = parabola_equation(a, h, k)
    steps = [
        w["parabola.form"].format(
            v=point_text(h, k),
            square=square_term("x", h),
            k="" if k == 0 else f" + {signed(k)}",
        ),
        w["parabola.a"].format(p=point_text(h + 1, k + a), y=d(k + a), k=signed(k), a=d(a)),
    ]
    wrong = [
        ("vertex x sign flipped", parabola_equation(a, -h, k)),
        ("opening factor's sign flipped", parabola_equation(-a, h, k)),
        ("vertex height sign flipped", parabola_equation(a, h, -k)),
        ("a left out", parabola_equation(sp.S.One, h, k)),
    ]
    fact = Fact("equation", (fig.name,), sp.S.Zero)
    return GridProblem(fig, fact, _equation_question(fig, lang), steps, wrong, label)


def _ellipse_equation(fig: GridFigure, lang: str = "en") -> GridProblem:
    w = PHRASES[lang]
    (cx, cy), a, b = fig.params["center"], fig.params["a"], fig.params["b"]
    label = ellipse_equation(cx, cy, a**2, b**2)
    steps = [
        w["ellipse.rule"].format(c=point_text(cx, cy), a=d(a), b=d(b), a2=d(a**2), b2=d(b**2)),
        w["equation.is"].format(label=label),
    ]
    wrong = [
        ("a and b instead of a² and b²", ellipse_equation(cx, cy, a, b)),
        ("centre signs flipped", ellipse_equation(-cx, -cy, a**2, b**2)),
        ("semi-axes swapped", ellipse_equation(cx, cy, b**2, a**2)),
        ("2a and 2b instead of a² and b²", ellipse_equation(cx, cy, 2 * a, 2 * b)),
    ]
    fact = Fact("equation", (fig.name,), sp.S.Zero)
    return GridProblem(fig, fact, _equation_question(fig, lang), steps, wrong, label)


def make(
    rng: np.random.Generator,
    figures: list[GridFigure],
    span: int,
    asked: tuple[str, ...],
    language: str = "en",
) -> GridProblem:
    """One question about the diagram, of a kind in ``asked``: a measure or equation of one
    figure, or how two figures meet or sit; worded in ``language``."""
    problem = _make(rng, figures, span, asked, language)
    if problem.concluded is None:  # "So <question> is <answer>."
        problem.concluded = PHRASES[language]["so"].format(question=problem.question)
    return problem


def _make(
    rng: np.random.Generator,
    figures: list[GridFigure],
    span: int,
    asked: tuple[str, ...],
    lang: str,
) -> GridProblem:
    lines = [f for f in figures if f.kind == "line"]
    circles = [f for f in figures if f.kind == "circle"]
    options = [  # (question kind, what it is about)
        *(
            (f.kind, (fig, f))
            for fig in figures
            for f in fig.facts
            if f.kind in ("area", "perimeter", "length", "slope")
            and not (fig.kind == "line" and f.kind != "slope")
        ),
        *(("midpoint", fig) for fig in figures if fig.kind == "segment"),
        *(("equation", fig) for fig in figures if fig.kind in EQUATIONS),
        *((r, fig) for fig in lines for r in RELATIONS),
        *(("distance", (a, b)) for a in lines for b in circles),
        *(
            ("intersection", (a, b))
            for a in lines
            for b in circles
            if pairs.short_intersection(a, b)
        ),
        *(
            ("position", (a, b))
            for a, b in itertools.pairwise(figures)
            if relation(a, b) in pairs.DIRECTIONS and pairs.one_side(a, b)
        ),
    ]
    if sum(f.kind in SOLID for f in figures) >= 2:  # enough figures for four options
        options.append(("contains", None))
    options = [(kind, about) for kind, about in options if kind in asked]
    if not options:
        raise Rejected("no_question", "no question of the asked kinds fits this grid")
    # The kind of question first, then which figure, so that rare kinds are asked as often
    # as common ones; questions between figures (when there are any) half of the time.
    kinds = sorted({kind for kind, _ in options})
    between = [k for k in kinds if k in BETWEEN]
    if between and (len(between) == len(kinds) or rng.random() < 0.5):
        kinds = between
    else:
        kinds = [k for k in kinds if k not in BETWEEN]
    kind = kinds[int(rng.integers(len(kinds)))]
    chosen = [about for k, about in options if k == kind]
    about = chosen[int(rng.integers(len(chosen)))]
    if kind == "intersection":
        return pairs.intersection(*about, lang)
    if kind == "distance":
        return pairs.centre_distance(*about, lang)
    if kind == "contains":
        return pairs.containment(rng, figures, span, lang)
    if kind == "position":
        return pairs.position(*about, lang)
    if kind == "midpoint":
        return _midpoint(about, lang)
    if kind == "equation":
        return _equation(about, lang)
    if kind in RELATIONS:
        return _through_point(rng, about, kind, lang)
    fig, fact = about
    if fact.kind == "area":
        question, steps, wrong = _area(fig, fact, lang)
    elif fact.kind == "perimeter":
        question, steps, wrong = _perimeter(fig, fact, lang)
    else:
        question, steps, wrong = _segment(fig, fact, lang)
    return GridProblem(fig, fact, question, steps, wrong)


def _distractors(problem: GridProblem, count: int = 3) -> list[tuple[str, sp.Expr, str]]:
    if problem.label is not None:  # categorical: the mistakes are texts already
        return text_options(problem.label, problem.mistakes, problem.question, count)
    extra = [
        ("off by one", problem.fact.exact + 1),
        ("doubled", 2 * problem.fact.exact),
        ("halved", problem.fact.exact / 2),
    ]
    key = (d(problem.fact.exact), problem.fact.value)
    return value_options(key, [*problem.mistakes, *extra], d, 1e-9, problem.question, count)


def _marks(fig: GridFigure) -> dict[str, tuple[float, float]]:
    """The coordinates a vision version shows: vertices, endpoints, centre and rim point."""
    p = fig.params
    if fig.kind in ("triangle", "polygon"):
        pts = p["vertices"]
    elif fig.kind == "segment":
        pts = p["endpoints"]
    elif fig.kind == "line":
        pts = p["through"]
    elif fig.kind == "parabola":
        (h, k), a = p["vertex"], p["a"]
        pts = [(h, k), (h + 1, k + a)]
    elif fig.kind in ("rectangle", "square"):
        (x, y), w, h = p["corner"], p["width"], p["height"]
        pts = [(x, y), (x + w, y + h)]
    elif fig.kind == "circle":
        (cx, cy), r = p["center"], p["radius"]
        pts = [(cx, cy), (cx + r, cy)]
    else:
        (cx, cy), a, b = p["center"], p["a"], p["b"]
        pts = [(cx, cy), (cx + a, cy), (cx, cy + b)]
    return {f"{fig.name}{i + 1}": (float(px), float(py)) for i, (px, py) in enumerate(pts)}


def rows(
    *,
    sample,
    figures: list[GridFigure],
    describe,
    spec,
    style,
    config,
    attempt: int,
) -> dict[str, list[dict]]:
    """The five instruct rows and the preference row of one grid's question (``config``: the
    generator's settings)."""
    lang = config.language
    rng = sample.stream("problem", attempt)
    problem = make(rng, figures, int(sample.params["span"]), config.questions, lang)
    # Worked arithmetic as a teacher writes it: "7 + 7", not "7 − (-7)".
    problem = replace(problem, steps=[tidy_signs(s, "−") for s in problem.steps])
    wrong = _distractors(problem)
    key_text = problem.label or d(problem.fact.exact)
    shown = problem.label or num(problem.fact.exact)
    lines = [*problem.steps, problem.conclude(shown)]
    words = sample.stream("problem_text", attempt)
    needs = [problem.figure] if problem.needs is None else problem.needs

    def text(version: str, choices: list[dict] | None = None) -> str:
        return render_text(
            lang,
            "analytic/problem.j2",
            words,
            version=version,
            figures=[describe(f) for f in figures],
            needs=[describe(f) for f in needs],
            shown=AND[lang].join(figure_name(f.kind, f.name, lang) for f in needs),
            question=problem.question,
            asked=problem.asked,
            choices=choices,
        )

    # Key points are labelled where the coordinates are read off the image.
    marks = {k: v for f in needs for k, v in _marks(f).items()} | problem.marks
    looks = {
        "plain": spec,
        # A point keeps its letter beside its coordinates ("B(-5, -3)"): the question names
        # it; marks like "A1" show only their coordinates (the plot drops longer names).
        "marked": replace(
            spec, points={**spec.points, **marks}, label_format="{name}({x:g}, {y:g})"
        ),
    }

    def draw(look: str, footer: str | None) -> tuple[bytes, dict]:
        png, fields = render_plot(
            looks[look], style, config.image_size, config.png_level, footer=footer
        )
        return png, {**sample.figure, **fields}

    def rejected() -> tuple[str, str]:
        bad_text, bad_value, mistake = wrong[0]
        bad_shown = bad_text if problem.label is not None else num(bad_value)
        conclusion = problem.conclude(bad_shown)
        return rejected_rationale(problem.steps, bad_shown, conclusion, bad_text, lang), mistake

    worked = WorkedProblem(
        key=(key_text, problem.fact.exact),
        answer=key_text,
        wrong=wrong,
        # A categorical answer (a point, an equation) has no numeric value: NaN.
        value=problem.fact.value if problem.label is None else float("nan"),
        exact_text=problem.label or exact.to_str(problem.fact.exact),
        target=target_json(problem.fact.kind, problem.fact.of, **dict(problem.fact.where)),
        givens=row_json([f.to_json() for f in needs]),
        rationale=answered(lines, lang),
        rejected=rejected,
        questions=partial(five_questions, lang, words, text),
        prompt=lambda: text("text_dominant"),
        view=lambda version: "plain" if version in ("text_dominant", "text_lite") else "marked",
        draw=draw,
        # The answer recomputed from the row's JSON alone, as `verify` does it.
        recheck=lambda row: instruct_problems({**row, "language": lang}),
    )
    return problem_rows(sample, worked, config.choice_ratio)
