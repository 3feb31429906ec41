"""What problem rows of every domain share: versions, option letters, answer formats."""

from __future__ import annotations

import json
import math
from typing import Any

VERSIONS = ("text_dominant", "text_lite", "vision_intensive", "vision_dominant", "vision_only")
LETTERS = "ABCD"


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
