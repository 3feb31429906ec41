"""The Jinja2 environment: templates by language then domain, randomness from the text stream."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import numpy as np

from mavis_engine.generator import LANGUAGES

_PACKAGE = Path(__file__).resolve().parents[1]


def template_folder() -> Path:
    """The templates: ``mavis_engine/templates`` in an installed wheel (setup.py copies
    them there), the repository's top-level ``templates/`` in a checkout."""
    for folder in (_PACKAGE / "templates", _PACKAGE.parent / "templates"):
        if folder.is_dir():
            return folder
    raise FileNotFoundError(f"no templates folder beside or inside {_PACKAGE}")


@cache
def environment(keep_trailing_newline: bool = False) -> jinja2.Environment:
    """The shared template environment; documents such as the dataset card keep their
    final newline, row texts do not."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_folder()),
        # Compiled templates kept on disk (a per-user folder under the temp dir, keyed by
        # each template's source): a fresh worker skips parsing and compiling them, a
        # tenth of a second that a short run pays in every process.
        bytecode_cache=jinja2.FileSystemBytecodeCache(),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=keep_trailing_newline,
    )


def render_text(language: str, path: str, rng: np.random.Generator, **context: Any) -> str:
    """Render ``{language}/{path}`` with ``pick`` drawing from ``rng``; whitespace collapsed."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; available: {', '.join(LANGUAGES)}")

    def pick(*options: str) -> str:
        return options[int(rng.integers(len(options)))]

    template = environment().get_template(f"{language}/{path}")
    text = template.render(pick=pick, **context)
    return tidy(text) if language == "en" else tidy_cjk(text)


_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:])")
_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-z])")


def tidy(text: str) -> str:
    """Collapse template whitespace, drop spaces before punctuation, capitalise sentences."""
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", " ".join(text.split()))
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)


# Ideographs and full-width punctuation: no space beside them in Chinese text.
CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_SPACE_BESIDE_CJK = re.compile(rf"(?<=[{CJK}])\s+|\s+(?=[{CJK}])")


def tidy_cjk(text: str) -> str:
    """Collapse template whitespace and drop spaces beside Chinese characters and
    punctuation (spaces inside formulas, ``y = x + 1``, stay)."""
    return _SPACE_BESIDE_CJK.sub("", " ".join(text.split()))
