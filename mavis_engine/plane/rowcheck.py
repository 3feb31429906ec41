"""Checks of one plane-geometry row from its JSON alone: every fact recomputed from the
figure (``recompute``), labels inside the image, the answer against its target fact, and
only facts stated in captions, questions and prompts."""

from __future__ import annotations

import itertools
import json
import math
import re

from mavis_engine.exact import parse
from mavis_engine.plane.formulas import qkey
from mavis_engine.plane.phrases import SENTENCES
from mavis_engine.plane.problem_text import phrase, value_text
from mavis_engine.plane.recompute import recompute
from mavis_engine.reading import answer_value
from mavis_engine.rowcheck import answer_value_problems, stated_number_problems

# A sum of named pieces in a rationale's chain: segments (AB), arcs and other symbols.
_SEGMENT = re.compile(r"[A-Z]{2}")
_NAME = re.compile(r"[A-Z]{2}|\S+\([^()]*\)")


def _key(fact: dict) -> tuple:
    """A fact's identity: a length's ends in any order, an angle's rays in any order."""
    of = fact["of"]
    if fact["kind"] == "length":
        of = sorted(of)
    elif fact["kind"] == "angle":
        of = [min(of[0], of[2]), of[1], max(of[0], of[2])]
    return fact["kind"], tuple(of)


def _figure_problems(row: dict) -> list[str]:
    figure, out = json.loads(row["figure"]), []
    for fact in json.loads(row["facts"]):
        got, tol = recompute(figure, fact)
        if not math.isclose(fact["value"], got, rel_tol=tol, abs_tol=1e-9):
            out.append(
                f"fact {fact['kind']} {fact['of']} = {fact['value']} but geometry gives {got}"
            )
    for label in figure["labels"]:
        x0, y0, x1, y1 = label["bbox"]
        if not (0 <= x0 < x1 <= figure["width"] and 0 <= y0 < y1 <= figure["height"]):
            out.append(f"label {label['text']!r} outside the image")
    return out


def _drawn(given: dict) -> bool:
    """The version rule: vision dominant and vision only draw lengths and angles as labels
    (a right angle as a mark: its measure stays in the text)."""
    return given["kind"] in ("length", "angle") and given["value"] != 90


def version_problems(row: dict) -> list[str]:
    """Each given is a fact of the figure, and each version states exactly the givens its
    rule allows: text versions all of them in the question and none in the diagram;
    vision dominant the drawn ones as labels and the rest in the question; vision only
    the drawn ones as labels and the rest in the text set into the image, none in its
    question."""
    givens = json.loads(row["givens"])
    facts = {_key(f): f["exact"] for f in json.loads(row["facts"])}
    out = [
        f"given {g['kind']} {''.join(g['of'])} = {g['exact']} is not a fact of the figure"
        for g in givens
        if facts.get(_key(g)) != g["exact"]
    ]
    labels = json.loads(row["figure"])["labels"]
    drawn_here = row["version"] in ("vision_dominant", "vision_only")
    in_image = sorted(lb["text"] for lb in labels if lb["kind"] in ("length", "angle"))
    expected = sorted(_value(g) for g in givens if drawn_here and _drawn(g))
    if in_image != expected:
        out.append(f"diagram labels {in_image}, expected {expected}")
    language = row.get("language", "en")
    question = _plain(row["question"], language)
    text = question
    if row["version"] == "vision_only":
        # The drawn lines: English wraps between words, Chinese between any two characters
        # (a space at a break is not drawn, so Chinese text is read without spaces).
        text = _plain(" ".join(lb["text"] for lb in labels if lb["kind"] == "text"), language)
        if any(_said(g, language).search(question) for g in givens):
            out.append("vision_only question states a given")
    for g in givens:
        said = _said(g, language).search(text)
        if bool(said) == (drawn_here and _drawn(g)):
            how = f"states {said.group()!r}" if said else f"does not state {_value(g)!r}"
            out.append(f"{row['version']} {how} of {g['kind']} {''.join(g['of'])}")
    return out


def _plain(text: str, language: str) -> str:
    """A text as ``_said`` reads it: spaces collapsed (English) or dropped (Chinese)."""
    return " ".join(text.split()) if language == "en" else "".join(text.split())


def _value(given: dict) -> str:
    return value_text(qkey(given["kind"], given["of"]), parse(given["exact"]))


def _said(given: dict, language: str = "en") -> re.Pattern[str]:
    """How a text states a given: the engine's phrase (the names in either order), then
    the value and no more of a number ('the length of AB is 5', 'AB的长为5')."""
    q = qkey(given["kind"], given["of"])
    names = [q[1], q[1][::-1]] if given["kind"] in ("length", "angle") else [q[1]]
    phrases = "|".join(re.escape(phrase((q[0], of), language)) for of in names)
    is_ = re.escape(SENTENCES[language]["is"])
    value = re.escape(_plain(_value(given), language))
    return re.compile(rf"(?:{phrases}){is_}{value}(?!\.?\d|[√π/])")


def pairing_problems(text: str, facts: str) -> list[str]:
    """In a chain ``AB + CD = 7 + 9``, each segment sits beside its own length: the value
    in the same place of the next link is the segment's fact (a sum whose values do not
    split into as many terms, as an exact ``2 + √3`` would, is not read)."""
    lengths = {_key(f)[1]: f["value"] for f in json.loads(facts) if f["kind"] == "length"}
    out = []
    for line in text.splitlines():
        for names_text, values_text in itertools.pairwise(line.split(" = ")):
            names, values = names_text.split(" + "), values_text.split(" + ")
            if len(names) != len(values) or not all(_NAME.fullmatch(n) for n in names):
                continue
            got = [answer_value(v) for v in values]
            if None in got:  # names again (AC = AB), or a formula: not a link to numbers
                continue
            for name, value, number in zip(names, values, got, strict=True):
                want = lengths.get(tuple(sorted(name))) if _SEGMENT.fullmatch(name) else None
                if want is not None and not math.isclose(number, want, rel_tol=1e-6):
                    out.append(f"rationale sets {name} = {value}, but {name} is {want:g}")
    return out


def check_row(kind: str, row: dict) -> list[str]:
    """Problems of one plane-geometry row of ``kind`` (none: the row is right)."""
    if kind == "caption":
        return _figure_problems(row) + stated_number_problems(row["caption"], row["facts"])
    if kind == "preference":
        # Only the chosen answer: a rejected one may misread a value on purpose.
        return stated_number_problems(row["prompt"][0]["content"], row["facts"]) + pairing_problems(
            row["chosen"][0]["content"], row["facts"]
        )
    out = stated_number_problems(row["question"], row["facts"]) + version_problems(row)
    out += pairing_problems(row["rationale"], row["facts"])
    target = json.loads(row["target"])
    fact = next((f for f in json.loads(row["facts"]) if _key(f) == _key(target)), None)
    if fact is None:
        return [*out, f"target {target} is not a fact of the figure"]
    return out + answer_value_problems(row, *recompute(json.loads(row["figure"]), fact))
