"""Make docs/solid-examples.png: one rendered sample of every solid (and both
projections of a cube), from `SolidGeometry` with seed 0.

    PYTHONPATH=. python docs/solid_examples.py
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from mavis_engine.solid import SolidGeometry
from mavis_engine.solid.solids import KINDS

CELL, COLUMNS = 256, 4


def main() -> None:
    images = []
    for kind in KINDS:
        for projection in ("cabinet", "elevated") if kind == "cube" else ("elevated",):
            gen = SolidGeometry(solids=(kind,), projections=(projection,), grayscale_prob=0)
            png = gen.sample(seed=0, index=0).image
            image = Image.open(io.BytesIO(png)).convert("RGB")
            image.thumbnail((CELL, CELL))
            images.append(image)
    rows = (len(images) + COLUMNS - 1) // COLUMNS
    sheet = Image.new("RGB", (COLUMNS * CELL, rows * CELL), "white")
    for i, image in enumerate(images):
        x, y = (i % COLUMNS) * CELL, (i // COLUMNS) * CELL
        sheet.paste(image, (x + (CELL - image.width) // 2, y + (CELL - image.height) // 2))
    sheet.save(Path(__file__).parent / "solid-examples.png", optimize=True)


if __name__ == "__main__":
    main()
