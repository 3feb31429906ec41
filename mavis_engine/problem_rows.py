"""The rows of one problem, for every domain: five instruct rows (one per MathVerse
version) and a preference row. A domain works the problem out and hands over a
``WorkedProblem``; this module lays out the options, the answer columns, the versions'
images (one render per distinct look) and the preference pair the same way for all."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from mavis_engine.answers import (
    LETTERS,
    VERSIONS,
    answer_columns,
    answer_format,
    closing_line,
    instruct_row,
    lay_out,
    preference_row,
)
from mavis_engine.errors import Rejected
from mavis_engine.text.env import render_text

# A version's question and the text set under its image (vision only), or None.
Questions = dict[str, tuple[str, str | None]]


@dataclass
class WorkedProblem:
    """What a domain supplies for one problem.

    ``key`` is the correct option (text, value) and ``answer`` the free-form answer text;
    ``wrong`` the typed wrong options (text, value, mistake), needed for multiple choice
    only. ``rationale(closing)`` is the gold rationale ending in ``Answer: closing``;
    ``rejected()`` the rationale with one typed mistake and its name. ``questions(choices)``
    words the five versions (choices None for free form) and ``prompt()`` the preference
    prompt; ``view(version)`` names what the version's image shows and ``draw(view,
    footer)`` renders it as (png, figure JSON). ``recheck(row)`` lists what is wrong with
    the first instruct row, recomputed from its JSON, before anything is written.
    """

    key: tuple[str, Any]
    answer: str
    wrong: list[tuple[str, Any, str]]
    value: float
    exact_text: str
    target: str
    givens: str
    rationale: Callable[[str], str]
    rejected: Callable[[], tuple[str, str]]
    questions: Callable[[list[dict] | None], Questions]
    prompt: Callable[[], str]
    view: Callable[[str], Hashable]
    draw: Callable[[Hashable, str | None], tuple[bytes, dict]]
    recheck: Callable[[dict], list[str]] | None = None


def problem_rows(sample: Any, worked: WorkedProblem, choice_ratio: float) -> dict[str, list[dict]]:
    """The five instruct rows and the preference row (multiple choice or free form as
    ``answer_format`` decides). Raises ``Rejected`` when the domain's recheck or rejected
    rationale does."""
    multiple_choice, slot = answer_format(sample.seed, sample.index, choice_ratio)
    options, choices = lay_out(worked.wrong, worked.key, slot) if multiple_choice else ([], None)
    closing = LETTERS[slot] if multiple_choice else worked.answer
    rationale = worked.rationale(closing)
    common = answer_columns(
        sample,
        [(o[0], o[2]) for o in options],
        multiple_choice,
        answer=closing,
        value=worked.value,
        exact_text=worked.exact_text,
        target=worked.target,
        rationale=rationale,
        givens=worked.givens,
    )
    images: dict[tuple, tuple[bytes, dict]] = {}

    def picture(version: str, footer: str | None) -> tuple[bytes, dict]:
        key = (worked.view(version), footer)
        if key not in images:  # versions that look the same share one render
            images[key] = worked.draw(*key)
        return images[key]

    rows = []
    for version, (question, footer) in worked.questions(choices).items():
        png, fig = picture(version, footer)
        rows.append(instruct_row(sample, fig, png, version, question, rationale, common))
    mismatch = worked.recheck(rows[0]) if worked.recheck else []
    if mismatch:
        raise Rejected("answer_mismatch", mismatch[0])
    rejected, mistake = worked.rejected()
    png, fig = picture("text_dominant", None)
    chosen = worked.rationale(worked.answer)
    preference = preference_row(sample, fig, png, worked.prompt(), chosen, rejected, mistake)
    return {"instruct": rows, "preference": [preference]}


def answered(lines: list[str], language: str = "en") -> Callable[[str], str]:
    """A rationale: ``lines`` then the closing line (``Answer: closing``)."""
    return lambda closing: "\n".join([*lines, closing_line(closing, language)])


def five_questions(
    language: str,
    words: Any,
    text: Callable[[str, list[dict] | None], str],
    choices: list[dict] | None,
) -> Questions:
    """The versions worded by ``text(version, choices)``; vision only has no words of its
    own but the vision-dominant text set under its image."""
    out: Questions = {}
    for version in VERSIONS:
        if version == "vision_only":
            vision_only = render_text(language, "vision_only.j2", words)
            out[version] = (vision_only, text("vision_dominant", choices))
        else:
            out[version] = (text(version, choices), None)
    return out
