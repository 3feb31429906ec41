"""Label placement: candidate positions tried in order, no overlaps, nothing cut off."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import shapely
from PIL import ImageFont

from mavis_engine.errors import Rejected

PAD = 2.0  # pixels kept clear around every label


@dataclass
class Placed:
    """A label that found a place: its text, centre and pixel box."""

    text: str
    center: tuple[float, float]
    bbox: tuple[float, float, float, float]
    meta: dict


class LabelLayout:
    """Places text boxes greedily; a box must stay inside the image, off other boxes and,
    where any candidate allows it, off the drawn strokes."""

    def __init__(
        self, width: int, height: int, strokes: list[np.ndarray], stroke_width: float
    ) -> None:
        self.width, self.height = width, height
        lines = [s for s in strokes if len(s) >= 2]
        self._strokes = shapely.MultiLineString(lines) if lines else None
        if self._strokes is not None:
            shapely.prepare(self._strokes)
        self._clear = stroke_width / 2 + PAD
        self.placed: list[Placed] = []

    def _boxes(self, centers: np.ndarray, half: np.ndarray) -> np.ndarray:
        return np.column_stack([centers - half, centers + half])

    def place(
        self,
        text: str,
        font: ImageFont.FreeTypeFont,
        candidates: Iterable[tuple[float, float]],
        meta: dict,
    ) -> Placed:
        x0, y0, x1, y1 = font.getbbox(text, anchor="mm")
        half = np.array([(x1 - x0) / 2, (y1 - y0) / 2])
        offset = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
        centers = np.asarray(list(candidates), dtype=float)
        boxes = self._boxes(centers + offset, half)
        inside = (
            (boxes[:, 0] >= PAD)
            & (boxes[:, 1] >= PAD)
            & (boxes[:, 2] <= self.width - PAD)
            & (boxes[:, 3] <= self.height - PAD)
        )
        free = inside.copy()
        for other in self.placed:
            ox0, oy0, ox1, oy1 = other.bbox
            free &= (
                (boxes[:, 2] + PAD <= ox0)
                | (boxes[:, 0] - PAD >= ox1)
                | (boxes[:, 3] + PAD <= oy0)
                | (boxes[:, 1] - PAD >= oy1)
            )
        clean = free.copy()
        if self._strokes is not None and free.any():
            grown = boxes[free] + np.array([-1, -1, 1, 1]) * self._clear
            clean[free] = ~shapely.intersects(self._strokes, shapely.box(*grown.T))
        choice = np.flatnonzero(clean) if clean.any() else np.flatnonzero(free)
        if not len(choice):
            raise Rejected("label_placement", f"no room for label {text!r}")
        i = int(choice[0])
        placed = Placed(
            text,
            (float(centers[i, 0]), float(centers[i, 1])),
            tuple(float(v) for v in boxes[i]),
            meta,
        )
        self.placed.append(placed)
        return placed


def ring(
    center: np.ndarray,
    direction: np.ndarray,
    distances: Iterable[float],
    spread_deg: Iterable[float] = (0, 20, -20, 40, -40, 65, -65, 90, -90, 135, -135, 180),
):
    """Candidate centres around ``center``: preferred ``direction`` first, then fanning out."""
    base = np.arctan2(direction[1], direction[0])
    for d in distances:
        for s in spread_deg:
            t = base + np.radians(s)
            yield (center[0] + d * np.cos(t), center[1] + d * np.sin(t))
