"""The shipped solutions of the formula library are what ``sympy.solve`` gives today."""

from __future__ import annotations

import json

import sympy as sp

from mavis_engine.plane import formulas, solved
from mavis_engine.plane.formulas import T, solve_now, total


def test_table_is_sympy_solve_of_every_formula():
    """Every entry re-solved, and read back through the table into the very same tree."""
    shipped = json.loads(formulas.SOLVED_PATH.read_text(encoding="utf-8"))["solutions"]
    table = {(e["expr"], e["role"]): e["solutions"] for e in shipped}
    asked = set()
    for template, roles in solved.library():
        for role in roles:
            key = (sp.srepr(template.expr), role)
            asked.add(key)
            now = [sp.srepr(s) for s in solve_now(template, role)]
            assert table.get(key) == now, (
                f"{template.name!r} for {role}: run `python -m mavis_engine.plane.solved`"
            )
            assert [sp.srepr(s) for s in formulas._solve(template, role)] == now
    assert asked == set(table), "entries for formulas the library no longer has"


def test_sums_are_built_as_sympy_solves_them():
    for kind in ("area", "perimeter"):
        for n in range(1, 49):
            t = total(kind, n)
            assert sp.srepr(formulas._solve(t, "S")) == sp.srepr(solve_now(t, "S"))


def test_formula_missing_from_the_table_is_solved():
    t = T("a made-up relation", lambda a, b: a - 3 * b**2, "a b")
    (b,) = formulas._solve(t, "b")
    assert b == sp.sqrt(sp.Symbol("a", positive=True) / 3)
