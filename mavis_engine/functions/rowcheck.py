"""Checks of one function-plot row from its JSON alone: facts against the expression
(``check``), the answer against its target fact, compared values against their facts."""

from __future__ import annotations

import json

from mavis_engine.exact import display, parse
from mavis_engine.functions.check import fact_mismatches
from mavis_engine.rowcheck import answer_value_problems


def _categorical(target: dict, fact: dict) -> str | None:
    """What a categorical question's answer must be, from its fact."""
    if target.get("asks") == "sign":
        return "positive" if fact["value"] > 0 else "negative"
    if target["kind"] in ("increasing", "decreasing"):
        ends = (display(parse(fact[k])) for k in ("from_exact", "to_exact"))
        return "[{}, {}]".format(*ends)
    return None


def _compare_problems(row: dict, target: dict, facts: list[dict]) -> list[str]:
    a, b = target["x"]
    got = {f["x"]: f["value"] for f in facts if f["kind"] == "value_at"}
    if a not in got or b not in got:
        return ["compared values are not facts of the function"]
    fa, fb = got[a], got[b]
    expected = "they are equal" if fa == fb else (f"f({a:g})" if fa > fb else f"f({b:g})")
    if row["answer_exact"] == expected:
        return []
    return [f"answer {row['answer_exact']!r} but the facts give {expected!r}"]


def check_row(kind: str, row: dict) -> list[str]:
    """Problems of one function-plot row of ``kind`` (none: the row is right)."""
    figure, facts = json.loads(row["figure"]), json.loads(row["facts"])
    if kind == "caption":
        return fact_mismatches(figure["expression"], figure["x_range"], facts)
    if kind != "instruct":
        return []
    target = json.loads(row["target"])
    if target["kind"] == "compare":  # two values, compared
        return _compare_problems(row, target, facts)
    located = {k: v for k, v in target.items() if k not in ("kind", "of", "asks")}
    fact = next(
        (
            f
            for f in facts
            if f["kind"] == target["kind"] and all(f.get(k) == v for k, v in located.items())
        ),
        None,
    )
    if fact is None:
        return [f"target {target} is not a fact of the function"]
    out = fact_mismatches(figure["expression"], figure["x_range"], [fact])
    return out + answer_value_problems(row, fact["value"], 1e-9, _categorical(target, fact))
