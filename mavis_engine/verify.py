"""``mavis-engine verify DIR``: re-check written shards from their rows alone."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator

from mavis_engine.contract import recompute

VERSIONS = ("text_dominant", "text_lite", "vision_intensive", "vision_dominant", "vision_only")
LETTERS = "ABCD"


def _final_answer(text: str) -> str:
    """The fixed closing form: the text after the last 'Answer:'."""
    return text.rsplit("Answer:", 1)[-1].strip()


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


_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.]*\d)")
_OPTIONS = re.compile(r"\b(?:Choices|Options):")


def _fact_numbers(facts: str) -> set[str]:
    """The numbers the facts hold, as written and, for fractions, as decimals (a given
    of 95/2 is stated as 47.5)."""
    numbers = set(re.findall(r"\d+(?:\.\d+)?", facts))
    fractions = re.findall(r"(?<![\w.])(\d+)/(\d+)(?![\w.])", facts)
    return numbers | {f"{int(a) / int(b):g}" for a, b in fractions}


def stated_number_problems(text: str, facts: str) -> list[str]:
    """Plane geometry states only facts: every number of a caption or of a question
    (before its options) is a number of the row's facts."""
    held = _fact_numbers(facts)
    stated = _NUMBER.findall(_OPTIONS.split(text)[0])
    return [f"states {n}, which no fact holds" for n in stated if n.lstrip("-") not in held]


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


# Analytic questions whose answer is recomputed from the figures' JSON (the others are
# facts of one figure, checked like captions).
ANSWERED = (
    "midpoint",
    "equation",
    "parallel",
    "perpendicular",
    "intersection",
    "distance",
    "contains",
    "position",
)


def check_instruct(row: dict) -> list[str]:
    """Problems of one instruct row: answer against the geometry, options, closing form."""
    out = []
    figure, facts = json.loads(row["figure"]), json.loads(row["facts"])
    target = json.loads(row["target"])
    if row["domain"] == "plane_geometry":
        out += stated_number_problems(row["question"], row["facts"])
    if row["domain"] == "analytic_geometry" and target["kind"] in ANSWERED:
        from mavis_engine.analytic.recheck import answer_problems

        return answer_problems(figure, target, row) + _closing_problems(row)
    if row["domain"] == "analytic_geometry":  # a fact of one figure, checked on its JSON
        from mavis_engine.analytic.check import json_problems

        fact = next(
            (f for f in facts if f["kind"] == target["kind"] and f["of"] == target["of"]), None
        )
        if fact is None:
            return [f"target {target} is not a fact of the figures"]
        out += json_problems(figure, [fact])
        if not math.isclose(row["answer_value"], fact["value"], rel_tol=1e-9, abs_tol=1e-12):
            out.append(f"answer_value {row['answer_value']} but the fact is {fact['value']}")
        return out + _closing_problems(row)
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
    return out + _closing_problems(row)


def display_value(text: str) -> float | None:
    """The number an option shows ("7√3/3", "20 + 25π/8", "-3.87"), None if it shows none."""
    import sympy as sp

    expr = text.replace("−", "-").replace("·", "*").replace("²", "**2").replace("³", "**3").strip()
    # A trailing ° makes the whole an angle in degrees ("30°", "90 - arctan(3/4)°", whose
    # arctan is in degrees too); a ° inside a function's argument is an angle SymPy takes
    # in radians ("8·tan(50°)").
    angle = expr.endswith("°")
    expr = (expr[:-1] if angle else expr).replace("°", "*pi/180")
    if angle:
        expr = re.sub(r"arc(sin|cos|tan)\(", r"(180/pi)*a\1(", expr)
    expr = re.sub(r"(\d)\s*(?=[√π])", r"\1*", expr)  # 7√3 -> 7*√3, 25π -> 25*π
    expr = re.sub(r"√(\d+)", r"sqrt(\1)", expr.replace("√(", "sqrt(")).replace("π", "pi")
    try:
        value = complex(sp.sympify(expr, rational=True).evalf())
    except (sp.SympifyError, TypeError, ValueError, SyntaxError):
        return None
    return value.real if value.imag == 0 else None


def _shows(option: str, value: float) -> bool:
    """Whether an option shows ``value``: exactly, or rounded to the decimals it shows."""
    shown = display_value(option)
    if shown is None:
        return False
    decimals = re.fullmatch(r"[-−]?\d+\.(\d+)°?", option.strip())
    tol = 0.5 * 10 ** -len(decimals.group(1)) if decimals else 0.0
    return abs(shown - value) <= tol + 1e-9 * max(1.0, abs(value))


def _shows_answer(text: str, row: dict) -> bool:
    """Whether ``text`` states the row's answer: the same text for a text answer (an
    equation, a sign), the same number (to the decimals shown) otherwise."""
    if math.isnan(row["answer_value"]):
        return text == row["answer_exact"]
    return _shows(text, row["answer_value"])


def _answer_text_problems(row: dict) -> list[str]:
    """A free-form answer states the answer; for options, the keyed one does and no
    other does."""
    choices = row["choices"]
    if not choices:
        if _shows_answer(row["answer"], row):
            return []
        return [f"answer {row['answer']!r} is not {row['answer_exact']!r}"]
    key = ord(row["answer"]) - ord("A")
    same = [_shows_answer(c, row) for c in choices]
    if not same[key]:
        return [
            f"option {row['answer']} ({choices[key]!r}) is not the answer {row['answer_exact']!r}"
        ]
    others = [LETTERS[i] for i, s in enumerate(same) if s and i != key]
    return [f"options {', '.join(others)} also show the answer"] if others else []


def _closing_problems(row: dict) -> list[str]:
    """Version, options, closing form and messages: the same for every domain."""
    out = []
    if row["version"] not in VERSIONS:
        out.append(f"unknown version {row['version']!r}")
    choices = row["choices"]
    if choices:
        if len(set(choices)) != len(choices):
            out.append("choices are not distinct")
        if row["answer"] not in LETTERS[: len(choices)]:
            out.append(f"answer {row['answer']!r} is not an option letter")
        else:
            out += _answer_text_problems(row)
    else:
        out += _answer_text_problems(row)
    if _final_answer(row["rationale"]) != row["answer"]:
        out.append("rationale does not close with the answer")
    turns = row["messages"]
    roles = [t["role"] for t in turns]
    if roles != ["user", "assistant"] or turns[0]["content"] != row["question"]:
        out.append("messages are not the user question then the assistant rationale")
    return out


def check_preference(row: dict) -> list[str]:
    """Problems of one preference row: the rejected answer must differ from the chosen."""
    chosen = _final_answer(row["chosen"][-1]["content"])
    rejected = _final_answer(row["rejected"][-1]["content"])
    out = [] if chosen != rejected else ["rejected reaches the chosen answer"]
    if not row["perturbation"]:
        out.append("perturbation not named")
    if row["domain"] == "plane_geometry":
        out += stated_number_problems(row["prompt"][0]["content"], row["facts"])
    return out


CHECKS = {"caption": check_caption, "instruct": check_instruct, "preference": check_preference}

TEXT_GLITCHES = [
    (re.compile(r"\S {2,}\S"), "doubled space"),
    (re.compile(r"[\w)°][.?!][A-Z]"), "no space after a full stop"),
    (re.compile(r"\s[,.;:?!](?!\d)"), "space before punctuation"),
    (re.compile(r"\{\{|\}\}|\{%|%\}"), "unrendered template piece"),
    (re.compile(r"\b(?:None|nan|NaN|inf)\b"), "a missing value printed"),
]


def _texts(row: dict) -> Iterator[tuple[str, str]]:
    """Every text a row carries, with its column name."""
    for column in ("caption", "construction", "question", "rationale"):
        if isinstance(row.get(column), str):
            yield column, row[column]
    for choice in row.get("choices") or []:
        yield "choices", choice
    for column in ("messages", "prompt", "chosen", "rejected"):
        for message in row.get(column) or []:
            yield column, message["content"]


def text_problems(row: dict) -> list[str]:
    """Typographic glitches in a row's texts (what a template or a join got wrong)."""
    out = []
    for column, text in _texts(row):
        for pattern, what in TEXT_GLITCHES:
            found = pattern.search(text)
            if found:
                out.append(
                    f"{column}: {what} at {text[max(0, found.start() - 20) : found.end() + 20]!r}"
                )
    return out
