"""Render docs/analytic-examples/: one diagram per figure kind and one problem per question
kind (its vision-dominant image), and write their Markdown into docs/analytic.md (between
its <!-- figures --> and <!-- questions --> markers).

    python docs/analytic_examples.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mavis_engine import AnalyticGeometry
from mavis_engine.analytic.figures import KINDS

OUT = Path(__file__).parent / "analytic-examples"
SIZE = 320  # small images keep the repository light
QUESTIONS = {  # target kind → the figure kinds whose diagrams ask it often
    "area": KINDS,
    "perimeter": KINDS,
    "length": KINDS,
    "slope": KINDS,
    "midpoint": KINDS,
    "equation": KINDS,
    "parallel": KINDS,
    "perpendicular": KINDS,
    "intersection": ("line", "circle"),
    "distance": ("line", "circle"),
    "contains": ("circle", "square", "triangle", "ellipse"),
    "position": ("circle", "square", "triangle", "segment", "point"),
}


def _save(png: bytes, out: Path, name: str) -> str:
    path = out / f"{name}.png"
    path.write_bytes(png)
    return f"analytic-examples/{path.name}"


def figure_gallery(out: Path) -> list[str]:
    lines = ["| kind | diagram | caption |", "|---|---|---|"]
    for kind in KINDS:
        grid = AnalyticGeometry(
            AnalyticGeometry.Config(kinds=(kind,), figures=(1, 2), image_size=SIZE)
        )
        sample = grid.sample(0, 0)
        image = _save(sample.image, out, f"figure-{kind}")
        lines.append(f"| `{kind}` | ![{kind}]({image}) | {sample.caption} |")
    return lines


def question_gallery(out: Path) -> list[str]:
    lines = []
    for asked, kinds in QUESTIONS.items():
        grid = AnalyticGeometry(AnalyticGeometry.Config(kinds=kinds, image_size=SIZE))
        for index in range(2000):
            sample = grid.sample(0, index, problems=True)
            rows = sample.rows("instruct")
            if json.loads(rows[0]["target"])["kind"] == asked:
                break
        else:
            raise RuntimeError(f"no {asked} question found")
        dominant = rows[3]
        image = _save(dominant["images"][0]["bytes"], out, f"question-{asked}")
        quoted = "\n".join(f"> {line}" for line in rows[0]["rationale"].splitlines())
        lines += [
            f"### `{asked}` (kinds {', '.join(kinds) if kinds != KINDS else 'all'}, index {index})",
            "",
            f"![{asked}]({image})",
            "",
            f"Text dominant: {rows[0]['question']}",
            "",
            f"Vision dominant: {dominant['question']}",
            "",
            quoted,
            "",
        ]
    return lines


def fill(doc: str, marker: str, lines: list[str]) -> str:
    """``doc`` with the text between its ``marker`` comments replaced by ``lines``."""
    body = "\n".join(lines).strip()
    pattern = re.compile(rf"(<!-- {marker} -->\n).*?(\n<!-- /{marker} -->)", re.S)
    return pattern.sub(lambda m: m[1] + body + m[2], doc)


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    page = Path(__file__).parent / "analytic.md"
    doc = fill(page.read_text(), "figures", figure_gallery(OUT))
    page.write_text(fill(doc, "questions", question_gallery(OUT)))
