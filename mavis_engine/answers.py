"""What problem rows of every domain share: versions, option letters, answer formats."""

from __future__ import annotations

import json
import math

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


def target_json(kind: str, of: list[str] | tuple[str, ...], **where: float) -> str:
    """What is asked, in the facts vocabulary."""
    return json.dumps({"kind": kind, "of": list(of), **where}, separators=(",", ":"))
