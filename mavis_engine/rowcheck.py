"""Checks of one row that hold in every domain: the answer stated where it is stated
(options, free-form answer, closing line, messages), numbers read back from their
display, and typographic glitches."""

from __future__ import annotations

import bisect
import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from mavis_engine.answers import LETTERS, OPTION_GAP, VERSIONS
from mavis_engine.exact import display, parse
from mavis_engine.reading import answer_value, final_answer

# A letter or digit that is not a Chinese character: "为5" states 5, as "= 5" does.
_W = r"[^\W\u3400-\u9fff]"
# A number as a text states it: 12, -0.58, 9/4 (the parts of 3π/2 or 7√3 one by one).
_STATED = re.compile(rf"(?<!{_W})(?<!\.)-?\d+(?:\.\d+)?(?:/\d+)?(?!(?:{_W}|\.)*\d)")
_OPTIONS = re.compile(r"\b(?:Choices|Options):|选项：")


def stated_number_problems(text: str, facts: str) -> list[str]:
    """For domains that state only facts (plane, solid): every number of a caption,
    question or prompt (before its options) is one of the row's facts (``facts``: the
    column's JSON), as written or as the engine displays its exact value."""
    return unheld_number_problems(text, Held.of([facts, *exact_displays(json.loads(facts))]))


@dataclass(frozen=True)
class Held:
    """The numbers a row holds: tokens of how they are written (JSON, exact forms as the
    engine displays them), and their values."""

    tokens: frozenset[str]
    values: tuple[float, ...]

    @classmethod
    def of(cls, texts: Iterable[str]) -> Held:
        tokens = {t.lstrip("-") for text in texts for t in _STATED.findall(text)}
        values = {abs(number_value(t)) for t in tokens}
        return cls(frozenset(tokens), tuple(sorted(values)))

    def holds(self, token: str) -> bool:
        """A stated number is held as written (a fraction also as its two parts), as the
        same value, or as a held value rounded to the decimals it shows."""
        token = token.lstrip("-")
        if token in self.tokens:
            return True
        if "/" in token and all(part in self.tokens for part in token.split("/")):
            return True  # the end of an exact form written whole: 25√3/4
        value, tol = number_value(token), rounding(token)
        i = bisect.bisect_left(self.values, value - tol - 1e-9)
        return i < len(self.values) and self.values[i] <= value + tol + 1e-9


def exact_displays(facts: list[dict]) -> list[str]:
    """Every exact value of ``facts`` (fields ``exact``, ``x_exact``, ...) as the engine
    displays it in text (``-3*pi/2`` as ``-3π/2``, ``2 + 2*tan(1)`` as 5.11)."""
    out = []
    for fact in facts:
        for key, value in fact.items():
            if key.endswith("exact") and isinstance(value, str):
                out.append(_display(value))
    return out


@lru_cache(maxsize=4096)
def _display(exact_text: str) -> str:
    return display(parse(exact_text))


def number_value(token: str) -> float:
    """The value of a stated number: ``12``, ``-0.58``, ``9/4``."""
    top, _, bottom = token.partition("/")
    return float(top) / float(bottom) if bottom else float(top)


def rounding(token: str) -> float:
    """Half the last place a stated number shows (0 for integers and fractions)."""
    places = token.partition(".")[2] if "/" not in token else ""
    return 0.5 * 10 ** -len(places) if places else 0.0


def stem(text: str) -> str:
    """A caption, question or prompt without its options."""
    return _OPTIONS.split(text)[0]


def stated_numbers(text: str) -> list[str]:
    """The numbers a caption, question or prompt states, before its options."""
    return _STATED.findall(stem(text))


def unheld_number_problems(text: str, held: Held) -> list[str]:
    """Every number a caption, question or prompt states (before its options) is one the
    row holds (see ``Held``)."""
    stated = stated_numbers(text)
    return [f"states {n}, which the row does not hold" for n in stated if not held.holds(n)]


def _shows(option: str, value: float) -> bool:
    """Whether an option shows ``value``: exactly, or rounded to the decimals it shows."""
    shown = answer_value(option)
    if shown is None:
        return False
    decimals = re.fullmatch(r"[-−]?\d+\.(\d+)°?", option.strip())
    tol = 0.5 * 10 ** -len(decimals.group(1)) if decimals else 0.0
    return abs(shown - value) <= tol + 1e-9 * max(1.0, abs(value))


def shows_answer(text: str, row: dict) -> bool:
    """Whether ``text`` states the row's answer: the same text for a text answer (an
    equation, a sign), the same number (to the decimals shown) otherwise."""
    if math.isnan(row["answer_value"]):
        return text == row["answer_exact"]
    return _shows(text, row["answer_value"])


def answer_text_problems(row: dict) -> list[str]:
    """A free-form answer states the answer; for options, the keyed one does and no
    other does."""
    choices = row["choices"]
    if not choices:
        if shows_answer(row["answer"], row):
            return []
        return [f"answer {row['answer']!r} is not {row['answer_exact']!r}"]
    key = ord(row["answer"]) - ord("A")
    same = [shows_answer(c, row) for c in choices]
    if not same[key]:
        return [
            f"option {row['answer']} ({choices[key]!r}) is not the answer {row['answer_exact']!r}"
        ]
    others = [LETTERS[i] for i, s in enumerate(same) if s and i != key]
    return [f"options {', '.join(others)} also show the answer"] if others else []


def option_gap_problems(choices: list[str]) -> list[str]:
    """Every two options are at least ``OPTION_GAP`` apart (of the larger), less what the
    two decimals shown may have rounded away."""
    values = [answer_value(c) for c in choices]
    out = []
    for i, (a, va) in enumerate(zip(choices, values, strict=True)):
        for b, vb in zip(choices[i + 1 :], values[i + 1 :], strict=True):
            if va is None or vb is None:
                continue
            if abs(va - vb) < OPTION_GAP * max(abs(va), abs(vb)) - 0.01:
                out.append(f"options {a!r} and {b!r} are too close to tell apart")
    return out


def closing_problems(row: dict) -> list[str]:
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
            out += answer_text_problems(row)
        out += option_gap_problems(choices)
    else:
        out += answer_text_problems(row)
    if final_answer(row["rationale"]) != row["answer"]:
        out.append("rationale does not close with the answer")
    turns = row["messages"]
    roles = [t["role"] for t in turns]
    if roles != ["user", "assistant"] or turns[0]["content"] != row["question"]:
        out.append("messages are not the user question then the assistant rationale")
    return out


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


def answer_value_problems(
    row: dict, got: float, tol: float, expected: str | None = None
) -> list[str]:
    """The row's answer against its target fact's value ``got`` (relative tolerance
    ``tol``); a categorical answer (no value) against the text ``expected``."""
    if math.isnan(row["answer_value"]):
        if row["answer_exact"] != expected:
            return [f"answer {row['answer_exact']!r} but the fact gives {expected!r}"]
        return []
    if not math.isclose(row["answer_value"], got, rel_tol=tol, abs_tol=1e-9):
        return [f"answer_value {row['answer_value']} but the figure gives {got}"]
    return []
