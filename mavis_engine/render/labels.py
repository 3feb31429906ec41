"""Label placement: candidate positions tried in order, no overlaps, nothing cut off."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import shapely
from PIL import ImageFont

from mavis_engine.errors import Rejected
from mavis_engine.render.style import runs, text_bbox

PAD = 2.0  # pixels kept clear around every label


@dataclass
class Placed:
    """A label that found a place: its text, centre and pixel box."""

    text: str
    center: tuple[float, float]
    bbox: tuple[float, float, float, float]
    meta: dict
    font: ImageFont.FreeTypeFont  # the face it was measured in, to draw it in


class LabelLayout:
    """Places text boxes greedily; a box must stay inside the image, off other boxes and,
    where any candidate allows it, off the drawn strokes."""

    def __init__(
        self,
        width: int,
        height: int,
        strokes: list[np.ndarray],
        stroke_width: float,
        blocked: Iterable[tuple[float, float, float, float]] = (),
    ) -> None:
        self.width, self.height = width, height
        # Boxes no label may cover (marker dots): unlike strokes, never a fallback.
        self.blocked = list(blocked)
        lines = [s for s in strokes if len(s) >= 2]
        self._strokes = None
        if lines:  # built from one coordinate array: 4x faster than MultiLineString(lines)
            parts = np.repeat(np.arange(len(lines)), [len(s) for s in lines])
            flat = shapely.linestrings(np.concatenate(lines), indices=parts)
            self._strokes = shapely.multilinestrings(flat)
        if self._strokes is not None:
            shapely.prepare(self._strokes)
        self._clear = stroke_width / 2 + PAD
        self.placed: list[Placed] = []

    @property
    def strokes(self) -> shapely.Geometry | None:
        """The strokes labels keep off, as one prepared geometry (None when none)."""
        return self._strokes

    def _fits(self, box: tuple[float, float, float, float]) -> bool:
        """Inside the image and clear of every placed label."""
        x0, y0, x1, y1 = box
        if x0 < PAD or y0 < PAD or x1 > self.width - PAD or y1 > self.height - PAD:
            return False
        return all(
            x1 + PAD <= ox0 or x0 - PAD >= ox1 or y1 + PAD <= oy0 or y0 - PAD >= oy1
            for ox0, oy0, ox1, oy1 in [*(other.bbox for other in self.placed), *self.blocked]
        )

    def _clean(self, box: tuple[float, float, float, float]) -> bool:
        """Clear of the strokes (and of their width)."""
        return self._strokes is None or not self._strokes.intersects(self._grown(box))

    def _grown(self, box: tuple[float, float, float, float]) -> shapely.Geometry:
        """The box grown by the strokes' half width and PAD."""
        c = self._clear
        return shapely.box(box[0] - c, box[1] - c, box[2] + c, box[3] + c)

    def _crossing(self, box: tuple[float, float, float, float]) -> float:
        """Length of stroke inside the box (grown by the strokes' half width and PAD)."""
        if self._clean(box):  # the prepared test first: most boxes meet no stroke
            return 0.0
        return float(self._strokes.intersection(self._grown(box)).length)

    def place(
        self,
        text: str,
        font: ImageFont.FreeTypeFont,
        candidates: np.ndarray | Iterable[tuple[float, float]],
        meta: dict,
        ambiguous: Callable[[tuple[float, float, float, float]], bool] | None = None,
    ) -> Placed:
        """Put ``text`` at the first candidate centre that fits and is clean, else at the
        first that fits; raise Rejected('label_placement') if none fits. The text is
        measured (and is to be drawn) in its runs' faces (``runs(font, text)``).

        With ``ambiguous`` (a box -> whether it reads as another object's label) the first
        clean, unambiguous candidate wins, else the fitting one that is unambiguous if any
        and crosses the least stroke length."""
        placed = self.try_place(text, font, candidates, meta, ambiguous)
        if placed is None:
            raise Rejected("label_placement", f"no room for label {text!r}")
        return placed

    def try_place(
        self,
        text: str,
        font: ImageFont.FreeTypeFont,
        candidates: np.ndarray | Iterable[tuple[float, float]],
        meta: dict,
        ambiguous: Callable[[tuple[float, float, float, float]], bool] | None = None,
        clean: bool = False,
    ) -> Placed | None:
        """``place``, with None (nothing placed) where no candidate fits. ``clean``: the
        caller has found every candidate clear of the strokes (``strokes``)."""
        x0, y0, x1, y1 = text_bbox(font, text)
        parts = runs(font, text)
        if len(parts) == 1:  # the one face it is set in; several are found again to draw
            font = parts[0][1]
        fallback = None
        # With ``ambiguous``: the fitting candidates by (ambiguous, crossing, order), the
        # crossing length measured only where it can decide (it is the costly part).
        clear_reading: list[tuple[float, int, tuple]] = []
        misreading: list[tuple[int, tuple]] = []
        # Candidates are tested lazily, in order: most labels take one of the first few.
        for i, (cx, cy) in enumerate(np.asarray(candidates, dtype=float).tolist()):
            box = (cx + x0, cy + y0, cx + x1, cy + y1)
            if not self._fits(box):
                continue
            if ambiguous is not None:
                if ambiguous(box):
                    misreading.append((i, (cx, cy, box)))
                    continue
                crossing = self._crossing(box)
                if crossing == 0.0:
                    fallback = (cx, cy, box)
                    break
                clear_reading.append((crossing, i, (cx, cy, box)))
                continue
            if clean or self._clean(box):
                fallback = (cx, cy, box)
                break
            fallback = fallback or (cx, cy, box)
        if ambiguous is not None and fallback is None:
            if not clear_reading:  # every place reads as another's: the least crossing
                clear_reading = [(self._crossing(box[2]), i, box) for i, box in misreading]
            if clear_reading:
                fallback = min(clear_reading)[2]
        if fallback is None:
            return None
        cx, cy, box = fallback
        placed = Placed(text, (cx, cy), box, meta, font)
        self.placed.append(placed)
        return placed


def text_size(font: ImageFont.FreeTypeFont, text: str) -> tuple[float, float]:
    """Width and height of ``text``'s box as ``LabelLayout.place`` measures it."""
    x0, y0, x1, y1 = text_bbox(font, text)
    return float(x1 - x0), float(y1 - y0)


def beside(center: np.ndarray, size: tuple[float, float], gaps: Iterable[float]) -> np.ndarray:
    """Centres of a ``size`` box whose edge or corner is ``gap`` from ``center``: above,
    the upper corners, below, the lower corners, right, left, for each gap in turn (a wide
    label then clears a line through the point, which centres on a ring do not)."""
    w, h = size[0] / 2, size[1] / 2
    d = 0.7  # a corner's gap along each axis
    rows = []
    for g in gaps:
        rows += [
            (0, -(g + h)),
            (d * g + w, -(d * g + h)),
            (-(d * g + w), -(d * g + h)),
            (0, g + h),
            (d * g + w, d * g + h),
            (-(d * g + w), d * g + h),
            (g + w, 0),
            (-(g + w), 0),
            # Slid along: the point under a quarter of the box, clear of a line beside it.
            (w / 2, -(g + h)),
            (-w / 2, -(g + h)),
            (w / 2, g + h),
            (-w / 2, g + h),
        ]
    return np.asarray(center, dtype=float) + np.array(rows, dtype=float)


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
