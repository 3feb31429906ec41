"""``mavis-engine verify DIR``: re-check written shards from their rows alone."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator

from mavis_engine.plane.recompute import recompute
from mavis_engine.rowcheck import (
    closing_problems,
    final_answer,
    stated_number_problems,
)


def _key(fact: dict) -> tuple:
    """A fact's identity: a length's ends in any order, an angle's rays in any order."""
    of = fact["of"]
    if fact["kind"] == "length":
        of = sorted(of)
    elif fact["kind"] == "angle":
        of = [min(of[0], of[2]), of[1], max(of[0], of[2])]
    return fact["kind"], tuple(of)


def _fact_problems(row: dict) -> Iterator[str]:
    figure = json.loads(row["figure"])
    if row["domain"] == "analytic_geometry":  # figures on a grid: facts against their JSON
        from mavis_engine.analytic.check import json_problems, relation_problems

        yield from json_problems(figure, json.loads(row["facts"]))
        yield from relation_problems(figure)
        return
    if "expression" in figure:  # a function plot: facts against the expression
        from mavis_engine.functions.check import problems

        yield from problems(figure["expression"], figure["x_range"], json.loads(row["facts"]))
        return
    for fact in json.loads(row["facts"]):
        got, tol = recompute(figure, fact)
        if not math.isclose(fact["value"], got, rel_tol=tol, abs_tol=1e-9):
            yield f"fact {fact['kind']} {fact['of']} = {fact['value']} but geometry gives {got}"
    for label in figure["labels"]:
        x0, y0, x1, y1 = label["bbox"]
        if not (0 <= x0 < x1 <= figure["width"] and 0 <= y0 < y1 <= figure["height"]):
            yield f"label {label['text']!r} outside the image"


def check_caption(row: dict) -> list[str]:
    """Problems of one caption row."""
    out = list(_fact_problems(row))
    if row["domain"] == "plane_geometry":
        out += stated_number_problems(row["caption"], row["facts"])
    return out


def _categorical(target: dict, fact: dict) -> str | None:
    """What a categorical question's answer must be, from its fact."""
    if target.get("asks") == "sign":
        return "positive" if fact["value"] > 0 else "negative"
    if target["kind"] in ("increasing", "decreasing"):
        import sympy as sp

        from mavis_engine.exact import display

        ends = (display(sp.sympify(fact[k])) for k in ("from_exact", "to_exact"))
        return "[{}, {}]".format(*ends)
    return None


def check_instruct(row: dict) -> list[str]:
    """Problems of one instruct row: answer against the geometry, options, closing form."""
    out = []
    figure, facts = json.loads(row["figure"]), json.loads(row["facts"])
    target = json.loads(row["target"])
    if row["domain"] == "plane_geometry":
        out += stated_number_problems(row["question"], row["facts"])
    if row["domain"] == "analytic_geometry":
        from mavis_engine.analytic.rowcheck import instruct_problems

        return instruct_problems(row)
    if "expression" in figure and target["kind"] == "compare":  # two values, compared
        a, b = target["x"]
        got = {f["x"]: f["value"] for f in facts if f["kind"] == "value_at"}
        if a not in got or b not in got:
            return ["compared values are not facts of the function"]
        fa, fb = got[a], got[b]
        expected = "they are equal" if fa == fb else (f"f({a:g})" if fa > fb else f"f({b:g})")
        return (
            []
            if row["answer_exact"] == expected
            else [f"answer {row['answer_exact']!r} but the facts give {expected!r}"]
        )
    if "expression" in figure:  # a function: the target fact, checked against the expression
        from mavis_engine.functions.check import problems

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
        out += problems(figure["expression"], figure["x_range"], [fact])
        got, tol = fact["value"], 1e-9
    else:
        fact = next((f for f in facts if _key(f) == _key(target)), None)
        if fact is None:
            return [f"target {target} is not a fact of the figure"]
        got, tol = recompute(figure, fact)
    if math.isnan(row["answer_value"]):  # a categorical answer: compare it with the fact
        expected = _categorical(target, fact)
        if row["answer_exact"] != expected:
            out.append(f"answer {row['answer_exact']!r} but the fact gives {expected!r}")
    elif not math.isclose(row["answer_value"], got, rel_tol=tol, abs_tol=1e-9):
        out.append(f"answer_value {row['answer_value']} but the figure gives {got}")
    return out + closing_problems(row)


def check_preference(row: dict) -> list[str]:
    """Problems of one preference row: the rejected answer must differ from the chosen."""
    chosen = final_answer(row["chosen"][-1]["content"])
    rejected = final_answer(row["rejected"][-1]["content"])
    out = [] if chosen != rejected else ["rejected reaches the chosen answer"]
    if not row["perturbation"]:
        out.append("perturbation not named")
    if row["domain"] == "plane_geometry":
        out += stated_number_problems(row["prompt"][0]["content"], row["facts"])
    return out


CHECKS = {"caption": check_caption, "instruct": check_instruct, "preference": check_preference}
