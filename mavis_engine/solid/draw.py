"""Drawing a solid as a textbook does: Pillow at 2x supersampling, visible lines solid,
hidden ones dashed, vertex letters outside the lines, lengths beside what they measure,
right-angle marks where a height meets a base. Records pixels, labels and transform."""

from __future__ import annotations

import io
import math

import numpy as np
import shapely
from PIL import Image, ImageDraw

from mavis_engine import exact
from mavis_engine.errors import Rejected
from mavis_engine.render.labels import PAD, LabelLayout, ring
from mavis_engine.render.raster import ASPECT_LIMITS, SUPERSAMPLE, add_footer, gray, palette
from mavis_engine.render.style import Style, draw_text, font, text_bbox
from mavis_engine.solid.build import SolidFigure
from mavis_engine.solid.view import Stroke, strokes


def _fit(lines: list[np.ndarray], size: int, margin: float) -> tuple[int, int, float, float, float]:
    """Image size and the model->pixel scale and offsets that centre the drawing."""
    every = np.concatenate(lines)
    (x0, y0), (x1, y1) = every.min(axis=0), every.max(axis=0)
    w, h = max(x1 - x0, 1e-9), max(y1 - y0, 1e-9)
    lo, hi = ASPECT_LIMITS
    long_side = max(w, h)
    short = int(
        np.clip(2 * margin + (size - 2 * margin) * min(w, h) / long_side, lo * size, hi * size)
    )
    W, H = (size, short) if w >= h else (short, size)
    W, H = W - W % 2, H - H % 2
    s = min((W - 2 * margin) / w, (H - 2 * margin) / h)
    return W, H, s, W / 2 - s * (x0 + x1) / 2, H / 2 + s * (y0 + y1) / 2


def _dash_points(line: np.ndarray, on: float, off: float) -> tuple[np.ndarray, np.ndarray]:
    """The dashes of a polyline (see ``dashes``) as one array of points and the index
    where each dash ends in it."""
    steps = np.linalg.norm(np.diff(line, axis=0), axis=1)
    at = np.concatenate([[0.0], np.cumsum(steps)])
    total = at[-1]
    # Centre the pattern so that both ends get the same part of a dash.
    period = on + off
    count = max(1, round((total + off) / period))
    scale = (total + off) / (count * period) if total > on else 1.0
    k = np.arange(count)
    start = k * period * scale
    stop = np.minimum(total, (k * period + on) * scale)
    # Each dash: its start, the polyline's points strictly inside it, its stop.
    first = np.searchsorted(at, start, side="right")
    inside = np.maximum(np.searchsorted(at, stop, side="left") - first, 0)
    ends = np.cumsum(inside + 2)
    t = np.empty(ends[-1])
    t[ends - inside - 2] = start
    t[ends - 1] = stop
    if inside.any():
        dash = np.repeat(k, inside)
        offset = np.arange(len(dash)) - np.repeat(np.cumsum(inside) - inside, inside)
        t[np.repeat(ends - inside - 1, inside) + offset] = at[first[dash] + offset]
    return np.column_stack([np.interp(t, at, line[:, 0]), np.interp(t, at, line[:, 1])]), ends


def dashes(line: np.ndarray, on: float, off: float) -> list[np.ndarray]:
    """A polyline cut into dashes ``on`` long with gaps ``off`` (pixels), by arc length."""
    points, ends = _dash_points(line, on, off)
    return np.split(points, ends[:-1])


def _unit(v: np.ndarray) -> np.ndarray:
    return v / (np.linalg.norm(v) or 1.0)


def _widest_gap(angles: list[float], outward: np.ndarray) -> np.ndarray:
    """Direction through the widest empty sector around a point (outward if none)."""
    if not angles:
        return outward
    a = np.sort(np.mod(angles, 2 * np.pi))
    gaps = np.diff(np.append(a, a[0] + 2 * np.pi))
    i = int(np.argmax(gaps))
    t = a[i] + gaps[i] / 2
    return np.array([math.cos(t), math.sin(t)])


#: Space kept between a length and any other label, a share of the font size: at the
#: layout's 2 px two numbers side by side read as one ("6 9" as "69").
LABEL_GAP = 1.0
#: The face vertex letters take in place of a monospace one.
MONO_LETTERS = {"DejaVuSansMono.ttf": "DejaVuSans.ttf"}


def _corners(text: str, fnt, candidates: np.ndarray) -> np.ndarray:
    """The pixel boxes (x0, y0, x1, y1 rows) ``text`` would take at each candidate."""
    x0, y0, x1, y1 = text_bbox(fnt, text)
    c = np.asarray(candidates, dtype=float)
    return np.column_stack([c[:, 0] + x0, c[:, 1] + y0, c[:, 0] + x1, c[:, 1] + y1])


def _boxes(corners: np.ndarray, grow: float = 0.0) -> np.ndarray:
    """Boxes as shapely polygons, each side moved out by ``grow``."""
    return shapely.box(*(corners + np.array([-grow, -grow, grow, grow])).T)


def _to_points(corners: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Distance from each box to each point, (boxes, points); 0 inside a box."""
    x, y = points[None, :, 0], points[None, :, 1]
    dx = np.maximum(np.maximum(corners[:, None, 0] - x, x - corners[:, None, 2]), 0.0)
    dy = np.maximum(np.maximum(corners[:, None, 1] - y, y - corners[:, None, 3]), 0.0)
    return np.hypot(dx, dy)


def _to_boxes(corners: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Distance from each box to each box of ``others``, (boxes, others)."""
    a, b = corners[:, None, :], others[None, :, :]
    dx = np.maximum(np.maximum(a[..., 0] - b[..., 2], b[..., 0] - a[..., 2]), 0.0)
    dy = np.maximum(np.maximum(a[..., 1] - b[..., 3], b[..., 1] - a[..., 3]), 0.0)
    return np.hypot(dx, dy)


def _lines(lines: list[np.ndarray]) -> shapely.Geometry:
    """The strokes as one geometry (an empty collection when there are none)."""
    return shapely.multilinestrings([shapely.linestrings(x) for x in lines if len(x) >= 2])


def _outward(p: np.ndarray, q: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """The unit normal of segment pq on the side away from the middle of the solid."""
    normal = _unit(np.array([-(q - p)[1], (q - p)[0]]))
    return normal if np.dot(normal, (p + q) / 2 - centre) >= 0 else -normal


def _within(pix: dict[str, np.ndarray], a: str, b: str) -> list[str]:
    """The named points drawn on segment ab between its ends (M on AB)."""
    p, q = pix[a], pix[b]
    names = [n for n in pix if n not in (a, b)]
    if not names:
        return []
    at = np.array([pix[n] for n in names])
    d = q - p
    t = (at - p) @ d / max(float(d @ d), 1e-9)
    off = np.linalg.norm(p + t[:, None] * d - at, axis=1)
    inside = (t > 0.02) & (t < 0.98) & (off <= 1.0)
    return [n for n, keep in zip(names, inside, strict=True) if keep]


def _foreign(regions: np.ndarray, p: np.ndarray, q: np.ndarray) -> shapely.Geometry | None:
    """The closed curves' regions segment pq is no part of: neither end on the curve (a
    radius to a rim) nor the middle inside (a sphere's radius in its outline). A height
    4 inside a hole's bottom circle reads as the hole's."""
    if not len(regions):
        return None
    ends = shapely.points([p, q])
    on = np.array([shapely.distance(shapely.boundary(r), ends).min() <= 1 for r in regions])
    within = shapely.contains_xy(regions, *((p + q) / 2))
    foreign = regions[~on & ~within]
    return shapely.union_all(foreign) if len(foreign) else None


def _letter_places(
    name: str,
    fnt,
    candidates: np.ndarray,
    pix: dict,
    named: np.ndarray,
    every: shapely.Geometry,
    clear: float,
) -> np.ndarray:
    """The candidates where a vertex letter reads as its vertex's: off every line
    (``every``, prepared), and nearer its vertex than any other vertex or any edge or
    segment (``named``, shapely lines) not through it (a letter by another face's edge
    reads as that face's). Rejected when none is."""
    p = pix[name]
    corners = _corners(name, fnt, candidates)
    own = _to_points(corners, p[None])[:, 0]
    others = np.array([q for n, q in pix.items() if n != name]).reshape(-1, 2)
    ok = np.ones(len(corners), dtype=bool)
    if len(others):
        ok &= own < _to_points(corners, others).min(axis=1)
    # The costlier tests on the candidates still in the running only.
    # Off every line as the layout counts it: the box grown by ``clear`` meets no stroke.
    i = np.flatnonzero(ok)
    ok[i] = ~shapely.intersects(every, _boxes(corners[i], grow=clear))
    # An edge or segment through the vertex may come close, others not. Rims and contours
    # do not count: a centre's letter sits inside its circle, a hole's contour ends by K,
    # and neither joins named points a letter could be read as belonging to.
    away = named[shapely.distance(named, shapely.Point(p)) > 1]
    i = np.flatnonzero(ok)
    if len(away) and len(i):
        ok[i] = own[i] < shapely.distance(_boxes(corners[i]), shapely.multilinestrings(away))
    if not ok.any():
        raise Rejected("label_detached", f"no place for {name} by its vertex")
    return np.asarray(candidates)[ok]


#: Space kept between a length and any stroke, beyond the layout's, a share of the font
#: size: the layout's 2 px leave a number seen touching a rim it sits beside.
INK_GAP = 0.3
#: A length reads as its segment's when every other straight line is at least this many
#: times as far from it: a label about equally far from two lines (a cube's AG by AE)
#: reads as either's.
NEARER = 1.5


def _length_places(
    text: str,
    fnt,
    candidates: np.ndarray,
    segment: np.ndarray,
    others: list[np.ndarray],
    placed: list,
    gap: float,
    every: shapely.Geometry,
    rest: shapely.Geometry,
    clear: tuple[float, float],
    spokes: tuple[list[np.ndarray], np.ndarray, np.ndarray] = ([], np.zeros(0), np.zeros(0)),
    inside: shapely.Geometry | None = None,
) -> np.ndarray:
    """The candidates where a length reads as its segment's: ``gap`` clear of every label
    placed, off every stroke's ink, straight or curved (``every``, prepared: ``clear[0]``
    away, and ``clear[1]`` away from ``rest``, every stroke but its own segment), and with
    every other straight line at least ``NEARER`` times as far as its own. ``spokes``: the
    lines from a point on the segment (PM from M on AB), the side of the segment each
    leaves on and each candidate's side; such a line counts only on its own side (across
    the segment its nearest point is on the segment itself). ``inside``: the regions
    of closed curves (rims, a hole) the segment is no part of, which a label inside would
    read as measuring. Rejected when none is."""
    corners = _corners(text, fnt, candidates)
    ok = np.ones(len(corners), dtype=bool)
    if placed:
        ok &= _to_boxes(corners, np.array([label.bbox for label in placed])).min(axis=1) >= gap
    # The costlier tests on the candidates still in the running only.
    i = np.flatnonzero(ok)
    if len(i):
        ok[i] = ~shapely.intersects(every, _boxes(corners[i], grow=clear[0]))
    i = np.flatnonzero(ok)
    if len(i):
        ok[i] = ~shapely.intersects(rest, _boxes(corners[i], grow=clear[1]))
    i = np.flatnonzero(ok)
    if inside is not None and len(i):
        ok[i] = ~shapely.intersects(inside, _boxes(corners[i]))
    i = np.flatnonzero(ok)
    lines, leave, side = spokes
    if (others or lines) and len(i):
        boxes = _boxes(corners[i])
        near = shapely.distance(boxes, _lines(others)) if others else np.full(len(i), np.inf)
        for line, where in zip(lines, leave, strict=True):
            same = side[i] == where
            near[same] = np.minimum(near[same], shapely.distance(boxes[same], _lines([line])))
        ok[i] = NEARER * shapely.distance(boxes, shapely.linestrings(segment)) <= near
    if not ok.any():
        raise Rejected("label_detached", f"no place for {text!r} beside its segment")
    return np.asarray(candidates)[ok]


def render(
    fig: SolidFigure,
    style: Style,
    size: int = 512,
    png_level: int = 6,
    dimensions: bool = True,
    footer: str | None = None,
) -> bytes:
    """Draw ``fig`` and return PNG bytes; fills its size, pixels, labels and transform.
    ``dimensions``: the given lengths labelled (else vertex letters only); ``footer``:
    text set under the drawing (a vision-only problem)."""
    lines3d: list[Stroke] = fig.lines or strokes(fig.solid, fig.view)
    model = [s.points @ fig.matrix.T for s in lines3d]
    fs = style.font_size
    W, H, s, tx, ty = _fit(model, size, margin=2.2 * fs + 4)
    k = SUPERSAMPLE

    def px(xy: np.ndarray) -> np.ndarray:
        return np.column_stack([tx + s * xy[:, 0], ty - s * xy[:, 1]])

    pixel_lines = [px(m) for m in model]
    pix = dict(zip(fig.points, px(np.array(list(fig.points.values()))), strict=True))
    mode = "L" if style.grayscale else "RGB"

    def color(rgb: tuple[int, int, int]):
        return gray(rgb) if style.grayscale else rgb

    mark = max(7.0, 0.6 * fs)
    marks = [
        np.array([pix[v] + mark * ua, pix[v] + mark * (ua + ub), pix[v] + mark * ub])
        for a, v, b in fig.solid.right_angles
        for ua, ub in [(_unit(pix[a] - pix[v]), _unit(pix[b] - pix[v]))]
    ]
    layout = LabelLayout(W, H, pixel_lines + marks, style.line_width)
    fnt = font(style.font, fs)
    centre = np.mean(np.concatenate(pixel_lines), axis=0)
    directions: dict[str, list[float]] = {n: [] for n in pix}
    for stroke, line in zip(lines3d, pixel_lines, strict=True):
        if stroke.ends:
            a, b = stroke.ends
            directions[a].append(math.atan2(*(line[-1] - line[0])[::-1]))
            directions[b].append(math.atan2(*(line[0] - line[-1])[::-1]))
    every = _lines(pixel_lines + marks)
    shapely.prepare(every)
    named = shapely.linestrings(  # as geometries once: each letter measures them all
        [line for stroke, line in zip(lines3d, pixel_lines, strict=True) if stroke.ends]
    )
    clear = style.line_width / 2 + PAD
    # The regions closed curves bound (a rim's two halves, a hole's bottom circle).
    regions = shapely.get_parts(
        shapely.polygonize([shapely.linestrings(x) for x in pixel_lines if len(x) > 2])
    )
    # A monospace O is the digit 0 at this size (a centre O beside a height 10): letters
    # in the proportional face of the same family, as a textbook sets them.
    letters = font(MONO_LETTERS[style.font], fs) if style.font in MONO_LETTERS else fnt
    givens = fig.solid.givens if dimensions else []
    outward = {tuple(f.of): _outward(pix[f.of[0]], pix[f.of[1]], centre) for f in givens}
    within = {ab: _within(pix, *ab) for ab in outward}
    # A letter of a point on a labelled segment (M on AB) keeps off the side the length
    # takes, away from the solid: "3" beside M's letter would read as AM's or MB's.
    for ab, names in within.items():
        for name in names:
            directions[name].append(math.atan2(outward[ab][1], outward[ab][0]))
    # Vertex letters first: they have the fewest good places.
    for name, p in pix.items():
        gap = _widest_gap(directions[name], _unit(p - centre))
        around = ring(p, gap, (0.95 * fs, 1.35 * fs, 1.8 * fs))
        layout.place(
            name,
            letters,
            _letter_places(name, letters, around, pix, named, every, clear),
            {"kind": "point", "of": [name]},
        )
    for fact in givens:
        a, b = fact.of
        p, q = pix[a], pix[b]
        normal = outward[(a, b)]
        far = (0.8, 1.2, 1.7)
        along = np.array([0.5, 0.38, 0.62, 0.28, 0.72])
        if within[(a, b)]:
            # A named point on the segment splits it: off its middle the length reads as
            # one part's. Centred on the whole segment, farther out past a letter if need be.
            far, along = (0.8, 1.2, 1.7, 2.3, 2.9), np.array([0.5])
        offsets = np.array([side * d for side in (1, -1) for d in far]) * fs
        candidates = p + along[None, :, None] * (q - p) + offsets[:, None, None] * normal
        text = exact.display(fact.exact)
        rest = [
            line
            for stroke, line in zip(lines3d, pixel_lines, strict=True)
            if stroke.ends is None or set(stroke.ends) != {a, b}
        ]
        # Straight lines only: a rim read as a length is no misreading of a segment.
        others = [line for line in rest if len(line) == 2]
        # Lines from a point on the segment (PM from M on AB) leave it on one side.
        spokes = [
            line
            for stroke, line in zip(lines3d, pixel_lines, strict=True)
            if len(line) == 2 and stroke.ends and set(stroke.ends) & set(within[(a, b)])
        ]
        others = [line for line in others if not any(line is x for x in spokes)]
        leave = np.array([np.sign((x - p) @ normal).sum() for x in spokes])
        sides = np.sign((candidates.reshape(-1, 2) - p) @ normal)
        # A curve through an end of the segment (the hole's rim through K of a radius PK)
        # keeps only the layout's clearance: the wider ink gap would leave a small circle's
        # radius no place at all.
        ends = shapely.points([p, q])
        rest = _lines(
            [
                line
                for line in rest
                if len(line) == 2 or shapely.distance(shapely.linestrings(line), ends).min() > 1
            ]
            + marks
        )
        shapely.prepare(rest)
        layout.place(
            text,
            fnt,
            _length_places(
                text,
                fnt,
                candidates.reshape(-1, 2),
                np.array([p, q]),
                others,
                layout.placed,
                LABEL_GAP * fs,
                every,
                rest,
                (clear, clear + INK_GAP * fs),
                (spokes, np.sign(leave), sides),
                _foreign(regions, p, q),
            ),
            {"kind": "length", "of": [a, b]},
        )

    # Drawn once the labels have their places: an attempt whose labels have none is
    # rejected before any pixel is drawn.
    image = Image.new(mode, (W * k, H * k), color((255, 255, 255)))
    draw = ImageDraw.Draw(image)
    if style.fill is not None:
        hull = shapely.MultiPoint(np.concatenate(pixel_lines)).convex_hull
        draw.polygon([(x * k, y * k) for x, y in hull.exterior.coords], fill=color(style.fill))
    width = max(1, round(style.line_width * k))
    dash = max(5.0, 2.6 * style.line_width)
    ink = color(style.line_color)
    for stroke, line in zip(lines3d, pixel_lines, strict=True):
        if stroke.hidden:
            points, ends = _dash_points(line, dash, dash)
        else:
            points, ends = line, [len(line)]
        xy = list(map(tuple, (points * k).tolist()))  # plain floats: Pillow's fast path
        for begin, end in zip([0, *ends[:-1]], ends, strict=True):
            draw.line(xy[begin:end], fill=ink, width=width, joint="curve")
    if style.vertex_dots:
        r = k * max(1.5, style.line_width)
        for name in fig.solid.vertices or fig.solid.points3d:
            x, y = pix[name] * k
            draw.ellipse((x - r, y - r, x + r, y + r), fill=color(style.line_color))
    for line in marks:
        draw.line(
            [tuple(p) for p in line * k],
            fill=color(style.accent),
            width=max(1, round(0.65 * width)),
        )

    fig.width, fig.height = W, H
    fig.pixels = {n: (float(v[0]), float(v[1])) for n, v in pix.items()}
    fig.labels = [
        {"text": lb.text, "bbox": [round(c, 2) for c in lb.bbox], **lb.meta} for lb in layout.placed
    ]
    fig.transform = [[s, 0.0, tx], [0.0, -s, ty]]
    image = image.reduce(k)
    if footer:
        image, lines = add_footer(
            image, footer, fnt, color((255, 255, 255)), color(style.line_color)
        )
        fig.height = image.height
        fig.labels += lines
    text = ImageDraw.Draw(image)
    for label in layout.placed:
        draw_text(text, label.center, label.text, label.font, color(style.line_color), anchor="mm")
    if image.mode == "RGB":
        image = image.quantize(
            palette=palette(style.line_color, style.fill, style.accent), dither=Image.Dither.NONE
        )
    buf = io.BytesIO()
    image.save(buf, "PNG", compress_level=png_level)
    return buf.getvalue()
