"""Pillow rasterizer: draws a Figure to scale, 2x supersampled, and records where every
point and label landed. It reads only the Figure; it knows no geometry generator."""

from __future__ import annotations

import io
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from mavis_engine import exact
from mavis_engine.figure import Arc, Circle, Fact, Figure, Segment, Shape, piece_points
from mavis_engine.render.labels import LabelLayout, Placed, ring
from mavis_engine.render.style import (
    Style,
    cjk_font,
    draw_text,
    font,
    has_cjk,
    prose_size,
    runs,
    text_length,
)

SUPERSAMPLE = 2
RAMP_STEPS = 16
WHITE = (255, 255, 255)
ASPECT_LIMITS = (0.6, 1.0)  # short side / long side of the image


@lru_cache(maxsize=256)
def palette(line: tuple, fill: tuple | None, accent: tuple) -> Image.Image:
    """Palette image: ramps between every pair of the style's colours."""
    colors = [line, fill or WHITE, accent, WHITE]
    entries = []
    for i, c1 in enumerate(colors):
        for c2 in colors[i + 1 :]:
            for k in range(RAMP_STEPS):
                t = k / (RAMP_STEPS - 1)
                entries.extend(round(x + (y - x) * t) for x, y in zip(c1, c2, strict=True))
    palette = Image.new("P", (1, 1))
    palette.putpalette(entries + [0] * (768 - len(entries)))
    return palette


def gray(rgb: tuple[int, int, int]) -> int:
    return round(0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2])


def _model_polylines(
    figure: Figure,
) -> tuple[list[np.ndarray], list[tuple[str, str] | None], list[tuple[Shape, np.ndarray]]]:
    """Strokes to draw (each shared segment once), the named points each stroke joins, and
    each solid shape's closed outline."""
    pts = figure.points
    strokes: list[np.ndarray] = []
    ends: list[tuple[str, str] | None] = []
    seen: set[frozenset] = set()
    outlines = []
    for shape in figure.shapes:
        ring_pts: list[np.ndarray] = []
        for piece in shape.boundary:
            line = piece_points(piece, pts)
            ring_pts.append(line[:-1])
            if isinstance(piece, Segment):
                key = frozenset((piece.a, piece.b))
                if key in seen:
                    continue
                seen.add(key)
            strokes.append(line)
            ends.append(
                (piece.a, piece.b)
                if isinstance(piece, Segment)
                else (piece.start, piece.end)
                if isinstance(piece, Arc)
                else None
            )
        # A whole circle with no named points (an inscribed circle) decorates a solid; it
        # is not one of the solids whose outlines labels keep out of.
        if not all(isinstance(piece, Circle) for piece in shape.boundary):
            outlines.append((shape, np.concatenate(ring_pts)))
    return strokes, ends, outlines


def _fit(
    strokes: list[np.ndarray], size: int, margin: float
) -> tuple[int, int, float, float, float]:
    allpts = np.concatenate(strokes)
    (x0, y0), (x1, y1) = allpts.min(axis=0), allpts.max(axis=0)
    w, h = max(x1 - x0, 1e-9), max(y1 - y0, 1e-9)
    lo, hi = ASPECT_LIMITS
    if w >= h:
        W = size
        H = int(np.clip(2 * margin + (size - 2 * margin) * h / w, lo * size, hi * size))
    else:
        H = size
        W = int(np.clip(2 * margin + (size - 2 * margin) * w / h, lo * size, hi * size))
    W, H = W - W % 2, H - H % 2
    s = min((W - 2 * margin) / w, (H - 2 * margin) / h)
    tx = W / 2 - s * (x0 + x1) / 2
    ty = H / 2 + s * (y0 + y1) / 2
    return W, H, s, tx, ty


class Ink:
    """Pillow drawing calls, recorded to be replayed onto a canvas later (``Sketch.paint``):
    the layout, and so a sample's rejection and its figure fields, is known without
    painting, and a picture nothing writes is never painted."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple, dict]] = []

    def line(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append(("line", args, kwargs))

    def polygon(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append(("polygon", args, kwargs))

    def ellipse(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append(("ellipse", args, kwargs))

    def rectangle(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append(("rectangle", args, kwargs))

    def replay(self, draw: ImageDraw.ImageDraw) -> None:
        """Make the recorded calls on ``draw``, in order."""
        for name, args, kwargs in self.calls:
            getattr(draw, name)(*args, **kwargs)


@dataclass
class Sketch:
    """A picture laid out (strokes recorded at 2x, labels placed) and not yet painted."""

    width: int
    height: int
    mode: str  # "L" or "RGB"
    ink: Ink
    labels: list[Placed]
    font: Any  # the labels' font
    text_color: Any
    palette: Image.Image | None  # for RGB: the ramps the picture is mapped onto
    footer_font: tuple[str, int] | None = None  # (name, size) of text set under it, if not font

    layout: dict[str, Any] = field(default_factory=dict)  # the figure fields it filled
    _base: Image.Image | None = field(default=None, repr=False)

    def apply(self, figure: Figure) -> None:
        """Give ``figure`` this picture's layout fields (size, pixels, labels, transform):
        what a sketch fills, restored when a sketch made earlier is painted."""
        for name, value in self.layout.items():
            setattr(figure, name, list(value) if name == "labels" else value)

    def paint(self, png_level: int, footer: str | None = None) -> tuple[bytes, list[dict], int]:
        """PNG bytes, the footer's lines as labels, and the image height (with the footer)."""
        background = gray(WHITE) if self.mode == "L" else WHITE
        if self._base is None:  # the strokes, once: versions differing by a footer share it
            canvas = Image.new(
                self.mode, (self.width * SUPERSAMPLE, self.height * SUPERSAMPLE), background
            )
            self.ink.replay(ImageDraw.Draw(canvas))
            self._base = canvas.reduce(SUPERSAMPLE)
        image = self._base.copy()
        lines: list[dict] = []
        if footer:
            fnt = font(*self.footer_font) if self.footer_font else self.font
            image, lines = add_footer(image, footer, fnt, background, self.text_color)
        # Text after the reduction: FreeType anti-aliases glyphs itself, at a quarter the
        # pixels.
        draw = ImageDraw.Draw(image)
        for label in self.labels:
            draw_text(draw, label.center, label.text, label.font, self.text_color, anchor="mm")
        if image.mode == "RGB":
            # A diagram is a few flat colours plus the anti-aliasing ramps between them: a
            # palette of those ramps looks the same, encodes in half the time of RGB and
            # takes a third of the time of adaptive quantisation.
            image = image.quantize(palette=self.palette, dither=Image.Dither.NONE)
        buf = io.BytesIO()
        image.save(buf, "PNG", compress_level=png_level)
        return buf.getvalue(), lines, image.height


class _Canvas:
    """Model->pixel mapping plus the recorded supersampled strokes."""

    def __init__(self, W: int, H: int, s: float, tx: float, ty: float, style: Style) -> None:
        self.W, self.H, self.s, self.tx, self.ty = W, H, s, tx, ty
        self.style = style
        self.draw = Ink()

    def color(self, rgb: tuple[int, int, int]):
        return gray(rgb) if self.style.grayscale else rgb

    def px(self, xy) -> np.ndarray:
        """Model coordinates -> output pixels (origin top-left, y down)."""
        xy = np.asarray(xy, dtype=float)
        return (
            np.column_stack([self.tx + self.s * xy[..., 0], self.ty - self.s * xy[..., 1]])
            if xy.ndim == 2
            else np.array([self.tx + self.s * xy[0], self.ty - self.s * xy[1]])
        )

    def line(self, pixels: np.ndarray, color, width: float) -> None:
        k = SUPERSAMPLE
        self.draw.line(
            (pixels * k).ravel().tolist(),  # flat [x0, y0, ...]: cheaper than pairs for Pillow
            fill=color,
            width=max(1, round(width * k)),
            joint="curve",
        )


def _dashes(a: np.ndarray, b: np.ndarray, period: float) -> list[np.ndarray]:
    """Pieces of a dashed line from ``a`` to ``b``: dashes of 60% of ``period``, a whole
    number of periods with a dash at each end (its ends stay visible)."""
    n = max(1, round(float(np.linalg.norm(b - a)) / period))
    starts = np.arange(n + 1) / (n + 0.6)
    return [np.array([a + t * (b - a), a + (t + 0.6 / (n + 0.6)) * (b - a)]) for t in starts]


def _unit(v: np.ndarray) -> np.ndarray:
    return v / (np.linalg.norm(v) or 1.0)


def render(
    figure: Figure,
    style: Style,
    size: int = 512,
    annotate: list[Fact] | None = None,
    png_level: int = 6,
    footer: str | None = None,
) -> bytes:
    """Draw ``figure`` and return PNG bytes; fills its width, height, pixels, labels, transform.

    ``annotate`` lists the measures drawn as labels (default: every shape's givens);
    ``footer`` is text set under the diagram (a problem shown in the image), its lines
    recorded as labels of kind ``text``.
    """
    return paint(figure, sketch(figure, style, size, annotate), png_level, footer)


def paint(figure: Figure, drawing: Sketch, png_level: int = 6, footer: str | None = None) -> bytes:
    """Paint ``drawing`` (a sketch of ``figure``, perhaps painted before with another
    footer) and return PNG bytes; gives ``figure`` the drawing's layout fields, with the
    footer's lines and height."""
    png, lines, height = drawing.paint(png_level, footer)
    drawing.apply(figure)
    if footer:
        figure.labels += lines
        figure.height = height
    return png


def sketch(
    figure: Figure, style: Style, size: int = 512, annotate: list[Fact] | None = None
) -> Sketch:
    """Lay ``figure`` out as ``render`` draws it (without a footer), unpainted; fills its
    width, height, pixels, labels and transform all the same. Raises Rejected as ``render``
    does when a label has no room."""
    if annotate is None:
        annotate = [g for shape in figure.shapes for g in shape.givens]
    strokes, ends, outlines = _model_polylines(figure)
    fs = style.font_size
    W, H, s, tx, ty = _fit(strokes, size, margin=2.2 * fs + 4)
    cv = _Canvas(W, H, s, tx, ty, style)
    pix = {name: cv.px(xy) for name, xy in figure.points.items()}
    line_color = cv.color(style.line_color)
    accent = cv.color(style.accent)

    if style.fill is not None:
        for _, ring_pts in outlines:
            cv.draw.polygon(
                (cv.px(ring_pts) * SUPERSAMPLE).ravel().tolist(), fill=cv.color(style.fill)
            )
    pixel_strokes = [cv.px(line) for line in strokes]
    for line in pixel_strokes:
        cv.line(line, line_color, style.line_width)
    # A labelled length with no side of its own (the diameter under a semicircle that
    # replaces a rectangle's side) is drawn dashed, as a textbook does: a label must
    # stand beside the segment it measures, never float in the shape.
    joined = {
        frozenset((piece.a, piece.b))
        for shape in figure.shapes
        for piece in shape.boundary
        if isinstance(piece, Segment)
    }
    for fact in annotate:
        if fact.kind == "length" and frozenset(fact.of) not in joined:
            joined.add(frozenset(fact.of))
            a, b = (pix[n] for n in fact.of)
            for dash in _dashes(a, b, 1.2 * fs):
                cv.line(dash, line_color, max(1.0, style.line_width * 0.8))
            pixel_strokes.append(np.array([a, b]))
            ends.append(tuple(fact.of))
    if style.vertex_dots:
        r = SUPERSAMPLE * max(1.5, style.line_width)
        for p in pix.values():
            x, y = p * SUPERSAMPLE
            cv.draw.ellipse((x - r, y - r, x + r, y + r), fill=line_color)

    # Marks (right-angle squares, angle arcs) are strokes too: labels keep off them.
    mark = max(7.0, 0.6 * fs)
    marks = [
        np.array([pix[v] + mark * ua, pix[v] + mark * (ua + ub), pix[v] + mark * ub])
        for shape in figure.shapes
        for a, v, b in shape.right_angles
        for ua, ub in [(_unit(pix[a] - pix[v]), _unit(pix[b] - pix[v]))]
    ]
    arc_r = max(14.0, 1.3 * fs)
    angles = [f for f in annotate if f.kind == "angle" and f.value != 90]
    marks += [_angle_arc(pix[a], pix[v], pix[b], arc_r) for a, v, b in (f.of for f in angles)]
    for line in marks:
        cv.line(line, accent, max(1.0, style.line_width * 0.65))

    layout = LabelLayout(W, H, pixel_strokes + marks, style.line_width)
    measure_font = font(style.font, fs)
    directions = _incident_directions(pixel_strokes, ends)
    # Vertex letters first: they matter most and have the fewest good places.
    for name, p in pix.items():
        gap_dir = _widest_gap(directions[name])
        layout.place(
            name,
            measure_font,
            ring(p, gap_dir, (0.95 * fs, 1.35 * fs, 1.8 * fs)),
            {"kind": "point", "of": [name]},
        )
    for fact in annotate:
        if fact.kind == "length":
            _place_length(layout, measure_font, fact, pix, figure, fs)
    spread = np.radians([0, 12, -12, 25, -25])
    for fact in angles:
        a, v, b = fact.of
        bis = _unit(_unit(pix[a] - pix[v]) + _unit(pix[b] - pix[v]))
        layout.place(
            f"{exact.display(fact.exact)}°",
            measure_font,
            ring(pix[v], bis, (arc_r + 0.9 * fs, arc_r + 1.5 * fs, arc_r + 2.2 * fs), spread),
            {"kind": "angle", "of": list(fact.of)},
        )
    figure.width, figure.height = W, H
    figure.pixels = {k: (float(v[0]), float(v[1])) for k, v in pix.items()}
    figure.labels = [
        {"text": lb.text, "bbox": [round(c, 2) for c in lb.bbox], **lb.meta} for lb in layout.placed
    ]
    figure.transform = [[s, 0.0, tx], [0.0, -s, ty]]
    return Sketch(
        W,
        H,
        "L" if style.grayscale else "RGB",
        cv.draw,
        layout.placed,
        measure_font,
        cv.color(style.line_color),
        None if style.grayscale else palette(style.line_color, style.fill, style.accent),
        footer_font=(style.font, prose_size(style, size)),
        layout={
            name: getattr(figure, name)
            for name in ("width", "height", "pixels", "labels", "transform")
        },
    )


# Signs a line never breaks beside: "30 + 4π" and "y = 2x − 1" stay whole on a line.
_GLUE = {"+", "-", "−", "=", "×", "·", "/", "<", ">", "≤", "≥", "≠", "±"}
_OPTION = re.compile(r"[A-H]:")  # an option's letter stays with its value


def _units(paragraph: str) -> list[str]:
    """The paragraph's words, those of one expression or bracket (and an option's letter
    with its value) joined: the places a line may break are between units."""
    units: list[str] = []
    depth, glue_next = 0, False
    for word in paragraph.split():
        if units and (glue_next or depth > 0 or word in _GLUE):
            units[-1] += " " + word
        else:
            units.append(word)
        opened = word.count("(") + word.count("[") - word.count(")") - word.count("]")
        depth = max(0, depth + opened)
        glue_next = word in _GLUE or _OPTION.fullmatch(word) is not None
    return units


def _wrap(text: str, fnt, width: float) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for unit in _units(paragraph):
            # A unit wider than a line is broken at its spaces after all.
            for word in [unit] if text_length(fnt, unit) <= width else unit.split():
                trial = f"{line} {word}".strip()
                if line and text_length(fnt, trial) > width:
                    lines.append(line)
                    line = word
                else:
                    line = trial
        lines.append(line)
    return lines


# Where a Chinese line may break: after any ideograph or full-width sign, never inside a
# run of Latin letters, digits and signs, nor beside a sign that glues an expression
# ("14 - 5π/2", "y = 2x + 1"), inside a bracket ("[-3, 9]"), or between an option's letter
# and its value ("A：30 + 4π"): as ``_units`` keeps English expressions whole. A closing
# sign (，。) stays on the line it closes, and when it has no room there the piece before
# it goes down with it (the line never runs past the margin).
_CJK_PIECE = re.compile(r"[^\s\u3000-\u9fff\uff00-\uffef]+|[\u3000-\u9fff\uff00-\uffef]|\s+")
_NO_LINE_START = set("，。、；：？！）》」』”’")
_LETTERS = set("ABCDEFGH")


def _cjk_units(paragraph: str) -> list[str]:
    """The paragraph's pieces, those of one expression, bracket or option joined: the
    places a Chinese line may break are between units."""
    pieces = _CJK_PIECE.findall(paragraph)
    joins: list[bool | None] = []  # per piece: joined to the one before (None: a space)
    depth, glue_next, prev = 0, False, ""
    for piece in pieces:
        if piece.isspace():
            joins.append(None)
            continue
        option = piece == "：" and prev in _LETTERS  # "A：" holds on to its value
        joins.append(bool(joins) and (glue_next or depth > 0 or piece in _GLUE or option))
        opened = piece.count("(") + piece.count("[") - piece.count(")") - piece.count("]")
        depth = max(0, depth + opened)
        glue_next, prev = piece in _GLUE or option, piece
    units: list[str] = []
    for i, piece in enumerate(pieces):
        join = joins[i]
        if join is None:  # a space is inside a unit where the piece after it joins
            join = next((j for j in joins[i + 1 :] if j is not None), False)
        if units and join:
            units[-1] += piece
        else:
            units.append(piece)
    return units


def _wrap_cjk(text: str, fnt, width: float) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, last = "", ""  # last: the line's final piece
        for unit in _cjk_units(paragraph):
            # A unit wider than a line is broken between its pieces after all.
            whole = text_length(fnt, unit.strip()) <= width
            for piece in [unit] if whole else _CJK_PIECE.findall(unit):
                trial = line + piece
                over = line.strip() and piece.strip() and text_length(fnt, trial.rstrip()) > width
                if over and piece not in _NO_LINE_START:
                    lines.append(line.rstrip())
                    line = piece
                elif (
                    over
                    and last.strip()
                    and last not in _NO_LINE_START
                    and line[: -len(last)].strip()
                ):
                    lines.append(line[: -len(last)].rstrip())
                    line = last + piece
                elif line or piece.strip():
                    line = trial
                last = piece
        lines.append(line.rstrip())
    return lines


def add_footer(
    image: Image.Image, text: str, fnt, background, color
) -> tuple[Image.Image, list[dict]]:
    """Extend the image downwards with ``text``, wrapped; each line as a ``text`` label."""
    margin = 8
    # The face the lines are set in (Chinese: Noto Sans CJK), each line in runs of it and
    # of faces with the signs it lacks; measured as drawn.
    parts = runs(fnt, text)
    if len(parts) == 1:
        fnt = parts[0][1]
    elif has_cjk(text):
        fnt = cjk_font(round(fnt.size))
    if has_cjk(text):  # lines broken between characters
        lines = _wrap_cjk(text, fnt, image.width - 2 * margin)
    else:
        lines = _wrap(text, fnt, image.width - 2 * margin)
    ascent, descent = fnt.getmetrics()
    step = ascent + descent + 3
    out = Image.new(
        image.mode, (image.width, image.height + step * len(lines) + margin), background
    )
    out.paste(image, (0, 0))
    draw = ImageDraw.Draw(out)
    labels = []
    y = image.height
    for line in lines:
        draw_text(draw, (margin, y), line, fnt, color)
        box = [margin, y, round(margin + text_length(fnt, line), 2), y + ascent + descent]
        labels.append({"text": line, "bbox": box, "kind": "text", "of": []})
        y += step
    return out, labels


def _incident_directions(strokes: list[np.ndarray], ends: list) -> dict[str, list[float]]:
    """Pixel directions (radians) of the strokes leaving each named point."""
    out: dict[str, list[float]] = defaultdict(list)
    for line, names in zip(strokes, ends, strict=True):
        if names is None:
            continue
        for name, (x0, y0), (x1, y1) in (
            (names[0], line[0], line[1]),
            (names[1], line[-1], line[-2]),
        ):
            out[name].append(math.atan2(y1 - y0, x1 - x0))
    return out


def _widest_gap(angles: list[float]) -> np.ndarray:
    """Direction through the middle of the widest empty sector around a point."""
    if not angles:
        return np.array([0.0, -1.0])
    a = np.sort(np.mod(angles, 2 * np.pi))
    gaps = np.diff(np.append(a, a[0] + 2 * np.pi))
    i = int(np.argmax(gaps))
    t = a[i] + gaps[i] / 2
    return np.array([np.cos(t), np.sin(t)])


def _place_length(layout: LabelLayout, fnt, fact: Fact, pix: dict, figure: Figure, fs: int) -> None:
    a, b = fact.of
    p, q = pix[a], pix[b]
    owner = next((s for s in figure.shapes if a in s.vertices and b in s.vertices), None)
    inside = np.mean([pix[v] for v in owner.vertices], axis=0) if owner else (p + q) / 2
    normal = _unit(np.array([-(q - p)[1], (q - p)[0]]))
    if np.dot(normal, inside - (p + q) / 2) > 0:
        normal = -normal  # put the label outside the shape it measures
    # Outside first, nearest first, middle of the side first.
    offsets = np.array([side * d for side in (1, -1) for d in (0.8, 1.2, 1.7)]) * fs
    along = np.array([0.5, 0.38, 0.62, 0.28, 0.72])
    candidates = (p + along[None, :, None] * (q - p) + offsets[:, None, None] * normal).reshape(
        -1, 2
    )
    layout.place(
        exact.display(fact.exact), fnt, candidates, {"kind": "length", "of": list(fact.of)}
    )


def _angle_arc(a: np.ndarray, v: np.ndarray, b: np.ndarray, radius: float) -> np.ndarray:
    """Polyline of the arc marking angle a-v-b (the angle itself, never its reflex side)."""
    ta = math.atan2(a[1] - v[1], a[0] - v[0])
    sweep = (math.atan2(b[1] - v[1], b[0] - v[0]) - ta + math.pi) % (2 * math.pi) - math.pi
    t = ta + np.linspace(0.0, sweep, max(6, int(abs(sweep) * radius / 3)))
    return np.column_stack([v[0] + radius * np.cos(t), v[1] + radius * np.sin(t)])
