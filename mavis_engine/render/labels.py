"""Label placement: candidate positions tried in order, no overlaps, nothing cut off."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from PIL import ImageFont

from mavis_engine.errors import Rejected

PAD = 2.0  # pixels kept clear around every label
CHUNK = 8  # candidates tested against the strokes at a time


@lru_cache(maxsize=4096)
def _text_box(font: ImageFont.FreeTypeFont, text: str) -> tuple[int, int, int, int]:
    return font.getbbox(text, anchor="mm")


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
        candidates: np.ndarray | Iterable[tuple[float, float]],
        meta: dict,
    ) -> Placed:
        x0, y0, x1, y1 = _text_box(font, text)
        half = np.array([(x1 - x0) / 2, (y1 - y0) / 2])
        offset = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
        centers = np.asarray(candidates, dtype=float)
        boxes = self._boxes(centers + offset, half)
        inside = (
            (boxes[:, 0] >= PAD)
            & (boxes[:, 1] >= PAD)
            & (boxes[:, 2] <= self.width - PAD)
            & (boxes[:, 3] <= self.height - PAD)
        )
        free = inside.copy()
        if self.placed:
            taken = np.array([other.bbox for other in self.placed])[None, :, :]
            b = boxes[:, None, :]
            apart = (
                (b[..., 2] + PAD <= taken[..., 0])
                | (b[..., 0] - PAD >= taken[..., 2])
                | (b[..., 3] + PAD <= taken[..., 1])
                | (b[..., 1] - PAD >= taken[..., 3])
            )
            free &= apart.all(axis=1)
        # Test strokes only until a clean place turns up: most labels take an early one.
        free_idx = np.flatnonzero(free)
        choice = free_idx[:1]
        if self._strokes is not None:
            grown = boxes + np.array([-1, -1, 1, 1]) * self._clear
            for chunk in np.array_split(free_idx, max(1, len(free_idx) // CHUNK)):
                hits = shapely.intersects(self._strokes, shapely.box(*grown[chunk].T))
                if not hits.all():
                    choice = chunk[~hits][:1]
                    break
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


SPREAD = np.radians([0, 20, -20, 40, -40, 65, -65, 90, -90, 135, -135, 180])


def ring(
    center: np.ndarray,
    direction: np.ndarray,
    distances: Iterable[float],
    spread: np.ndarray = SPREAD,
) -> np.ndarray:
    """Candidate centres around ``center``: preferred ``direction`` first, then fanning out."""
    t = (np.arctan2(direction[1], direction[0]) + spread)[None, :]
    d = np.asarray(list(distances), dtype=float)[:, None]
    return np.column_stack(
        [(center[0] + d * np.cos(t)).ravel(), (center[1] + d * np.sin(t)).ravel()]
    )
