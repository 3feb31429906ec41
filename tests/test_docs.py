"""The analytic and solid docs' examples are what the engine makes now (regenerate them
with `python docs/analytic_examples.py` or `PYTHONPATH=. python docs/solid_examples.py`
after a change to sampling or wording)."""

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


def test_solid_question_table_is_current(tmp_path):
    spec = importlib.util.spec_from_file_location("solids", DOCS / "solid_examples.py")
    examples = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(examples)
    page = (DOCS / "solids.md").read_text()
    lines = examples.question_table(tmp_path)
    assert examples.fill(page, "questions", lines) == page
    assert len(lines) == 2 + len(examples.QUESTIONS)
    for image in tmp_path.iterdir():
        assert (DOCS / "solid-questions" / image.name).is_file()
