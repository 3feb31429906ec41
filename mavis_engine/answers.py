"""What problem rows of every domain share: versions, option letters, answer formats."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from typing import Any

from mavis_engine.errors import Rejected
from mavis_engine.exact import to_float

VERSIONS = ("text_dominant", "text_lite", "vision_intensive", "vision_dominant", "vision_only")
LETTERS = "ABCD"
#: The least relative gap between two options of one question (of the larger's size):
#: 75° beside 75.16° (or 30° beside 31.04°) reads as a misprint, not as a choice.
OPTION_GAP = 0.04
#: What a rationale's closing line starts with, per language (``reading`` reads each).
CLOSINGS = {"en": "Answer: ", "zh": "答案："}
#: The sentence a rejected rationale carries its mistaken value in, per language.
GIVES = {"en": "This gives {}.", "zh": "由此得{}。"}


def closing_line(answer: str, language: str = "en") -> str:
    """A rationale's last line, the fixed form every reader takes the answer from."""
    return f"{CLOSINGS[language]}{answer}"


def answer_format(seed: int, index: int, choice_ratio: float) -> tuple[bool, int]:
    """Whether problem ``index`` is multiple choice, and the key's slot (0-3).

    Exact shares, not random ones: any run of consecutive indexes has a ``choice_ratio``
    share of multiple choice (to within one), and the key letter cycles through A-D over
    the multiple-choice problems, so letters are balanced over every run.
    """
    before = math.floor(index * choice_ratio)
    multiple_choice = math.floor((index + 1) * choice_ratio) > before
    return multiple_choice, (before + seed) % len(LETTERS)


def messages(question: str, answer: str) -> list[dict[str, str]]:
    """User turn then assistant turn, as TRL's SFTTrainer reads them."""
    return [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]


def row_json(value: Any) -> str:
    """A JSON column's text: compact, UTF-8 (√ and π as themselves), the same in every domain."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def target_json(kind: str, of: list[str] | tuple[str, ...], **where: float) -> str:
    """What is asked, in the facts vocabulary."""
    return row_json({"kind": kind, "of": list(of), **where})


def distractors_json(options: list[tuple[str, str | None]], multiple_choice: bool) -> str:
    """The wrong options as {letter, text, mistake}; ``options`` are (text, mistake) in
    letter order, the key's mistake None."""
    if not multiple_choice:
        return row_json([])
    wrong = [
        {"letter": letter, "text": text, "mistake": mistake}
        for letter, (text, mistake) in zip(LETTERS, options, strict=True)
        if mistake
    ]
    return row_json(wrong)


def lay_out(wrong: list[tuple], key: tuple[str, Any], slot: int) -> tuple[list, list[dict]]:
    """Every option as (text, value, mistake) in letter order, the key (text, value) at
    ``slot`` with no mistake, and the choices a question lists."""
    options = [*wrong[:slot], (*key, None), *wrong[slot:]]
    choices = [{"letter": letter, "text": o[0]} for letter, o in zip(LETTERS, options, strict=True)]
    return options, choices


def text_options(
    key: str, mistakes: Iterable[tuple[str, str]], question: str, count: int = 3
) -> list[tuple[str, None, str]]:
    """Wrong options of a categorical answer as (text, None, mistake): the first ``count``
    distinct mistaken texts that are not ``key``; Rejected if there are fewer."""
    seen, out = {key}, []
    for name, text in mistakes:
        if text not in seen:
            seen.add(text)
            out.append((text, None, name))
    return _enough(out, question, count)


def _enough(options: list, question: str, count: int) -> list:
    if len(options) < count:
        raise Rejected("few_distractors", question)
    return options[:count]


def value_options(
    key: tuple[str, float],
    mistakes: Iterable[tuple[str, Any]],
    display: Callable[[Any], str],
    rel_tol: float,
    question: str,
    count: int = 3,
) -> list[tuple[str, Any, str]]:
    """Wrong options of a numeric answer as (text, value, mistake), the first ``count`` in
    the order of ``mistakes`` that are finite, away from the key's value (relative to
    max(1, |key|)), at least ``OPTION_GAP`` (of the larger) from the key and from every
    option taken before, and of a new text; Rejected if there are fewer."""
    key_text, key_value = key
    seen, out, taken = {key_text}, [], [key_value]
    for name, value in mistakes:
        try:
            v = to_float(value)
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if not isinstance(v, float) or not math.isfinite(v):
            continue  # a complex or infinite value is no option
        if abs(v - key_value) <= rel_tol * max(1, abs(key_value)):
            continue
        # 70 beside 71, or 9π beside 1 + 9π, reads as a misprint rather than a choice.
        if any(math.isclose(v, w, rel_tol=OPTION_GAP) for w in taken):
            continue
        text = display(value)
        if text in seen:
            continue
        seen.add(text)
        taken.append(v)
        out.append((text, value, name))
        if len(out) == count:
            break
    return _enough(out, question, count)


def answer_columns(
    sample: Any,
    options: list[tuple[str, str | None]],
    multiple_choice: bool,
    *,
    answer: str,
    value: float,
    exact_text: str,
    target: str,
    rationale: str,
    givens: str,
) -> dict:
    """The columns every instruct row of one problem shares; ``options`` are (text,
    mistake) in letter order."""
    return {
        "problem_id": sample.id,
        "choices": [text for text, _ in options] if multiple_choice else [],
        "answer": answer,
        "answer_value": value,
        "answer_exact": exact_text,
        "target": target,
        "rationale": rationale,
        "givens": givens,
        "distractors": distractors_json(options, multiple_choice),
    }


def rejected_rationale(
    steps: list[str], shown: str, conclusion: str, answer: str, language: str = "en"
) -> str:
    """A rationale gone wrong at its last step: the steps before it, then the mistaken
    value ``shown`` carried to the conclusion and the answer."""
    gives = GIVES[language].format(shown)
    return "\n".join([*steps[:-1], gives, conclusion, closing_line(answer, language)])


def instruct_row(
    sample: Any, fig: dict, png: bytes, version: str, question: str, answer: str, common: dict
) -> dict:
    """One version's instruct row: the sample's shared columns, its image and messages."""
    return {
        **sample.common(fig),
        "id": f"{sample.id}/{version}",
        "version": version,
        "images": [{"bytes": png, "path": None}],
        "question": question,
        "messages": messages(question, answer),
        **common,
    }


def preference_row(
    sample: Any, fig: dict, png: bytes, prompt: str, chosen: str, rejected: str, mistake: str
) -> dict:
    """The preference row: one prompt, the gold rationale against one with a typed mistake."""
    return {
        **sample.common(fig),
        "id": f"{sample.id}/preference",
        "problem_id": sample.id,
        "images": [{"bytes": png, "path": None}],
        "prompt": [{"role": "user", "content": prompt}],
        "chosen": [{"role": "assistant", "content": chosen}],
        "rejected": [{"role": "assistant", "content": rejected}],
        "perturbation": mistake,
    }
