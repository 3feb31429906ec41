"""Drawing a solid as a textbook does: Pillow at 2x supersampling, visible lines solid,
hidden ones dashed, vertex letters outside the lines, lengths beside what they measure,
right-angle marks where a height meets a base. Records pixels, labels and transform."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import partial

import numpy as np
import shapely
from PIL import Image, ImageDraw

from mavis_engine import exact
from mavis_engine.render.labels import PAD, LabelLayout, ring
from mavis_engine.render.raster import ASPECT_LIMITS, SUPERSAMPLE, add_footer, gray, palette
from mavis_engine.render.style import Style, draw_text, font, text_bbox
from mavis_engine.solid.build import SolidFigure
from mavis_engine.solid.places import (
    INK_GAP,
    LABEL_GAP,
    MONO_LETTERS,
    foreign_regions,
    length_places,
    letter_places,
    letter_rules,
    lines_away,
    outward_normal,
    place_readable,
    points_on,
    unit,
)
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
    """The dashes of a polyline, ``on`` long with gaps ``off`` (pixels, by arc length), as
    one array of points and the index where each dash ends in it."""
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
    if len(line) == 2:  # a straight line (most are): each dash its two ends, as interp gives
        t = np.column_stack([start, stop]).ravel()
        points = (line[1] - line[0]) / total * t[:, None] + line[0]
        points[t == total] = line[1]
        return points, np.arange(2, 2 * count + 1, 2)
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


def _widest_gap(angles: list[float], outward: np.ndarray) -> np.ndarray:
    """Direction through the widest empty sector around a point (outward if none)."""
    if not angles:
        return outward
    a = sorted(t % (2 * math.pi) for t in angles)  # a few angles: plain floats are faster
    gaps = [b - t for t, b in zip(a, [*a[1:], a[0] + 2 * math.pi], strict=True)]
    i = gaps.index(max(gaps))
    t = a[i] + gaps[i] / 2
    return np.array([math.cos(t), math.sin(t)])


def _color(style: Style, rgb: tuple[int, int, int]):
    """``rgb`` as the image takes it: a gray level when the style is grayscale."""
    return gray(rgb) if style.grayscale else rgb


def _paint(
    fig: SolidFigure,
    style: Style,
    lines3d: list[Stroke],
    pixel_lines: list[np.ndarray],
    pix: dict[str, np.ndarray],
    marks: list[np.ndarray],
    size: tuple[int, int],
) -> Image.Image:
    """The strokes, fill, vertex dots and right-angle marks, painted at SUPERSAMPLE times
    ``size`` and reduced to it (the labels are set on it afterwards)."""
    W, H = size
    k = SUPERSAMPLE
    mode = "L" if style.grayscale else "RGB"

    image = Image.new(mode, (W * k, H * k), _color(style, (255, 255, 255)))
    draw = ImageDraw.Draw(image)
    if style.fill is not None:
        hull = shapely.convex_hull(shapely.multipoints(np.concatenate(pixel_lines)))
        corners = [(x * k, y * k) for x, y in hull.exterior.coords]
        draw.polygon(corners, fill=_color(style, style.fill))
    width = max(1, round(style.line_width * k))
    dash = max(5.0, 2.6 * style.line_width)
    ink = _color(style, style.line_color)
    for stroke, line in zip(lines3d, pixel_lines, strict=True):
        if stroke.hidden:
            points, ends = _dash_points(line, dash, dash)
        else:
            points, ends = line, [len(line)]
        xy = list(map(tuple, (points * k).tolist()))  # plain floats: Pillow's fast path
        for begin, end in zip([0, *ends[:-1]], ends, strict=True):
            # No joints: a stroke is a straight segment or a curve sampled every 2.5°,
            # where a joint fills no visible gap (it cost as much as the lines).
            draw.line(xy[begin:end], fill=ink, width=width)
    if style.vertex_dots:
        r = k * max(1.5, style.line_width)
        for name in fig.solid.vertices or fig.solid.points3d:
            x, y = pix[name] * k
            draw.ellipse((x - r, y - r, x + r, y + r), fill=_color(style, style.line_color))
    for line in marks:
        draw.line(
            [tuple(p) for p in line * k],
            fill=_color(style, style.accent),
            width=max(1, round(0.65 * width)),
        )
    return image.reduce(k)


@dataclass
class _Scene:
    """One render's drawing in pixels, worked out once for every label's rules."""

    pix: dict[str, np.ndarray]  # the named points
    lines: list[np.ndarray]  # each stroke's polyline
    ends: list[tuple[str, str] | None]  # the named points each stroke joins
    geoms: np.ndarray  # each stroke as a shapely line
    marks: np.ndarray  # the right-angle marks as shapely lines
    regions: np.ndarray  # the regions closed curves bound (a rim's halves, a hole's bottom)
    layout: LabelLayout
    clear: float  # a label's clearance from a stroke's middle: half its width and PAD
    fs: int  # the font size

    @property
    def straight(self) -> list[bool]:
        return [len(x) == 2 for x in self.lines]


def _place_letters(scene: _Scene, letters, gaps: list[np.ndarray]) -> None:
    """Each vertex letter at the first place around its vertex, from its widest gap
    (``gaps``) on, where it reads as its own. Most take their first candidate: the rules
    judge every letter's first at once, the others one by one."""
    layout, every, fs = scene.layout, scene.layout.strokes, scene.fs
    names, points = list(scene.pix), np.array(list(scene.pix.values()))
    away = lines_away(scene.geoms[[i for i, ends in enumerate(scene.ends) if ends]], points)
    rings = [
        ring(p, gap, (0.95 * fs, 1.35 * fs, 1.8 * fs)) for p, gap in zip(points, gaps, strict=True)
    ]
    firsts = np.array([candidates[0] for candidates in rings])
    boxes = np.array([text_bbox(letters, name) for name in names]) + np.tile(firsts, 2)
    first_reads = letter_rules(boxes, np.arange(len(names)), points, away, every, scene.clear)
    for j, name in enumerate(names):
        meta = {"kind": "point", "of": [name]}
        if first_reads[j] and layout.try_place(name, letters, firsts[j : j + 1], meta, clean=True):
            continue
        readable = partial(
            letter_places,
            owner=j,
            text=name,
            fnt=letters,
            points=points,
            away=away,
            every=every,
            clear=scene.clear,
        )
        detached = f"no place for {name} by its vertex"
        place_readable(layout, name, letters, rings[j], readable, meta, detached)


def _place_length(
    scene: _Scene,
    fnt,
    fact,
    outward: dict[tuple[str, ...], np.ndarray],
    within: dict[tuple[str, ...], list[str]],
) -> None:
    """A given length beside its segment, away from the solid (``outward``), where it
    reads as that segment's: centred, and farther out if need be, when a named point lies
    on the segment (``within``)."""
    pix, fs, ends_of, straight = scene.pix, scene.fs, scene.ends, scene.straight
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
    # Every stroke but the segment's own; its straight lines, less those from a point
    # on the segment (PM from M on AB), which leave it on one side.
    rest = [i for i, ends in enumerate(ends_of) if ends is None or set(ends) != {a, b}]
    spokes = [
        i for i in rest if straight[i] and ends_of[i] and set(ends_of[i]) & set(within[(a, b)])
    ]
    others = [i for i in rest if straight[i] and i not in spokes]
    leave = [np.sign(np.sign((scene.lines[i] - p) @ normal).sum()) for i in spokes]
    # A curve through an end of the segment (the hole's rim through K of a radius PK)
    # keeps only the layout's clearance: the wider ink gap would leave a small circle's
    # radius no place at all.
    curves = [i for i in rest if not straight[i]]
    touching = shapely.distance(scene.geoms[curves, None], shapely.points([p, q])[None, :])
    apart = {i for i, d in zip(curves, touching.min(axis=1), strict=True) if d > 1}
    rest = shapely.multilinestrings(
        [*scene.geoms[[i for i in rest if straight[i] or i in apart]], *scene.marks]
    )
    shapely.prepare(rest)
    readable = partial(
        length_places,
        text=text,
        fnt=fnt,
        segment=shapely.linestrings([p, q]),
        others=shapely.multilinestrings(scene.geoms[others]) if others else None,
        placed=scene.layout.placed,
        gap=LABEL_GAP * fs,
        every=scene.layout.strokes,
        rest=rest,
        clear=(scene.clear, scene.clear + INK_GAP * fs),
        spokes=(list(zip(scene.geoms[spokes], leave, strict=True)), p, normal),
        inside=foreign_regions(scene.regions, p, q),
    )
    place_readable(
        scene.layout,
        text,
        fnt,
        candidates.reshape(-1, 2),
        readable,
        {"kind": "length", "of": [a, b]},
        f"no place for {text!r} beside its segment",
    )


def render(
    fig: SolidFigure,
    style: Style,
    size: int = 512,
    png_level: int = 6,
    dimensions: bool = True,
    footer: str | None = None,
    painted: dict | None = None,
) -> bytes:
    """Draw ``fig`` and return PNG bytes; fills its size, pixels, labels and transform.
    ``dimensions``: the given lengths labelled (else vertex letters only); ``footer``:
    text set under the drawing (a vision-only problem). ``painted``: a dict kept by the
    caller for one figure and style, where the strokes painted once are kept for its
    other renders (a problem's versions differ only in their labels and footer)."""
    lines3d: list[Stroke] = fig.lines or strokes(fig.solid, fig.view)
    model = [s.points @ fig.matrix.T for s in lines3d]
    fs = style.font_size
    W, H, s, tx, ty = _fit(model, size, margin=2.2 * fs + 4)

    def px(xy: np.ndarray) -> np.ndarray:
        return np.column_stack([tx + s * xy[:, 0], ty - s * xy[:, 1]])

    pixel_lines = [px(m) for m in model]
    pix = dict(zip(fig.points, px(np.array(list(fig.points.values()))), strict=True))

    mark = max(7.0, 0.6 * fs)
    marks = [
        np.array([pix[v] + mark * ua, pix[v] + mark * (ua + ub), pix[v] + mark * ub])
        for a, v, b in fig.solid.right_angles
        for ua, ub in [(unit(pix[a] - pix[v]), unit(pix[b] - pix[v]))]
    ]
    layout = LabelLayout(W, H, pixel_lines + marks, style.line_width)
    # Each stroke as a geometry once: the rules take their subsets.
    geoms = shapely.linestrings(
        np.concatenate(pixel_lines),
        indices=np.repeat(np.arange(len(pixel_lines)), [len(x) for x in pixel_lines]),
    )
    scene = _Scene(
        pix,
        pixel_lines,
        [stroke.ends for stroke in lines3d],
        geoms,
        shapely.linestrings(marks) if marks else np.empty(0, dtype=object),
        shapely.get_parts(shapely.polygonize(geoms[[len(x) > 2 for x in pixel_lines]])),
        layout,
        style.line_width / 2 + PAD,
        fs,
    )
    fnt = font(style.font, fs)
    centre = np.mean(np.concatenate(pixel_lines), axis=0)
    directions: dict[str, list[float]] = {n: [] for n in pix}
    for ends, line in zip(scene.ends, pixel_lines, strict=True):
        if ends:
            a, b = ends
            directions[a].append(math.atan2(*(line[-1] - line[0])[::-1]))
            directions[b].append(math.atan2(*(line[0] - line[-1])[::-1]))
    givens = fig.solid.givens if dimensions else []
    outward = {tuple(f.of): outward_normal(pix[f.of[0]], pix[f.of[1]], centre) for f in givens}
    within = {ab: points_on(pix, *ab) for ab in outward}
    # A letter of a point on a labelled segment (M on AB) keeps off the side the length
    # takes, away from the solid: "3" beside M's letter would read as AM's or MB's.
    for ab, names in within.items():
        for name in names:
            directions[name].append(math.atan2(outward[ab][1], outward[ab][0]))
    # A monospace O is the digit 0 at this size (a centre O beside a height 10): letters
    # in the proportional face of the same family, as a textbook sets them.
    letters = font(MONO_LETTERS[style.font], fs) if style.font in MONO_LETTERS else fnt
    # Vertex letters first: they have the fewest good places.
    gaps = [_widest_gap(directions[name], unit(p - centre)) for name, p in pix.items()]
    _place_letters(scene, letters, gaps)
    for fact in givens:
        _place_length(scene, fnt, fact, outward, within)
    # Drawn once the labels have their places: an attempt whose labels have none is
    # rejected before any pixel is drawn.
    if painted is None:
        image = _paint(fig, style, lines3d, pixel_lines, pix, marks, (W, H))
    else:
        if "image" not in painted:
            painted["image"] = _paint(fig, style, lines3d, pixel_lines, pix, marks, (W, H))
        image = painted["image"].copy()  # the labels are set on a copy
    ink = _color(style, style.line_color)
    fig.width, fig.height = W, H
    fig.pixels = {n: (float(v[0]), float(v[1])) for n, v in pix.items()}
    fig.labels = [
        {"text": lb.text, "bbox": [round(c, 2) for c in lb.bbox], **lb.meta} for lb in layout.placed
    ]
    fig.transform = [[s, 0.0, tx], [0.0, -s, ty]]
    if footer:
        image, lines = add_footer(image, footer, fnt, _color(style, (255, 255, 255)), ink)
        fig.height = image.height
        fig.labels += lines
    text = ImageDraw.Draw(image)
    for label in layout.placed:
        draw_text(text, label.center, label.text, label.font, ink, anchor="mm")
    if image.mode == "RGB":
        image = image.quantize(
            palette=palette(style.line_color, style.fill, style.accent), dither=Image.Dither.NONE
        )
    buf = io.BytesIO()
    image.save(buf, "PNG", compress_level=png_level)
    return buf.getvalue()
