"""Pillow rasterizer: draws a Figure to scale, 2x supersampled, and records where every
point and label landed. It reads only the Figure; it knows no geometry generator."""

from __future__ import annotations

import io
import math
from collections import defaultdict

import numpy as np
from PIL import Image, ImageDraw

from mavis_engine import exact
from mavis_engine.figure import Arc, Fact, Figure, Segment, Shape
from mavis_engine.plane.build import arc_points
from mavis_engine.render.labels import LabelLayout, ring
from mavis_engine.render.style import Style, font

SUPERSAMPLE = 2
PALETTE_COLORS = 64
ASPECT_LIMITS = (0.6, 1.0)  # short side / long side of the image


def _gray(rgb: tuple[int, int, int]) -> int:
    return round(0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2])


def _model_polylines(figure: Figure) -> tuple[list[np.ndarray], list[tuple[Shape, np.ndarray]]]:
    """Strokes to draw (each shared segment once) and each solid shape's closed outline."""
    pts = figure.points
    strokes: list[np.ndarray] = []
    seen: set[frozenset] = set()
    outlines = []
    for shape in figure.shapes:
        ring_pts: list[np.ndarray] = []
        for piece in shape.boundary:
            if isinstance(piece, Segment):
                line = np.array([pts[piece.a], pts[piece.b]])
                key = frozenset((piece.a, piece.b))
                if key not in seen:
                    seen.add(key)
                    strokes.append(line)
            elif isinstance(piece, Arc):
                line = arc_points(piece, pts)
                strokes.append(line)
            else:
                t = np.linspace(0, 2 * np.pi, 97)
                line = np.column_stack(
                    [
                        piece.center[0] + piece.radius * np.cos(t),
                        piece.center[1] + piece.radius * np.sin(t),
                    ]
                )
                strokes.append(line)
            ring_pts.append(line[:-1] if len(line) > 2 else line[:1])
        if shape.kind != "inscribed_circle":
            outlines.append((shape, np.concatenate(ring_pts)))
    return strokes, outlines


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


class _Canvas:
    """Model->pixel mapping plus a supersampled Pillow canvas."""

    def __init__(self, W: int, H: int, s: float, tx: float, ty: float, style: Style) -> None:
        self.W, self.H, self.s, self.tx, self.ty = W, H, s, tx, ty
        self.style = style
        mode = "L" if style.grayscale else "RGB"
        self.image = Image.new(
            mode, (W * SUPERSAMPLE, H * SUPERSAMPLE), self.color((255, 255, 255))
        )
        self.draw = ImageDraw.Draw(self.image)

    def color(self, rgb: tuple[int, int, int]):
        return _gray(rgb) if self.style.grayscale else rgb

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
            [tuple(p) for p in pixels * k],
            fill=color,
            width=max(1, round(width * k)),
            joint="curve",
        )


def _unit(v: np.ndarray) -> np.ndarray:
    return v / (np.linalg.norm(v) or 1.0)


def render(
    figure: Figure,
    style: Style,
    size: int = 512,
    annotate: list[Fact] | None = None,
    png_level: int = 6,
) -> bytes:
    """Draw ``figure`` and return PNG bytes; fills its width, height, pixels, labels, transform.

    ``annotate`` lists the measures drawn as labels (default: every shape's givens).
    """
    if annotate is None:
        annotate = [g for shape in figure.shapes for g in shape.givens]
    strokes, outlines = _model_polylines(figure)
    fs = style.font_size
    W, H, s, tx, ty = _fit(strokes, size, margin=2.2 * fs + 4)
    cv = _Canvas(W, H, s, tx, ty, style)
    pix = {name: cv.px(xy) for name, xy in figure.points.items()}
    line_color = cv.color(style.line_color)
    accent = cv.color(style.accent)

    if style.fill is not None:
        for _, ring_pts in outlines:
            cv.draw.polygon(
                [tuple(p) for p in cv.px(ring_pts) * SUPERSAMPLE], fill=cv.color(style.fill)
            )
    pixel_strokes = [cv.px(line) for line in strokes]
    for line in pixel_strokes:
        cv.line(line, line_color, style.line_width)
    if style.vertex_dots:
        r = SUPERSAMPLE * max(1.5, style.line_width)
        for p in pix.values():
            x, y = p * SUPERSAMPLE
            cv.draw.ellipse((x - r, y - r, x + r, y + r), fill=line_color)

    mark = max(7.0, 0.6 * fs)
    for shape in figure.shapes:
        for a, v, b in shape.right_angles:
            ua, ub = _unit(pix[a] - pix[v]), _unit(pix[b] - pix[v])
            corner = [pix[v] + mark * ua, pix[v] + mark * (ua + ub), pix[v] + mark * ub]
            cv.line(np.array(corner), accent, max(1.0, style.line_width * 0.6))

    layout = LabelLayout(W, H, pixel_strokes, style.line_width)
    label_font = font(style.font, fs * SUPERSAMPLE)
    measure_font = font(style.font, fs)
    directions = _incident_directions(figure, pix, pixel_strokes)
    # Vertex letters first: they matter most and have the fewest good places.
    for name, p in pix.items():
        gap_dir = _widest_gap(directions[name])
        layout.place(
            name,
            measure_font,
            ring(p, gap_dir, (0.95 * fs, 1.35 * fs, 1.8 * fs)),
            {"kind": "point", "of": [name]},
        )
    arc_r = max(14.0, 1.3 * fs)
    for fact in annotate:
        if fact.kind == "length":
            _place_length(layout, measure_font, fact, pix, figure, fs)
        elif fact.kind == "angle" and fact.value != 90:
            a, v, b = fact.of
            _draw_angle_arc(cv, pix[a], pix[v], pix[b], arc_r, accent, style.line_width)
            bis = _unit(_unit(pix[a] - pix[v]) + _unit(pix[b] - pix[v]))
            text = f"{exact.display(fact.exact)}°"
            spread = np.radians([0, 12, -12, 25, -25])
            layout.place(
                text,
                measure_font,
                ring(pix[v], bis, (arc_r + 0.9 * fs, arc_r + 1.5 * fs, arc_r + 2.2 * fs), spread),
                {"kind": "angle", "of": list(fact.of)},
            )
    text_color = cv.color(style.line_color)
    for label in layout.placed:
        cx, cy = label.center
        cv.draw.text(
            (cx * SUPERSAMPLE, cy * SUPERSAMPLE),
            label.text,
            font=label_font,
            fill=text_color,
            anchor="mm",
        )

    figure.width, figure.height = W, H
    figure.pixels = {k: (float(v[0]), float(v[1])) for k, v in pix.items()}
    figure.labels = [
        {"text": lb.text, "bbox": [round(c, 2) for c in lb.bbox], **lb.meta} for lb in layout.placed
    ]
    figure.transform = [[s, 0.0, tx], [0.0, -s, ty]]
    image = cv.image.reduce(SUPERSAMPLE)
    if image.mode == "RGB":
        # A few flat colours plus their anti-aliasing ramps: 64 palette entries look the
        # same and encode in half the time of RGB, at half the size.
        image = image.quantize(PALETTE_COLORS, method=Image.Quantize.FASTOCTREE)
    buf = io.BytesIO()
    image.save(buf, "PNG", compress_level=png_level)
    return buf.getvalue()


def _incident_directions(figure: Figure, pix: dict, strokes: list[np.ndarray]) -> dict[str, list]:
    """Pixel directions of the strokes leaving each named point."""
    out: dict[str, list] = defaultdict(list)
    for name, p in pix.items():
        for line in strokes:
            for end, nxt in (
                (line[0], line[min(1, len(line) - 1)]),
                (line[-1], line[max(-2, -len(line))]),
            ):
                if np.hypot(*(end - p)) < 1e-6 and np.hypot(*(nxt - p)) > 1e-9:
                    out[name].append(math.atan2(nxt[1] - p[1], nxt[0] - p[0]))
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
    candidates = (
        p + along[None, :, None] * (q - p) + offsets[:, None, None] * normal
    ).reshape(-1, 2)
    layout.place(
        exact.display(fact.exact), fnt, candidates, {"kind": "length", "of": list(fact.of)}
    )


def _draw_angle_arc(cv: _Canvas, a, v, b, radius: float, color, width: float) -> None:
    ta = math.degrees(math.atan2(a[1] - v[1], a[0] - v[0]))
    tb = math.degrees(math.atan2(b[1] - v[1], b[0] - v[0]))
    # Pillow sweeps clockwise on screen from start to end: start from the ray that makes
    # the sweep the angle itself (< 180) rather than its reflex complement.
    start, end = (ta, tb) if (tb - ta) % 360 < 180 else (tb, ta)
    k = SUPERSAMPLE
    r = radius * k
    x, y = v * k
    cv.draw.arc(
        (x - r, y - r, x + r, y + r),
        start,
        end,
        fill=color,
        width=max(1, round(max(1.0, width * 0.7) * k)),
    )
