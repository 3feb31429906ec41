"""The formula library: exact relations between the measures of one shape.

A Template is a SymPy expression equal to zero over role symbols (angles in degrees),
solvable for any of its roles (solutions are cached per role). A Formula binds a template's
roles to the quantities (fact keys) of one shape of a figure.

Solving is the slow part of a problem (``sympy.solve``: tens of milliseconds a role), so the
library ships solved: ``solved_formulas.json`` holds every solution, written by
``python -m mavis_engine.plane.solved`` and checked by a test that solves everything again.
A template missing from it (a new one, before the table is regenerated) is solved here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import sympy as sp

from mavis_engine.figure import Figure, Segment, Shape

Q = tuple[str, tuple[str, ...]]  # a quantity: (fact kind, of), normalised by qkey


def qkey(kind: str, of: tuple[str, ...] | list[str]) -> Q:
    """Normalised quantity key: lengths unordered, angles with their rays unordered."""
    of = tuple(of)
    if kind == "length":
        return kind, tuple(sorted(of))
    if kind == "angle":
        a, v, b = of
        return kind, (min(a, b), v, max(a, b))
    return kind, of


def _sym(name: str) -> sp.Symbol:
    return sp.Symbol(name, positive=True)


def _deg(x: sp.Expr) -> sp.Expr:
    return sp.pi * x / 180


@dataclass(frozen=True)
class Template:
    """A relation ``expr == 0`` between named roles, with the reason a rationale gives."""

    name: str
    expr: sp.Expr
    roles: tuple[str, ...]
    angles: tuple[str, ...] = ()  # roles measured in degrees (branch choice, mistakes)
    acute: tuple[str, ...] = ()  # angle roles the shape keeps under 90° (a right triangle's)

    @property
    def is_equality(self) -> bool:
        """``x = y``: a property, not a computation (a weak last step for a question)."""
        return len(self.roles) == 2 and self.expr == _sym(self.roles[0]) - _sym(self.roles[1])

    def symbol(self, role: str) -> sp.Symbol:
        return _sym(role)

    def solve(self, role: str) -> tuple[sp.Expr, ...]:
        """Every solution for ``role`` (positive roles; angle branches kept)."""
        return _solve(self, role)


SOLVED_PATH = Path(__file__).with_name("solved_formulas.json")


@cache
def _solved_table() -> dict[tuple[str, str], list[str]]:
    """(srepr of a template's expression, role) -> its solutions, each as srepr."""
    entries = json.loads(SOLVED_PATH.read_text(encoding="utf-8"))["solutions"]
    return {(e["expr"], e["role"]): e["solutions"] for e in entries}


def _from_srepr(text: str) -> sp.Expr:
    # The table's own srepr text: constructors only (Symbol, Integer, Mul, sin, pi, ...).
    return eval(text, {"__builtins__": {}}, vars(sp))


@cache
def _solve(template: Template, role: str) -> tuple[sp.Expr, ...]:
    # Keyed by the expression itself, so an edited formula misses (and is solved) rather
    # than reading a stale entry.
    if role == "S" and template in _SUMS:
        # What sympy.solve gives for ``S - (q0 + q1 + ...)``, built directly (the test
        # compares them): sums come in every length, too many to tabulate.
        return (sp.Add(*(_sym(r) for r in template.roles[1:])),)
    found = _solved_table().get((sp.srepr(template.expr), role))
    if found is not None:
        return tuple(_from_srepr(text) for text in found)
    return solve_now(template, role)


def solve_now(template: Template, role: str) -> tuple[sp.Expr, ...]:
    """Every solution for ``role`` from ``sympy.solve`` itself (what the table holds)."""
    return tuple(sp.solve(template.expr, _sym(role)))


def T(
    name: str, expr_fn: Callable[..., sp.Expr], roles: str, angles: str = "", acute: str = ""
) -> Template:
    """Build a template from a lambda over role symbols (roles: space-separated names)."""
    names = tuple(roles.split())
    return Template(
        name, expr_fn(*(_sym(n) for n in names)), names, tuple(angles.split()), tuple(acute.split())
    )


EQUAL_SIDES = {
    "square": T("all sides of a square are equal", lambda x, y: x - y, "x y"),
    "rectangle": T("opposite sides of a rectangle are equal", lambda x, y: x - y, "x y"),
    "parallelogram": T("opposite sides of a parallelogram are equal", lambda x, y: x - y, "x y"),
    "rhombus": T("all sides of a rhombus are equal", lambda x, y: x - y, "x y"),
    "equilateral_triangle": T(
        "all sides of an equilateral triangle are equal", lambda x, y: x - y, "x y"
    ),
    "isosceles_triangle": T(
        "the legs of an isosceles triangle are equal", lambda x, y: x - y, "x y"
    ),
    "sector": T("both radii of a sector are equal", lambda x, y: x - y, "x y"),
    "regular_polygon": T("all sides of a regular polygon are equal", lambda x, y: x - y, "x y"),
    "kite": T("a kite has two pairs of equal adjacent sides", lambda x, y: x - y, "x y"),
    "rect_semicircle": T("opposite sides of a rectangle are equal", lambda x, y: x - y, "x y"),
    "rect_triangle": T("opposite sides of a rectangle are equal", lambda x, y: x - y, "x y"),
    "trapezoid": T("the legs of an isosceles trapezoid are equal", lambda x, y: x - y, "x y"),
}
EQUILATERAL_SIDE = T("the triangle on the rectangle is equilateral", lambda x, y: x - y, "x y")
DIAMETER_SIDE = T("the semicircle's diameter is the rectangle's side", lambda x, y: x - y, "x y")

SQUARE_AREA = T("area of a square = side²", lambda A, x: A - x**2, "A x")
SQUARE_PERIMETER = T("perimeter of a square = 4 × side", lambda P, x: P - 4 * x, "P x")
RECT_AREA = T("area of a rectangle = length × width", lambda A, x, y: A - x * y, "A x y")
RECT_PERIMETER = T(
    "perimeter of a rectangle = 2 × (length + width)", lambda P, x, y: P - 2 * (x + y), "P x y"
)
PARA_AREA = T(
    "area of a parallelogram = a × b × sin(θ)",
    lambda A, x, y, t: A - x * y * sp.sin(_deg(t)),
    "A x y t",
    "t",
)
PARA_PERIMETER = T(
    "perimeter of a parallelogram = 2 × (a + b)", lambda P, x, y: P - 2 * (x + y), "P x y"
)
SUPPLEMENTARY = T(
    "adjacent angles of a parallelogram add up to 180°", lambda p, t: p + t - 180, "p t", "p t"
)
RHOMBUS_AREA = T(
    "area of a rhombus = side² × sin(θ)", lambda A, x, t: A - x**2 * sp.sin(_deg(t)), "A x t", "t"
)
RHOMBUS_PERIMETER = T("perimeter of a rhombus = 4 × side", lambda P, x: P - 4 * x, "P x")
TRAP_LEG = T(
    "leg of an isosceles trapezoid = (base − top) / (2 cos θ)",
    lambda g, x, y, t: g - (x - y) / (2 * sp.cos(_deg(t))),
    "g x y t",
    "t",
)
TRAP_AREA = T(
    "area of a trapezoid = (base + top) / 2 × height, height = (base − top)/2 × tan θ",
    lambda A, x, y, t: A - (x + y) * (x - y) * sp.tan(_deg(t)) / 4,
    "A x y t",
    "t",
)
TRAP_PERIMETER = T(
    "perimeter = base + top + 2 × leg", lambda P, x, y, g: P - (x + y + 2 * g), "P x y g"
)
PYTHAGORAS = T(
    "Pythagorean theorem: hypotenuse² = leg² + leg²", lambda c, a, b: c**2 - a**2 - b**2, "c a b"
)
# θ is an acute angle of a right triangle: of sin θ's two branches only one is its angle.
TANGENT = T(
    "tan(θ) = opposite / adjacent", lambda b, a, t: b - a * sp.tan(_deg(t)), "b a t", "t", "t"
)
COSINE = T(
    "cos(θ) = adjacent / hypotenuse", lambda a, c, t: a - c * sp.cos(_deg(t)), "a c t", "t", "t"
)
SINE = T(
    "sin(θ) = opposite / hypotenuse", lambda b, c, t: b - c * sp.sin(_deg(t)), "b c t", "t", "t"
)
RIGHT_AREA = T("area of a right triangle = leg × leg / 2", lambda A, a, b: A - a * b / 2, "A a b")
TRI_PERIMETER = T(
    "perimeter of a triangle = sum of its sides", lambda P, a, b, c: P - (a + b + c), "P a b c"
)
ACUTE_SUM = T(
    "the acute angles of a right triangle add up to 90°", lambda p, t: p + t - 90, "p t", "p t"
)
ISO_BASE = T(
    "base of an isosceles triangle = 2 × leg × sin(apex / 2)",
    lambda b, x, t: b - 2 * x * sp.sin(_deg(t) / 2),
    "b x t",
    "t",
)
ISO_AREA = T(
    "area of a triangle = ½ × a × b × sin(θ)",
    lambda A, x, t: A - x**2 * sp.sin(_deg(t)) / 2,
    "A x t",
    "t",
)
ISO_BASE_ANGLE = T(
    "base angles of an isosceles triangle = (180° − apex) / 2",
    lambda p, t: 2 * p + t - 180,
    "p t",
    "p t",
)
EQUI_AREA = T(
    "area of an equilateral triangle = √3/4 × side²", lambda A, x: A - sp.sqrt(3) / 4 * x**2, "A x"
)
EQUI_PERIMETER = T("perimeter of an equilateral triangle = 3 × side", lambda P, x: P - 3 * x, "P x")
SECTOR_ARC = T(
    "arc length = θ/360° × 2πr", lambda s, r, t: s - t / 360 * 2 * sp.pi * r, "s r t", "t"
)
SECTOR_AREA = T(
    "area of a sector = θ/360° × πr²", lambda A, r, t: A - t / 360 * sp.pi * r**2, "A r t", "t"
)
SECTOR_PERIMETER = T(
    "perimeter of a sector = 2r + arc length", lambda P, r, s: P - (2 * r + s), "P r s"
)
SECTOR_RADIUS = T("the radius of the sector is its straight side", lambda r, x: r - x, "r x")
SEMI_ARC = T("semicircle arc length = π × diameter / 2", lambda s, d: s - sp.pi * d / 2, "s d")
SEMI_RADIUS = T("radius = diameter / 2", lambda r, d: r - d / 2, "r d")
SEMI_OUT_AREA = T(
    "area = rectangle + semicircle = d × h + πd²/8",
    lambda A, d, h: A - (d * h + sp.pi * d**2 / 8),
    "A d h",
)
SEMI_IN_AREA = T(
    "area = rectangle − semicircle = d × h − πd²/8",
    lambda A, d, h: A - (d * h - sp.pi * d**2 / 8),
    "A d h",
)
SEMI_PERIMETER = T(
    "perimeter = d + 2h + semicircle arc (the side under the arc is removed)",
    lambda P, d, h, s: P - (d + 2 * h + s),
    "P d h s",
)
TRI_OUT_AREA = T(
    "area = rectangle + equilateral triangle = x × h + √3/4 × x²",
    lambda A, x, h: A - (x * h + sp.sqrt(3) / 4 * x**2),
    "A x h",
)
TRI_IN_AREA = T(
    "area = rectangle − equilateral triangle = x × h − √3/4 × x²",
    lambda A, x, h: A - (x * h - sp.sqrt(3) / 4 * x**2),
    "A x h",
)
TRI_RECT_PERIMETER = T(
    "perimeter = 3x + 2h (the side under the triangle is removed)",
    lambda P, x, h: P - (3 * x + 2 * h),
    "P x h",
)
KITE_PERIMETER = T("perimeter of a kite = 2 × (a + b)", lambda P, x, y: P - 2 * (x + y), "P x y")
CIRCLE_AREA = T("area of a circle = πr²", lambda A, r: A - sp.pi * r**2, "A r")
CIRCUMFERENCE = T("circumference = 2πr", lambda P, r: P - 2 * sp.pi * r, "P r")
IN_SQUARE = T("the inscribed circle of a square has radius side / 2", lambda r, x: r - x / 2, "r x")
IN_EQUI = T(
    "inradius of an equilateral triangle = √3/6 × side", lambda r, x: r - sp.sqrt(3) / 6 * x, "r x"
)
IN_RIGHT = T(
    "inradius of a right triangle = (a + b − c) / 2",
    lambda r, a, b, c: r - (a + b - c) / 2,
    "r a b c",
)
IN_RHOMBUS = T(
    "inradius of a rhombus = side × sin(θ) / 2",
    lambda r, x, t: r - x * sp.sin(_deg(t)) / 2,
    "r x t",
    "t",
)
IN_TANGENTIAL = T("inradius = 2 × area / perimeter", lambda r, A, P: r - 2 * A / P, "r A P")


@cache
def regular_area(n: int) -> Template:
    return T(
        f"area of a regular {n}-gon = n × side² / (4 tan(180°/n))",
        lambda A, x: A - n * x**2 / (4 * sp.tan(sp.pi / n)),
        "A x",
    )


@cache
def regular_perimeter(n: int) -> Template:
    return T(f"perimeter of a regular {n}-gon = {n} × side", lambda P, x: P - n * x, "P x")


@cache
def regular_inradius(n: int) -> Template:
    return T(
        f"inradius of a regular {n}-gon = side / (2 tan(180°/n))",
        lambda r, x: r - x / (2 * sp.tan(sp.pi / n)),
        "r x",
    )


_SUMS: set[Template] = set()  # every total() made so far


@cache
def total(kind: str, n: int) -> Template:
    roles = " ".join(f"q{i}" for i in range(n))
    name = (
        "the whole area is the sum of the shapes' areas"
        if kind == "area"
        else "the whole perimeter is the sum of the outline's pieces"
    )
    template = T(name, lambda S, *qs: S - sum(qs), f"S {roles}")
    _SUMS.add(template)
    return template


@dataclass(frozen=True)
class Formula:
    """A template bound to quantities of one shape (or of the whole figure)."""

    template: Template
    shape: str
    binding: tuple[tuple[str, Q], ...]

    @property
    def quantities(self) -> tuple[Q, ...]:
        return tuple(q for _, q in self.binding)

    def role_of(self, q: Q) -> str:
        return next(role for role, bound in self.binding if bound == q)


def _bind(template: Template, shape: str, **roles: Q) -> Formula:
    return Formula(template, shape, tuple((r, roles[r]) for r in template.roles))


def L(a: str, b: str) -> Q:
    return qkey("length", (a, b))


def ANG(a: str, v: str, b: str) -> Q:
    return qkey("angle", (a, v, b))


def _shape_formulas(s: Shape) -> list[Formula]:
    v, n, k = s.vertices, s.name, s.kind
    A, P = ("area", (n,)), ("perimeter", (n,))
    out: list[Formula] = []
    eq = EQUAL_SIDES.get(k)

    def sides(i: int) -> Q:
        return L(v[i], v[(i + 1) % len(v)])

    if k == "square":
        out += [_bind(eq, n, x=sides(0), y=sides(i)) for i in (1, 2, 3)]
        out += [_bind(SQUARE_AREA, n, A=A, x=sides(0)), _bind(SQUARE_PERIMETER, n, P=P, x=sides(0))]
    elif k in ("rectangle", "parallelogram", "rhombus"):
        out += [_bind(eq, n, x=sides(0), y=sides(2)), _bind(eq, n, x=sides(1), y=sides(3))]
        if k == "rectangle":
            out += [
                _bind(RECT_AREA, n, A=A, x=sides(0), y=sides(1)),
                _bind(RECT_PERIMETER, n, P=P, x=sides(0), y=sides(1)),
            ]
        else:
            t = ANG(v[3], v[0], v[1])
            out.append(_bind(SUPPLEMENTARY, n, p=ANG(v[0], v[1], v[2]), t=t))
            if k == "parallelogram":
                out += [
                    _bind(PARA_AREA, n, A=A, x=sides(0), y=sides(1), t=t),
                    _bind(PARA_PERIMETER, n, P=P, x=sides(0), y=sides(1)),
                ]
            else:
                out += [
                    _bind(eq, n, x=sides(0), y=sides(1)),
                    _bind(RHOMBUS_AREA, n, A=A, x=sides(0), t=t),
                    _bind(RHOMBUS_PERIMETER, n, P=P, x=sides(0)),
                ]
    elif k == "trapezoid":
        t = ANG(v[3], v[0], v[1])
        out += [
            _bind(eq, n, x=sides(1), y=sides(3)),
            _bind(TRAP_LEG, n, g=sides(1), x=sides(0), y=sides(2), t=t),
            _bind(TRAP_AREA, n, A=A, x=sides(0), y=sides(2), t=t),
            _bind(TRAP_PERIMETER, n, P=P, x=sides(0), y=sides(2), g=sides(1)),
        ]
    elif k == "right_triangle":
        corner = s.right_angles[0][1]
        other = v[0] if corner == v[1] else v[1]
        f = v[2]
        a, b, c = L(v[0], v[1]), L(corner, f), L(other, f)
        t, p = ANG(f, other, corner), ANG(other, f, corner)
        out += [
            _bind(PYTHAGORAS, n, c=c, a=a, b=b),
            _bind(TANGENT, n, b=b, a=a, t=t),
            _bind(COSINE, n, a=a, c=c, t=t),
            _bind(SINE, n, b=b, c=c, t=t),
            _bind(ACUTE_SUM, n, p=p, t=t),
            _bind(RIGHT_AREA, n, A=A, a=a, b=b),
            _bind(TRI_PERIMETER, n, P=P, a=a, b=b, c=c),
        ]
    elif k == "isosceles_triangle":
        apex = s.details["apex"]
        other = v[0] if apex == v[1] else v[1]
        f = v[2]
        x, base, t = L(v[0], v[1]), L(other, f), ANG(other, apex, f)
        out += [
            _bind(eq, n, x=x, y=L(apex, f)),
            _bind(ISO_BASE, n, b=base, x=x, t=t),
            _bind(ISO_AREA, n, A=A, x=x, t=t),
            _bind(ISO_BASE_ANGLE, n, p=ANG(apex, other, f), t=t),
            _bind(TRI_PERIMETER, n, P=P, a=x, b=L(apex, f), c=base),
        ]
    elif k == "equilateral_triangle":
        out += [_bind(eq, n, x=sides(0), y=sides(i)) for i in (1, 2)]
        out += [_bind(EQUI_AREA, n, A=A, x=sides(0)), _bind(EQUI_PERIMETER, n, P=P, x=sides(0))]
    elif k == "sector":
        center = s.details["center"]
        f = v[2]
        r, t = L(v[0], v[1]), (ANG(v[1], v[0], f) if center == v[0] else ANG(v[0], v[1], f))
        arc = ("arc_length", (n,))
        out += [
            _bind(eq, n, x=r, y=L(center, f)),
            _bind(SECTOR_RADIUS, n, r=("radius", (n,)), x=r),
            _bind(SECTOR_ARC, n, s=arc, r=r, t=t),
            _bind(SECTOR_AREA, n, A=A, r=r, t=t),
            _bind(SECTOR_PERIMETER, n, P=P, r=r, s=arc),
        ]
    elif k == "rect_semicircle":
        d, h, arc = sides(0), sides(1), ("arc_length", (n,))
        area = SEMI_IN_AREA if s.details["inward"] else SEMI_OUT_AREA
        out += [
            _bind(eq, n, x=h, y=L(v[3], v[0])),
            _bind(DIAMETER_SIDE, n, x=d, y=L(v[2], v[3])),
            _bind(SEMI_ARC, n, s=arc, d=d),
            _bind(SEMI_RADIUS, n, r=("radius", (n,)), d=d),
            _bind(area, n, A=A, d=d, h=h),
            _bind(SEMI_PERIMETER, n, P=P, d=d, h=h, s=arc),
        ]
    elif k == "rect_triangle":
        x, h = sides(0), sides(1)
        area = TRI_IN_AREA if s.details["inward"] else TRI_OUT_AREA
        out += [
            _bind(eq, n, x=h, y=sides(4)),
            _bind(EQUILATERAL_SIDE, n, x=x, y=sides(2)),
            _bind(EQUILATERAL_SIDE, n, x=x, y=sides(3)),
            _bind(area, n, A=A, x=x, h=h),
            _bind(TRI_RECT_PERIMETER, n, P=P, x=x, h=h),
        ]
    elif k == "regular_polygon":
        m = s.details["sides"]
        out += [_bind(eq, n, x=sides(0), y=sides(i)) for i in range(1, m)]
        out += [
            _bind(regular_area(m), n, A=A, x=sides(0)),
            _bind(regular_perimeter(m), n, P=P, x=sides(0)),
        ]
    elif k == "kite":
        out += [
            _bind(eq, n, x=sides(0), y=sides(3)),
            _bind(eq, n, x=sides(1), y=sides(2)),
            _bind(KITE_PERIMETER, n, P=P, x=sides(0), y=sides(1)),
        ]
    return out


def _incircle_formulas(circle: Shape, host: Shape) -> list[Formula]:
    n, v = circle.name, host.vertices
    r = ("radius", (n,))
    out = [
        _bind(CIRCLE_AREA, n, A=("area", (n,)), r=r),
        _bind(CIRCUMFERENCE, n, P=("perimeter", (n,)), r=r),
    ]
    x = L(v[0], v[1])
    k = host.kind
    if k == "square":
        out.append(_bind(IN_SQUARE, n, r=r, x=x))
    elif k == "equilateral_triangle":
        out.append(_bind(IN_EQUI, n, r=r, x=x))
    elif k == "rhombus":
        out.append(_bind(IN_RHOMBUS, n, r=r, x=x, t=ANG(v[3], v[0], v[1])))
    elif k == "regular_polygon":
        out.append(_bind(regular_inradius(host.details["sides"]), n, r=r, x=x))
    elif k == "right_triangle":
        corner = host.right_angles[0][1]
        other = v[0] if corner == v[1] else v[1]
        out.append(_bind(IN_RIGHT, n, r=r, a=x, b=L(corner, v[2]), c=L(other, v[2])))
    else:  # isosceles triangle, kite
        out.append(
            _bind(IN_TANGENTIAL, n, r=r, A=("area", (host.name,)), P=("perimeter", (host.name,)))
        )
    return out


def figure_formulas(figure: Figure) -> list[Formula]:
    """Every formula instance of a figure: per shape, incircles, and the whole figure."""
    shapes = {s.name: s for s in figure.shapes}
    solids = [s for s in figure.shapes if s.kind != "inscribed_circle"]
    out: list[Formula] = []
    for s in figure.shapes:
        if s.kind == "inscribed_circle":
            out += _incircle_formulas(s, shapes[s.details["in"]])
        else:
            out += _shape_formulas(s)
    areas = [("area", (s.name,)) for s in solids]
    out.append(
        Formula(
            total("area", len(areas)),
            "*",
            (("S", ("area", ("*",))), *((f"q{i}", q) for i, q in enumerate(areas))),
        )
    )
    uses: dict[frozenset, int] = {}
    for s in solids:
        for p in s.boundary:
            if isinstance(p, Segment):
                key = frozenset((p.a, p.b))
                uses[key] = uses.get(key, 0) + 1
    pieces: list[Q] = []
    for s in solids:
        for p in s.boundary:
            if isinstance(p, Segment) and uses[frozenset((p.a, p.b))] == 1:
                pieces.append(L(p.a, p.b))
        if any(f.kind == "arc_length" for f in s.facts):
            pieces.append(("arc_length", (s.name,)))
    out.append(
        Formula(
            total("perimeter", len(pieces)),
            "*",
            (("S", ("perimeter", ("*",))), *((f"q{i}", q) for i, q in enumerate(pieces))),
        )
    )
    return out
