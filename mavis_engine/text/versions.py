"""The five instruct rows of a problem (one per MathVerse version), for every domain."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mavis_engine.answers import VERSIONS, instruct_row
from mavis_engine.text.env import render_text


def version_rows(
    sample: Any,
    common: dict,
    rationale: str,
    language: str,
    words: Any,
    text: Callable[[str], str],
    picture: Callable[[str, str | None], tuple[bytes, dict]],
) -> list[dict]:
    """The five instruct rows: ``text(version)`` words each question and
    ``picture(version, footer)`` draws its image; vision only has no words of its own but
    the vision-dominant text set under its image."""
    rows = []
    for version in VERSIONS:
        if version == "vision_only":
            question = render_text(language, "vision_only.j2", words)
            png, fig = picture(version, text("vision_dominant"))
        else:
            question = text(version)
            png, fig = picture(version, None)
        rows.append(instruct_row(sample, fig, png, version, question, rationale, common))
    return rows
