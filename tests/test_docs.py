"""The analytic docs' examples are what the engine makes now (regenerate them with
`python docs/analytic_examples.py` after a change to sampling or wording)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

DOCS = Path(__file__).parent.parent / "docs"


def test_analytic_examples_are_current(tmp_path):
    spec = importlib.util.spec_from_file_location("examples", DOCS / "analytic_examples.py")
    examples = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(examples)
    page = (DOCS / "analytic.md").read_text()
    fresh = examples.fill(page, "figures", examples.figure_gallery(tmp_path))
    fresh = examples.fill(fresh, "questions", examples.question_gallery(tmp_path))
    assert fresh == page
    for image in tmp_path.iterdir():
        assert image.read_bytes() == (DOCS / "analytic-examples" / image.name).read_bytes()
