"""Questions about figures on a grid: area, perimeter, length, slope. The answer is a fact
of the figure (verified on its coordinates); the rationale shows the exact arithmetic;
distractors are typical mistakes."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

import numpy as np
import sympy as sp

from mavis_engine import exact
from mavis_engine.analytic.figures import (
    GridFigure,
    line_equation,
    parabola_equation,
    side_lengths,
    slope_intercept,
    square_term,
)
from mavis_engine.answers import (
    LETTERS,
    VERSIONS,
    answer_format,
    distractors_json,
    instruct_row,
    preference_row,
    target_json,
)
from mavis_engine.errors import Rejected
from mavis_engine.figure import Fact
from mavis_engine.render.plot import render_plot
from mavis_engine.rng import stream
from mavis_engine.text.env import render_text

EQUATIONS = ("circle", "ellipse", "line", "parabola")  # figures asked for their equation
RELATIONS = ("parallel", "perpendicular")  # of a new line through a point, to a drawn line


def _d(v: sp.Expr) -> str:
    return exact.display(v)


def _signed(v: sp.Expr) -> str:
    """``v`` ready to follow an operator: 3 − (−2), not 3 − -2."""
    return f"({_d(v)})" if v < 0 else _d(v)


def _num(v: sp.Expr) -> str:
    short = exact.nice(v)
    if v.is_Rational:
        return short
    return f"{short or exact.to_str(v)} ≈ {exact.decimal(exact.to_float(v))}"


def _pt(p) -> str:
    return f"({_d(p[0])}, {_d(p[1])})"


@dataclass
class GridProblem:
    """A question about one figure, its exact rationale, and typed mistakes."""

    figure: GridFigure
    fact: Fact
    question: str
    steps: list[str]
    mistakes: list[tuple[str, sp.Expr]]  # (mistake, value); texts for a categorical answer
    label: str | None = None  # a categorical answer (a point, an equation), else None


def _area(fig: GridFigure, fact: Fact) -> tuple[str, list[str], list]:
    p, n = fig.params, fig.name
    per = (
        next(f.exact for f in fig.facts if f.kind == "perimeter")
        if any(f.kind == "perimeter" for f in fig.facts)
        else None
    )
    if fig.kind in ("rectangle", "square"):
        w, h = p["width"], p["height"]
        steps = [
            f"{fig.kind.capitalize()} {n} is {_d(w)} wide and {_d(h)} tall: "
            f"area = {_d(w)} × {_d(h)} = {_num(fact.exact)}."
        ]
        wrong = [("perimeter instead of area", per), ("width plus height", w + h)]
    elif fig.kind == "triangle":
        (x1, y1), (x2, y2), (x3, y3) = p["vertices"]
        cross = (x2 - x1) * (y3 - y1) - (x3 - x1) * (y2 - y1)
        steps = [
            f"Shoelace formula with the vertices {_pt((x1, y1))}, {_pt((x2, y2))}, "
            f"{_pt((x3, y3))}: area = |(x2 − x1)(y3 − y1) − (x3 − x1)(y2 − y1)| / 2 = "
            f"|{_d(cross)}| / 2 = {_num(fact.exact)}."
        ]
        wrong = [("forgot the ½", 2 * fact.exact), ("perimeter instead of area", per)]
    elif fig.kind == "polygon":
        vs = p["vertices"]
        terms = [x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(vs, vs[1:] + vs[:1], strict=True)]
        steps = [
            "Shoelace formula, vertices in order: area = |Σ (x_i·y_(i+1) − x_(i+1)·y_i)| / 2 = "
            f"|{' + '.join(_signed(t) for t in terms)}| / 2 = {_num(fact.exact)}.",
        ]
        wrong = [("forgot the ½", 2 * fact.exact), ("perimeter instead of area", per)]
    elif fig.kind == "circle":
        r = p["radius"]
        steps = [f"Circle {n} has radius {_d(r)}: area = πr² = π·{_d(r)}² = {_num(fact.exact)}."]
        wrong = [("2πr instead of πr²", 2 * sp.pi * r), ("πd² with the diameter", 4 * fact.exact)]
    else:
        a, b = p["a"], p["b"]
        steps = [
            f"Ellipse {n} has semi-axes {_d(a)} and {_d(b)}: area = πab = "
            f"π·{_d(a)}·{_d(b)} = {_num(fact.exact)}."
        ]
        wrong = [("π(a + b) instead of πab", sp.pi * (a + b)), ("forgot π", a * b)]
    return f"the area of {fig.kind} {n}", steps, [w for w in wrong if w[1] is not None]


def _perimeter(fig: GridFigure, fact: Fact) -> tuple[str, list[str], list]:
    p, n = fig.params, fig.name
    area = next(f.exact for f in fig.facts if f.kind == "area")
    if fig.kind in ("rectangle", "square"):
        w, h = p["width"], p["height"]
        steps = [
            f"Perimeter = 2 × (width + height) = 2 × ({_d(w)} + {_d(h)}) = {_num(fact.exact)}."
        ]
        wrong = [("area instead of perimeter", area), ("half the perimeter", w + h)]
    elif fig.kind in ("triangle", "polygon"):
        sides = side_lengths(p["vertices"])
        steps = [
            f"Side lengths by the distance formula: {', '.join(_d(s) for s in sides)}.",
            f"Perimeter = {' + '.join(_d(s) for s in sides)} = {_num(fact.exact)}.",
        ]
        wrong = [("area instead of perimeter", area), ("one side left out", sum(sides[1:]))]
    else:
        r = p["radius"]
        steps = [f"Circumference = 2πr = 2π·{_d(r)} = {_num(fact.exact)}."]
        wrong = [("πr instead of 2πr", sp.pi * r), ("area instead", area)]
    return f"the perimeter of {fig.kind} {n}", steps, wrong


def _segment(fig: GridFigure, fact: Fact) -> tuple[str, list[str], list]:
    (x1, y1), (x2, y2) = fig.params.get("endpoints") or fig.params["through"]
    dx, dy = x2 - x1, y2 - y1
    if fact.kind == "length":
        steps = [
            f"Distance formula: √((x2 − x1)² + (y2 − y1)²) = √(({_d(dx)})² + ({_d(dy)})²) "
            f"= {_num(fact.exact)}."
        ]
        wrong = [
            ("forgot the square root", dx**2 + dy**2),
            ("added |Δx| and |Δy|", abs(dx) + abs(dy)),
            ("only the horizontal run", abs(dx)),
        ]
        return f"the length of segment {fig.name}", steps, wrong
    steps = [f"Slope = (y2 − y1) / (x2 − x1) = ({_d(dy)}) / ({_d(dx)}) = {_num(fact.exact)}."]
    wrong = [("sign error", -fact.exact), ("rise minus run", dy - dx)]
    if dy != 0:
        wrong.insert(0, ("run over rise", dx / dy))
    return f"the slope of {fig.kind} {fig.name}", steps, wrong


def point_text(x: sp.Expr, y: sp.Expr) -> str:
    return f"({_d(x)}, {_d(y)})"


def circle_equation(cx: sp.Expr, cy: sp.Expr, r2: sp.Expr) -> str:
    """(x − 2)² + (y + 1)² = 9."""
    return f"{square_term('x', cx)} + {square_term('y', cy)} = {_d(r2)}"


def ellipse_equation(cx: sp.Expr, cy: sp.Expr, a2: sp.Expr, b2: sp.Expr) -> str:
    """(x − 2)²/9 + (y + 1)²/4 = 1, with no "/1" under a unit semi-axis."""

    def term(v: str, c: sp.Expr, d: sp.Expr) -> str:
        return square_term(v, c) + ("" if d == 1 else f"/{_d(d)}")

    return f"{term('x', cx, a2)} + {term('y', cy, b2)} = 1"


def _midpoint(fig: GridFigure) -> GridProblem:
    (x1, y1), (x2, y2) = fig.params["endpoints"]
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    label = point_text(mx, my)
    steps = [
        f"Midpoint = ((x1 + x2)/2, (y1 + y2)/2) = (({_d(x1)} + {_d(x2)})/2, "
        f"({_d(y1)} + {_d(y2)})/2) = {label}."
    ]
    wrong = [
        ("half the difference", point_text((x2 - x1) / 2, (y2 - y1) / 2)),
        ("forgot to halve", point_text(x1 + x2, y1 + y2)),
        ("coordinates swapped", point_text(my, mx)),
        ("an endpoint given", point_text(x1, y1)),
    ]
    fact = Fact("midpoint", (fig.name,), sp.S.Zero)
    return GridProblem(fig, fact, f"the midpoint of segment {fig.name}", steps, wrong, label)


def _line_equation(fig: GridFigure) -> GridProblem:
    p, q = fig.params["through"]
    label = line_equation(p, q)
    (x1, y1), (x2, y2) = p, q
    if x1 == x2:
        steps = [f"Both points have x = {_d(x1)}: the line is vertical, {label}."]
        wrong = [
            ("x and y swapped", f"y = {_d(x1)}"),
            ("through the origin", "y = x"),
            ("the other coordinate taken", f"x = {_d(y1)}"),
        ]
    else:
        m, b = slope_intercept(p, q)
        steps = [
            f"Slope m = ({_d(y2)} − {_signed(y1)}) / ({_d(x2)} − {_signed(x1)}) = {_d(m)}.",
            f"Intercept b = y1 − m·x1 = {_d(y1)} − {_signed(m)}·{_signed(x1)} = {_d(b)}.",
            f"The equation is {label}.",
        ]
        wrong = [
            ("run over rise", line_equation((0, b), (m, b + 1)) if m != 0 else "x = 0"),
            ("sign of the intercept flipped", line_equation((0, -b), (1, m - b))),
            ("slope sign flipped", line_equation((0, b), (1, b - m))),
        ]
    return GridProblem(
        fig,
        Fact("equation", (fig.name,), sp.S.Zero),
        f"the equation of line {fig.name}",
        steps,
        wrong,
        label,
    )


def _equation(fig: GridFigure) -> GridProblem:
    if fig.kind == "line":
        return _line_equation(fig)
    if fig.kind == "ellipse":
        return _ellipse_equation(fig)
    if fig.kind == "parabola":
        return _parabola_equation(fig)
    (cx, cy), r = fig.params["center"], fig.params["radius"]
    label = circle_equation(cx, cy, r**2)
    steps = [
        f"A circle with centre (a, b) and radius r is (x − a)² + (y − b)² = r²; here "
        f"the centre is {point_text(cx, cy)} and r = {_d(r)}, so r² = {_d(r**2)}.",
        f"The equation is {label}.",
    ]
    wrong = [
        ("r instead of r²", circle_equation(cx, cy, r)),
        ("centre signs flipped", circle_equation(-cx, -cy, r**2)),
        ("2r instead of r²", circle_equation(cx, cy, 2 * r)),
    ]
    fact = Fact("equation", (fig.name,), sp.S.Zero)
    return GridProblem(fig, fact, f"the equation of circle {fig.name}", steps, wrong, label)


def through_point(line: dict, point: tuple, relation: str) -> str:
    """The equation of the line through ``point`` parallel or perpendicular to ``line``."""
    (x1, y1), (x2, y2) = line["through"]
    dx, dy = (x2 - x1, y2 - y1) if relation == "parallel" else (y1 - y2, x2 - x1)
    px, py = point
    return line_equation((px, py), (px + dx, py + dy))


def _through_point(rng: np.random.Generator, fig: GridFigure, relation: str) -> GridProblem:
    span = int(fig.params["span"])
    point = tuple(sp.Integer(int(v)) for v in rng.integers(-span + 1, span, size=2))
    (x1, y1), (x2, y2) = fig.params["through"]
    if (x2 - x1) * (point[1] - y1) == (y2 - y1) * (point[0] - x1):
        raise Rejected("no_question", "the point lies on the line")
    label = through_point(fig.params, point, relation)
    other = "perpendicular" if relation == "parallel" else "parallel"
    if x1 == x2 or y1 == y2:  # vertical or horizontal: the answer is x = c or y = c
        turned = (x1 == x2) != (relation == "perpendicular")
        rule = f"A line {relation} to line {fig.name} is {'vertical' if turned else 'horizontal'}"
    else:
        m, _ = slope_intercept(*fig.params["through"])
        slope = (
            f"the same slope {_d(m)}" if relation == "parallel" else f"slope −1/m = {_d(-1 / m)}"
        )
        rule = f"Line {fig.name} has slope m = {_d(m)}; a {relation} line has {slope}"
    steps = [f"{rule}, and it passes through {point_text(*point)}."]
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
        f"the equation of the line through {point_text(*point)} {relation} to line {fig.name}",
        steps,
        wrong,
        label,
    )


def _parabola_equation(fig: GridFigure) -> GridProblem:
    (h, k), a = fig.params["vertex"], fig.params["a"]
    label = parabola_equation(a, h, k)
    steps = [
        f"In vertex form y = a(x − h)² + k with vertex {point_text(h, k)}: "
        f"y = a{square_term('x', h)}{'' if k == 0 else f' + {_signed(k)}'}.",
        f"It passes through {point_text(h + 1, k + a)}, one unit right of the vertex, "
        f"so a·1² = {_d(k + a)} − {_signed(k)} = {_d(a)}.",
    ]
    wrong = [
        ("vertex x sign flipped", parabola_equation(a, -h, k)),
        ("opening factor's sign flipped", parabola_equation(-a, h, k)),
        ("vertex height sign flipped", parabola_equation(a, h, -k)),
        ("a left out", parabola_equation(sp.S.One, h, k)),
    ]
    fact = Fact("equation", (fig.name,), sp.S.Zero)
    return GridProblem(fig, fact, f"the equation of parabola {fig.name}", steps, wrong, label)


def _ellipse_equation(fig: GridFigure) -> GridProblem:
    (cx, cy), a, b = fig.params["center"], fig.params["a"], fig.params["b"]
    label = ellipse_equation(cx, cy, a**2, b**2)
    steps = [
        "An ellipse with centre (h, k), horizontal semi-axis a and vertical semi-axis b is "
        f"(x − h)²/a² + (y − k)²/b² = 1; here the centre is {point_text(cx, cy)}, "
        f"a = {_d(a)} and b = {_d(b)}, so a² = {_d(a**2)} and b² = {_d(b**2)}.",
        f"The equation is {label}.",
    ]
    wrong = [
        ("a and b instead of a² and b²", ellipse_equation(cx, cy, a, b)),
        ("centre signs flipped", ellipse_equation(-cx, -cy, a**2, b**2)),
        ("semi-axes swapped", ellipse_equation(cx, cy, b**2, a**2)),
        ("2a and 2b instead of a² and b²", ellipse_equation(cx, cy, 2 * a, 2 * b)),
    ]
    fact = Fact("equation", (fig.name,), sp.S.Zero)
    return GridProblem(fig, fact, f"the equation of ellipse {fig.name}", steps, wrong, label)


def make(rng: np.random.Generator, figures: list[GridFigure]) -> GridProblem:
    """One question about one figure of the diagram."""
    options = [
        (fig, f)
        for fig in figures
        for f in fig.facts
        if f.kind in ("area", "perimeter", "length", "slope")
        and not (fig.kind == "line" and f.kind != "slope")
    ]
    options += [(fig, "midpoint") for fig in figures if fig.kind == "segment"]
    options += [(fig, "equation") for fig in figures if fig.kind in EQUATIONS]
    options += [(fig, rel) for fig in figures if fig.kind == "line" for rel in RELATIONS]
    if not options:
        raise Rejected("no_question", "only points on this grid")
    fig, fact = options[int(rng.integers(len(options)))]
    if fact == "midpoint":
        return _midpoint(fig)
    if fact == "equation":
        return _equation(fig)
    if fact in ("parallel", "perpendicular"):
        return _through_point(rng, fig, fact)
    if fact.kind == "area":
        question, steps, wrong = _area(fig, fact)
    elif fact.kind == "perimeter":
        question, steps, wrong = _perimeter(fig, fact)
    else:
        question, steps, wrong = _segment(fig, fact)
    return GridProblem(fig, fact, question, steps, wrong)


def _distractors(problem: GridProblem, count: int = 3) -> list[tuple[str, sp.Expr, str]]:
    if problem.label is not None:  # categorical: the mistakes are texts already
        seen, out = {problem.label}, []
        for name, text in problem.mistakes:
            if text not in seen:
                seen.add(text)
                out.append((text, None, name))
        if len(out) < count:
            raise Rejected("few_distractors", problem.question)
        return out[:count]
    key = problem.fact.value
    seen, out = {_d(problem.fact.exact)}, []
    extra = [
        ("off by one", problem.fact.exact + 1),
        ("doubled", 2 * problem.fact.exact),
        ("halved", problem.fact.exact / 2),
    ]
    for name, value in [*problem.mistakes, *extra]:
        v = exact.to_float(value)
        text = _d(value)
        if abs(v - key) <= 1e-9 * max(1, abs(key)) or text in seen:
            continue
        seen.add(text)
        out.append((text, value, name))
        if len(out) == count:
            return out
    raise Rejected("few_distractors", problem.question)


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
    seed: int,
    index: int,
    attempt: int,
    choice_ratio: float,
    image_size: int,
    png_level: int,
    language: str,
) -> dict[str, list[dict]]:
    """The five instruct rows and the preference row of one grid's question."""
    rng = stream(seed, sample.generator, index, "problem", attempt)
    problem = make(rng, figures)
    multiple_choice, slot = answer_format(seed, index, choice_ratio)
    wrong = _distractors(problem)
    key_text = problem.label or _d(problem.fact.exact)
    shown = problem.label or _num(problem.fact.exact)
    options = [*wrong[:slot], (key_text, problem.fact.exact, None), *wrong[slot:]]
    choices = [{"letter": letter, "text": o[0]} for letter, o in zip(LETTERS, options, strict=True)]
    closing = LETTERS[slot] if multiple_choice else key_text
    lines = [*problem.steps, f"So {problem.question} is {shown}."]
    rationale = "\n".join([*lines, f"Answer: {closing}"])
    words = stream(seed, sample.generator, index, "problem_text", attempt)
    target = problem.figure

    def text(version: str, with_choices: bool = True) -> str:
        return render_text(
            language,
            "analytic/problem.j2",
            words,
            version=version,
            figures=[describe(f) for f in figures],
            target=describe(target),
            question=problem.question,
            choices=choices if multiple_choice and with_choices else None,
        )

    marked = replace(spec, points={**spec.points, **_marks(target)}, label_format="({x:g}, {y:g})")
    images: dict = {}

    def image(which, footer=None):
        key = (id(which), footer)
        if key not in images:
            png, fields = render_plot(which, style, image_size, png_level, footer=footer)
            images[key] = (png, {**sample.figure, **fields})
        return images[key]

    common = {
        "problem_id": sample.id,
        "choices": [c["text"] for c in choices] if multiple_choice else [],
        "answer": closing,
        # A categorical answer (a point, an equation) has no numeric value: NaN.
        "answer_value": problem.fact.value if problem.label is None else float("nan"),
        "answer_exact": problem.label or exact.to_str(problem.fact.exact),
        "target": target_json(problem.fact.kind, problem.fact.of, **dict(problem.fact.where)),
        "rationale": rationale,
        "givens": json.dumps([target.to_json()]),
        "distractors": distractors_json([(o[0], o[2]) for o in options], multiple_choice),
    }
    out = []
    for version in VERSIONS:
        if version == "vision_only":
            question = render_text(language, "plane/vision_only.j2", words)
            png, fig = image(marked, text("vision_dominant"))
        else:
            question = text(version)
            png, fig = image(marked if version in ("vision_intensive", "vision_dominant") else spec)
        out.append(instruct_row(sample, fig, png, version, question, rationale, common))
    bad_text, bad_value, mistake = wrong[0]
    bad_shown = bad_text if problem.label is not None else _num(bad_value)
    rejected = [
        *problem.steps[:-1],
        f"This gives {bad_shown}.",
        f"So {problem.question} is {bad_shown}.",
        f"Answer: {bad_text}",
    ]
    png, fig = image(spec)
    chosen = "\n".join([*lines, f"Answer: {key_text}"])
    prompt = text("text_dominant", False)
    preference = preference_row(sample, fig, png, prompt, chosen, "\n".join(rejected), mistake)
    return {"instruct": out, "preference": [preference]}
