"""Checks of one solid-geometry row from its JSON alone: every fact recomputed from the
3-D points, faces and meshes (``check``), the dashed lines re-derived by ray casting,
labels inside the image and apart (a length beside a line the figure draws), and only
facts stated in the caption; for a problem, its answer recomputed the same way and each
version's givens where its rule puts them (text versions: in the question, letters only
in the image; vision dominant and vision only: drawn as labels, no number in the
question; a given that is no line, a volume, in the question or the text set under the
drawing)."""

from __future__ import annotations

import json
import math
import re

from mavis_engine.exact import display, parse
from mavis_engine.rowcheck import closing_problems, stated_number_problems, stated_numbers, stem
from mavis_engine.solid.check import drawn_lines, ray_hidden, recompute, recompute_all

DRAWN_VERSIONS = ("vision_dominant", "vision_only")
_PLAIN = re.compile(r"-?\d+(?:\.\d+)?(?:/\d+)?")


def figure_problems(figure: dict, facts: list[dict]) -> list[str]:
    """What is wrong with a figure and its facts (nothing: they agree)."""
    out = []
    for fact, (got, tol) in zip(facts, recompute_all(figure, facts), strict=True):
        if not math.isclose(fact["value"], got, rel_tol=tol, abs_tol=1e-9):
            out.append(
                f"fact {fact['kind']} {fact['of']} = {fact['value']} but the solid gives {got}"
            )
    dashed = [tuple(e) for e in figure["hidden_edges"]]
    seen = ray_hidden(figure)
    if dashed != seen:
        out.append(f"dashed lines {dashed} but the faces hide {seen}")
    lines = set(drawn_lines(figure))
    for label in figure["labels"]:  # a length is labelled beside the line it measures
        if label["kind"] == "length" and tuple(sorted(label["of"])) not in lines:
            out.append(f"length {label['text']!r} labels {''.join(label['of'])}, no drawn line")
    boxes = []
    for label in figure["labels"]:
        x0, y0, x1, y1 = label["bbox"]
        if not (0 <= x0 < x1 <= figure["width"] and 0 <= y0 < y1 <= figure["height"]):
            out.append(f"label {label['text']!r} outside the image")
        for other, (a0, b0, a1, b1) in boxes:
            if x0 < a1 and a0 < x1 and y0 < b1 and b0 < y1:
                out.append(f"labels {other!r} and {label['text']!r} overlap")
        boxes.append((label["text"], (x0, y0, x1, y1)))
    return out


def answer_problems(row: dict) -> list[str]:
    """The answer against its target recomputed from the figure's points, faces or mesh
    (not from the fact's formula), and each version's givens where its rule puts them."""
    figure, target = json.loads(row["figure"]), json.loads(row["target"])
    if target["kind"] == "tan":  # a chain's tangent: of the angle recomputed in 3-D
        degrees, tol = recompute(figure, {**target, "kind": "angle"})
        got = math.tan(math.radians(degrees))
    else:
        got, tol = recompute(figure, target)
    out = []
    if not math.isclose(row["answer_value"], got, rel_tol=tol, abs_tol=1e-9):
        out.append(f"answer_value {row['answer_value']} but the solid gives {got}")
    givens = json.loads(row["givens"])
    labelled = {tuple(lb["of"]) for lb in figure["labels"] if lb["kind"] == "length"}
    stated = stated_numbers(row["question"])
    if row["version"] in DRAWN_VERSIONS:
        # A length is drawn; a given that is no line (a volume) stays in the text: the
        # question's (vision dominant), the text set under the drawing (vision only).
        told = [g for g in givens if g["kind"] != "length"]
        out += [
            f"given {''.join(g['of'])} is not drawn"
            for g in givens
            if g["kind"] == "length" and tuple(g["of"]) not in labelled
        ]
        values = [display(parse(g["exact"])) for g in told]
        text = stem(row["question"])
        own = {n for v in values for n in stated_numbers(v)}
        if row["version"] == "vision_only":  # its question states nothing
            own = set()
            text = " ".join(lb["text"] for lb in figure["labels"] if lb["kind"] == "text")
        out += [f"states {n}, which this version draws" for n in stated if n not in own]
        # Read without spaces: a Chinese line breaks anywhere, its break no space.
        text = "".join(text.split())
        out += [
            f"given {g['kind']} {''.join(g['of'])} = {v} is not stated"
            for g, v in zip(told, values, strict=True)
            if "".join(v.split()) not in text
        ]
    else:
        if labelled:
            out.append(f"the image labels lengths, which {row['version']} states")
        for g in givens:
            value = display(parse(g["exact"]))
            # A surd (√34, 4√3) states its parts one by one: look for it in the stem.
            said = value in stated if _PLAIN.fullmatch(value) else value in stem(row["question"])
            if not said:
                out.append(f"given {''.join(g['of'])} = {value} is not stated")
    return out


def instruct_problems(row: dict) -> list[str]:
    """Everything ``verify`` checks on a solid instruct row, before it is written."""
    return answer_problems(row) + closing_problems(row)


def check_row(kind: str, row: dict) -> list[str]:
    """Problems of one solid-geometry row of ``kind`` (none: the row is right)."""
    figure, facts = json.loads(row["figure"]), json.loads(row["facts"])
    out = figure_problems(figure, facts)
    if kind == "caption":
        return out + stated_number_problems(row["caption"], row["facts"])
    if kind == "preference":
        return out + stated_number_problems(row["prompt"][0]["content"], row["facts"])
    return out + answer_problems(row) + stated_number_problems(row["question"], row["facts"])
