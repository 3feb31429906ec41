"""Make docs/solid-examples.png: one rendered sample of every solid (and both
projections of a cube), from `SolidGeometry` with seed 0; and docs/solid-questions/: one
problem of every question kind (its vision-dominant image), the first of its kind among
the instruct samples of seed 0, with its table written into docs/solids.md (between the
<!-- questions --> markers).

    PYTHONPATH=. python docs/solid_examples.py
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from PIL import Image

from mavis_engine.solid import SolidGeometry
from mavis_engine.solid.build import build
from mavis_engine.solid.chains import CHAINS
from mavis_engine.solid.solids import KINDS

DOCS = Path(__file__).parent
CELL, COLUMNS = 256, 4
QUESTION_SIZE = 384  # the question images' long side, to keep the repository light
#: The question kinds: a one-step volume or total surface area (of any solid), or a chain.
QUESTIONS = ("volume", "surface_area", *(c.__name__ for cs in CHAINS.values() for c in cs))


def _image(png: bytes, size: int) -> Image.Image:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.thumbnail((size, size))
    return image


def solid_sheet() -> None:
    images = []
    for kind in KINDS:
        for projection in ("cabinet", "elevated") if kind == "cube" else ("elevated",):
            gen = SolidGeometry(solids=(kind,), projections=(projection,), grayscale_prob=0)
            images.append(_image(gen.sample(seed=0, index=0).image, CELL))
    rows = (len(images) + COLUMNS - 1) // COLUMNS
    sheet = Image.new("RGB", (COLUMNS * CELL, rows * CELL), "white")
    for i, image in enumerate(images):
        x, y = (i % COLUMNS) * CELL, (i // COLUMNS) * CELL
        sheet.paste(image, (x + (CELL - image.width) // 2, y + (CELL - image.height) // 2))
    sheet.save(DOCS / "solid-examples.png", optimize=True)


def question_kind(row: dict) -> str:
    """The chain a row's problem is (its solid, asked and givens match), else what it asks."""
    params = {k: v for k, v in json.loads(row["params"]).items() if k != "attempt"}
    solid = build(params).solid
    target = json.loads(row["target"])
    asked = (target["kind"], tuple(target["of"]))
    givens = {tuple(g["of"]) for g in json.loads(row["givens"])}
    for chain in CHAINS.get(solid.kind, ()):
        made = chain(solid)
        given = {tuple(g.of) for g, _ in made.givens}
        if (made.target.kind, made.target.of) == asked and given == givens:
            return chain.__name__
    return asked[0]


def question_table(out: Path) -> list[str]:
    """Save each kind's first vision-dominant image in ``out``; its table's lines."""
    found: dict[str, tuple[int, list[dict]]] = {}
    gen = SolidGeometry()
    for index in range(1000):
        rows = gen.sample(seed=0, index=index, problems=True).rows("instruct")
        found.setdefault(question_kind(rows[0]), (index, rows))
        if all(kind in found for kind in QUESTIONS):
            break
    else:
        raise RuntimeError(f"not found: {set(QUESTIONS) - set(found)}")
    out.mkdir(exist_ok=True)
    lines = [
        "| question kind | vision-dominant image | question (text dominant) | answer |",
        "|---|---|---|---|",
    ]
    for kind in QUESTIONS:
        index, rows = found[kind]
        text, dominant = rows[0], rows[3]
        name = kind.replace("_", "-")
        _image(dominant["images"][0]["bytes"], QUESTION_SIZE).save(
            out / f"{name}.png", optimize=True
        )
        solid = json.loads(text["params"])["kind"]
        answer = text["answer"]  # the letter of multiple choice, else the value
        if text["choices"]:
            answer += f" ({text['choices'][ord(answer) - ord('A')]})"
        lines.append(
            f"| `{kind}` ({solid}, index {index}) | ![{kind}](solid-questions/{name}.png) "
            f"| {text['question']} | {answer} |"
        )
    return lines


def fill(page: str, marker: str, lines: list[str]) -> str:
    """``page`` with the lines between <!-- marker --> and <!-- /marker --> replaced."""
    block = "\n".join([f"<!-- {marker} -->", *lines, f"<!-- /{marker} -->"])
    pattern = re.compile(rf"<!-- {marker} -->.*?<!-- /{marker} -->", re.S)
    return pattern.sub(lambda _: block, page)


def main() -> None:
    solid_sheet()
    page = DOCS / "solids.md"
    lines = question_table(DOCS / "solid-questions")
    page.write_text(fill(page.read_text(), "questions", lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
