"""Pillow plots of functions: axes, ticks, grid, the curve, asymptotes, marked key points.

Like the diagram renderer it draws 2x supersampled and reports the model-to-pixel
transform and every label it placed."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import shapely

from mavis_engine.errors import Rejected
from mavis_engine.render.labels import PAD, LabelLayout, beside, ring, text_size
from mavis_engine.render.raster import SUPERSAMPLE, Ink, Sketch, gray, palette
from mavis_engine.render.style import Style, font, prose_size

GRID_COLOR = (215, 215, 215)
AXIS_COLOR = (60, 60, 60)


@dataclass
class PlotSpec:
    """What to draw: the sampled curve, asymptotes, key points, an optional title."""

    xs: np.ndarray
    ys: np.ndarray  # NaN outside the domain
    x_range: tuple[float, float]
    vertical: list[float]
    horizontal: list[float]
    points: dict[str, tuple[float, float]]  # name -> (x, y), marked and labelled
    title: str | None
    # For figures on a grid (analytic geometry): a fixed, equal-scale view and shapes.
    y_range: tuple[float, float] | None = None
    outlines: list[np.ndarray] = field(default_factory=list)  # polylines, curve colour
    dashed: list[np.ndarray] = field(default_factory=list)  # radii, semi-axes
    dots: list[tuple[float, float]] = field(default_factory=list)  # centres, unlabelled
    label_format: str = "({x:.2f}, {y:.2f})"
    tags: dict[str, tuple[float, float]] = field(default_factory=dict)  # names by figures
    # Each named figure's outline (and centre): a name is placed nearer its own figure.
    tag_shapes: dict[str, list[np.ndarray]] = field(default_factory=dict)


def _nice_step(span: float, target: int = 8) -> float:
    raw = span / target
    mag = 10 ** math.floor(math.log10(raw))
    return next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)


def _y_range(spec: PlotSpec) -> tuple[float, float]:
    ys = spec.ys[np.isfinite(spec.ys)]
    if spec.vertical and ys.size:  # near a pole only the bulk of the curve matters
        lo, hi = np.percentile(ys, [8, 92])
    else:
        lo, hi = (float(ys.min()), float(ys.max())) if ys.size else (-1.0, 1.0)
    extra = [y for _, y in spec.points.values()] + spec.horizontal + [0.0]
    lo, hi = min(lo, *extra), max(hi, *extra)
    pad = max(0.08 * (hi - lo), 0.5)
    return lo - pad, hi + pad


NEARER = 1.6  # a label's distance to another object over that to its own, at least


def _pixel_shapes(shapes: list[np.ndarray], px: Callable) -> shapely.Geometry:
    """A figure's outlines in pixels: closed ones as regions (a name inside is its own)."""
    parts = []
    for s in shapes:
        pts = px(s[:, 0], s[:, 1])
        if len(pts) == 1:
            parts.append(shapely.Point(pts[0]))
        elif len(pts) > 3 and np.allclose(pts[0], pts[-1]):
            parts.append(shapely.Polygon(pts).buffer(0))
        else:
            parts.append(shapely.LineString(pts))
    return shapely.GeometryCollection(parts)


def _other_figure_nearer(
    name: str, owned: dict[str, shapely.Geometry], dots: shapely.Geometry
) -> Callable[[tuple], bool]:
    """Whether a box for ``name`` is not clearly nearer its figure than any other figure or
    marked dot, or lies in another figure's region and not in its own."""
    own_geo = owned[name]
    others = [g for n, g in owned.items() if n != name]
    # Worked out once per label, not per candidate box: the regions and what to compare.
    own_regions = [p for p in shapely.get_parts(own_geo) if p.geom_type == "Polygon"]
    other_regions = np.array(
        [p for g in others for p in shapely.get_parts(g) if p.geom_type == "Polygon"]
    )
    rivals = np.array([*others, *(d for d in dots if own_geo.distance(d) > 1)])

    def test(box: tuple) -> bool:
        b = shapely.box(*box)
        own = b.distance(own_geo)
        center = b.centroid
        if (
            len(other_regions)
            and not any(p.covers(center) for p in own_regions)
            and shapely.covers(other_regions, center).any()
        ):
            return True
        return bool(len(rivals)) and bool((shapely.distance(rivals, b) < NEARER * own + PAD).any())

    return test


def render_plot(
    spec: PlotSpec, style: Style, size: int = 512, png_level: int = 3, footer: str | None = None
) -> tuple[bytes, dict]:
    """PNG bytes and the figure fields (width, height, pixels, labels, transform)."""
    drawing, fields = sketch_plot(spec, style, size)
    png, lines, height = drawing.paint(png_level, footer)
    return png, {**fields, "height": height, "labels": fields["labels"] + lines}


def sketch_plot(spec: PlotSpec, style: Style, size: int = 512) -> tuple[Sketch, dict]:
    """The plot laid out as ``render_plot`` draws it, unpainted, and its figure fields as
    without a footer; raises Rejected as it does when a point's label has no room."""
    W, H = size, (size if spec.y_range else round(size * 0.8)) // 2 * 2
    fs = max(9, round(style.font_size * 0.8))
    fnt = font(style.font, fs)
    # A title and a footer are read as prose: in the style's size, not the labels' 0.8x.
    prose = font(style.font, prose_size(style, size))
    top = 2.2 * prose.size if spec.title else 1.0 * fs
    left, right, bottom = 3.2 * fs, 1.2 * fs, 2.2 * fs
    x0, x1 = spec.x_range
    y0, y1 = spec.y_range or _y_range(spec)
    sx = (W - left - right) / (x1 - x0)
    sy = (H - top - bottom) / (y1 - y0)
    tx, ty = left - sx * x0, top + sy * y1

    def px(x, y):
        return np.column_stack([tx + sx * np.asarray(x), ty - sy * np.asarray(y)])

    k = SUPERSAMPLE
    mode = "L" if style.grayscale else "RGB"
    col = gray if style.grayscale else (lambda c: c)
    draw = Ink()
    labels: list[dict] = []
    strokes: list[np.ndarray] = []
    dot_px: list[np.ndarray] = []  # marker centres: no label covers one

    def line(points: np.ndarray, color, width: float) -> None:
        # A flat [x0, y0, x1, ...] list: Pillow takes it as is (a list of pairs costs 10%).
        draw.line((points * k).ravel().tolist(), fill=color, width=max(1, round(width * k)))

    # Grid, axes, tick labels.
    layout = LabelLayout(W, H, [], 1.0)
    for axis, (a, b) in (("x", (x0, x1)), ("y", (y0, y1))):
        # Unit steps on x over short spans: the interval's ends are then read off the axis.
        step = 1.0 if axis == "x" and b - a <= 12 else _nice_step(b - a)
        for t in np.arange(math.ceil(a / step) * step, b + 1e-9, step):
            t = round(float(t), 10)
            seg = px([t, t], [y0, y1]) if axis == "x" else px([x0, x1], [t, t])
            line(seg, col(GRID_COLOR), 1)
            text = f"{t:g}"
            if axis == "x":
                at = (float(seg[0, 0]), H - bottom + 0.8 * fs)
            else:
                at = (left - 0.4 * fs - fnt.getlength(text) / 2, float(seg[0, 1]))
            # A tick label with no room (a crowded corner) is left out.
            with contextlib.suppress(Rejected):
                labels.append(layout.place(text, fnt, [at], {"kind": "tick", "of": [axis]}))
    ax_y = min(max(0.0, y0), y1)
    ax_x = min(max(0.0, x0), x1)
    # The axes, asymptotes and radii are strokes too: key-point labels keep clear of them.
    axes = [px([x0, x1], [ax_y, ax_y]), px([ax_x, ax_x], [y0, y1])]
    for seg in axes:
        line(seg, col(AXIS_COLOR), 1.3)
    strokes += axes
    # Axis names at the far ends of the axes (left out if a tick label is in the way).
    end_x, end_y = px([x1], [ax_y])[0], px([ax_x], [y1])[0]
    for name, at in (
        ("x", (end_x[0] - 0.6 * fs, end_x[1] - 0.9 * fs)),
        ("y", (end_y[0] + 0.9 * fs, end_y[1] + 0.6 * fs)),
    ):
        with contextlib.suppress(Rejected):
            labels.append(layout.place(name, fnt, [at], {"kind": "axis", "of": [name]}))

    # Asymptotes, dashed.
    # One on an axis (x = 0 for a logarithm) is drawn wider than the axis, its dashes then
    # stand out of it instead of hiding under it.
    accent = col(style.accent)
    for v in spec.vertical:
        wide = 4.0 if abs(sx * (v - ax_x)) < 2 else 1.2
        for a in np.arange(y0, y1, (y1 - y0) / 40)[::2]:
            line(px([v, v], [a, a + (y1 - y0) / 40]), accent, wide)
        strokes.append(px([v, v], [y0, y1]))
    for h in spec.horizontal:
        if y0 < h < y1:
            wide = 4.0 if abs(sy * (h - ax_y)) < 2 else 1.2
            for a in np.arange(x0, x1, (x1 - x0) / 40)[::2]:
                line(px([a, a + (x1 - x0) / 40], [h, h]), accent, wide)
            strokes.append(px([x0, x1], [h, h]))

    # The curve: pieces between gaps (outside the domain, past a pole, off the plot).
    curve = col(style.line_color)
    inside = np.isfinite(spec.ys) & (spec.ys >= y0) & (spec.ys <= y1)
    breaks = np.flatnonzero(np.diff(inside.astype(int)) != 0) + 1
    for v in spec.vertical:
        breaks = np.append(breaks, np.searchsorted(spec.xs, v))
    for piece_x, piece_y, ok in zip(
        np.split(spec.xs, np.sort(breaks)),
        np.split(spec.ys, np.sort(breaks)),
        np.split(inside, np.sort(breaks)),
        strict=True,
    ):
        if ok.all() and len(piece_x) > 1:
            pts = px(piece_x, piece_y)
            line(pts, curve, style.line_width)
            strokes.append(pts)

    # Shapes on the grid: outlines, dashed radii, centre dots.
    for outline in spec.outlines:
        pts = px(outline[:, 0], outline[:, 1])
        line(pts, curve, style.line_width)
        strokes.append(pts)
    for seg in spec.dashed:
        a, b = px(seg[:, 0], seg[:, 1])
        n = max(2, int(np.hypot(*(b - a)) / 6))
        for t in range(0, n, 2):
            line(np.array([a + (b - a) * t / n, a + (b - a) * (t + 1) / n]), accent, 1.2)
        strokes.append(np.array([a, b]))
    for cx, cy in spec.dots:
        c = px([cx], [cy])[0]
        dot_px.append(c)
        c = c * k
        r = k * 2.2
        draw.ellipse((c[0] - r, c[1] - r, c[0] + r, c[1] + r), fill=curve)

    # Key points: dots and "(x, y)" labels kept off the strokes, beside their own dot.
    marker = max(2.5, style.line_width * 1.4)
    spots = [px([x], [y])[0] for x, y in spec.points.values()]
    dot_px += spots
    layout = LabelLayout(
        W,
        H,
        strokes,
        style.line_width,
        [(c[0] - marker, c[1] - marker, c[0] + marker, c[1] + marker) for c in dot_px],
    )
    layout.placed = list(labels)
    dots_geo = shapely.points(np.array(dot_px).reshape(-1, 2))

    def other_dot_nearer(p: np.ndarray) -> Callable[[tuple], bool]:
        """Whether a box at ``p``'s label is not clearly nearer ``p`` than any other dot."""
        others = [d for d, c in zip(dots_geo, dot_px, strict=True) if np.hypot(*(c - p)) > 1]

        def test(box: tuple) -> bool:
            b = shapely.box(*box)
            own = b.distance(shapely.Point(p))
            return any(b.distance(d) < NEARER * own + PAD for d in others)

        return test

    pixels = {}
    for (name, (x, y)), p in zip(spec.points.items(), spots, strict=True):
        pixels[name] = (float(p[0]), float(p[1]))
        r = k * marker
        box = (p[0] * k - r, p[1] * k - r, p[0] * k + r, p[1] * k + r)
        # Marker style varies with the style stream: square, ring or dot.
        if style.vertex_dots:
            draw.rectangle(box, fill=accent)
        elif style.fill is not None:
            draw.ellipse(box, outline=accent, width=max(1, round(k * 1.2)))
        else:
            draw.ellipse(box, fill=accent)
        # Named points (one letter) show their name; marks like "C1" only their place.
        text = spec.label_format.format(x=x, y=y, name=name if len(name) == 1 else "")
        # Close to the dot only: a label further off reads as another place's (a centre's
        # label above its circle reads as a point on the circle).
        layout.place(
            text,
            fnt,
            beside(p, text_size(fnt, text), (0.3 * fs, 0.8 * fs, 1.4 * fs, 2.0 * fs)),
            {"kind": "point", "of": [name]},
            other_dot_nearer(p),
        )
    owned = {name: _pixel_shapes(shapes, px) for name, shapes in spec.tag_shapes.items()}
    for name, (tx_, ty_) in spec.tags.items():
        anchor = px([tx_], [ty_])[0]
        layout.place(
            name,
            fnt,
            ring(anchor, np.array([0.0, -1.0]), (0.0, 1.2 * fs, 2.2 * fs, 3.2 * fs)),
            {"kind": "name", "of": [name]},
            _other_figure_nearer(name, owned, dots_geo) if owned else None,
        )
    if spec.title:  # placed in a face with its glyphs (a Chinese title: Noto Sans CJK)
        layout.place(spec.title, prose, [(W / 2, top / 2)], {"kind": "title", "of": []})

    fields = {
        "width": W,
        "height": H,
        "pixels": pixels,
        "labels": [
            {"text": lb.text, "bbox": [round(c, 2) for c in lb.bbox], **lb.meta}
            for lb in layout.placed
        ],
        "transform": [[sx, 0.0, tx], [0.0, -sy, ty]],
    }
    drawing = Sketch(
        W,
        H,
        mode,
        draw,
        layout.placed,
        fnt,
        col(style.line_color),
        None if style.grayscale else palette(style.line_color, GRID_COLOR, style.accent),
        footer_font=(style.font, prose.size),
    )
    return drawing, fields
