"""Where a solid's labels may go: the candidates where a vertex letter or a length reads
as its own (nearer its vertex or segment than anything else, clear of the ink), each rule
vectorized over the candidates and the costly ones run only on those still in the running."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import numpy as np
import shapely

from mavis_engine.errors import Rejected
from mavis_engine.render.labels import LabelLayout, Placed
from mavis_engine.render.style import text_bbox


def unit(v: np.ndarray) -> np.ndarray:
    return v / (np.linalg.norm(v) or 1.0)


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


def outward_normal(p: np.ndarray, q: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """The unit normal of segment pq on the side away from the middle of the solid."""
    normal = unit(np.array([-(q - p)[1], (q - p)[0]]))
    return normal if np.dot(normal, (p + q) / 2 - centre) >= 0 else -normal


def points_on(pix: dict[str, np.ndarray], a: str, b: str) -> list[str]:
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


def foreign_regions(regions: np.ndarray, p: np.ndarray, q: np.ndarray) -> shapely.Geometry | None:
    """The closed curves' regions segment pq is no part of: neither end on the curve (a
    radius to a rim) nor the middle inside (a sphere's radius in its outline). A height
    4 inside a hole's bottom circle reads as the hole's."""
    if not len(regions):
        return None
    ends = shapely.points([p, q])
    on = shapely.distance(shapely.boundary(regions)[:, None], ends[None, :]).min(axis=1) <= 1
    within = shapely.contains_xy(regions, *((p + q) / 2))
    foreign = regions[~on & ~within]
    return shapely.union_all(foreign) if len(foreign) else None


def lines_away(named: np.ndarray, points: np.ndarray) -> np.ndarray:
    """For each point, the lines between named points (``named``, shapely lines) that do
    not pass through it, as one geometry (None where every line does)."""
    through = shapely.distance(named[:, None], shapely.points(points)[None, :]) <= 1
    return np.array(
        [shapely.multilinestrings(named[~near]) if not near.all() else None for near in through.T]
    )


def letter_rules(
    corners: np.ndarray,
    owners: np.ndarray,
    points: np.ndarray,
    away: np.ndarray,
    every: shapely.Geometry,
    clear: float,
) -> np.ndarray:
    """Which letter boxes (``corners``, each of the point ``owners`` indexes in ``points``)
    read as their vertex's: off every line (``every``, prepared), and nearer their vertex
    than any other vertex or any edge or segment not through it (``away``, by point; a
    letter by another face's edge reads as that face's)."""
    rows = np.arange(len(corners))
    to_points = _to_points(corners, points)
    own = to_points[rows, owners]
    to_points[rows, owners] = np.inf
    ok = own < to_points.min(axis=1)
    # The costlier tests on the candidates still in the running only.
    # Off every line as the layout counts it: the box grown by ``clear`` meets no stroke.
    i = np.flatnonzero(ok)
    ok[i] = ~shapely.intersects(every, _boxes(corners[i], grow=clear))
    # An edge or segment through the vertex may come close, others not. Rims and contours
    # do not count: a centre's letter sits inside its circle, a hole's contour ends by K,
    # and neither joins named points a letter could be read as belonging to.
    i = np.flatnonzero(ok)
    if len(i):
        far = shapely.distance(_boxes(corners[i]), away[owners[i]])  # NaN: no such line
        ok[i] = ~(own[i] >= far)
    return ok


def letter_places(
    candidates: np.ndarray,
    owner: int,
    text: str,
    fnt,
    points: np.ndarray,
    away: np.ndarray,
    every: shapely.Geometry,
    clear: float,
) -> np.ndarray:
    """The candidates where the letter ``text`` of point ``owner`` reads as its vertex's
    (``letter_rules``)."""
    owners = np.full(len(candidates), owner)
    corners = _corners(text, fnt, candidates)
    return np.asarray(candidates)[letter_rules(corners, owners, points, away, every, clear)]


#: Space kept between a length and any stroke, beyond the layout's, a share of the font
#: size: the layout's 2 px leave a number seen touching a rim it sits beside.
INK_GAP = 0.3
#: A length reads as its segment's when every other straight line is at least this many
#: times as far from it: a label about equally far from two lines (a cube's AG by AE)
#: reads as either's.
NEARER = 1.5


def length_places(
    candidates: np.ndarray,
    text: str,
    fnt,
    segment: shapely.Geometry,
    others: shapely.Geometry | None,
    placed: list,
    gap: float,
    every: shapely.Geometry,
    rest: shapely.Geometry,
    clear: tuple[float, float],
    spokes: tuple[list[tuple[shapely.Geometry, float]], np.ndarray, np.ndarray] = (
        [],
        np.zeros(2),
        np.zeros(2),
    ),
    inside: shapely.Geometry | None = None,
) -> np.ndarray:
    """The candidates where a length reads as its segment's: ``gap`` clear of every label
    placed, off every stroke's ink, straight or curved (``every``, prepared: ``clear[0]``
    away, and ``clear[1]`` away from ``rest``, every stroke but its own segment), and with
    every other straight line (``others``) at least ``NEARER`` times as far as its own.
    ``spokes``: the lines from a point on the segment (PM from M on AB), each with the
    side of the segment it leaves on, the segment's start and a normal of it; such a line
    counts only on its own side (across the segment its nearest point is on the segment
    itself). ``inside``: the regions of closed curves (rims, a hole) the segment is no
    part of, which a label inside would read as measuring."""
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
    lines, start, normal = spokes
    if (others is not None or lines) and len(i):
        boxes = _boxes(corners[i])
        near = shapely.distance(boxes, others) if others is not None else np.full(len(i), np.inf)
        side = np.sign((np.asarray(candidates) - start) @ normal)[i]
        for line, leaves in lines:
            same = side == leaves
            near[same] = np.minimum(near[same], shapely.distance(boxes[same], line))
        ok[i] = NEARER * shapely.distance(boxes, segment) <= near
    return np.asarray(candidates)[ok]


def place_readable(
    layout: LabelLayout,
    text: str,
    fnt,
    candidates: np.ndarray,
    readable: Callable[[np.ndarray], np.ndarray],
    meta: dict,
    detached: str,
    group: int = 12,
) -> Placed:
    """Put ``text`` at the first of the ``candidates`` where it reads as its own
    (``readable``: the candidates that do) and the layout fits it. The rules are the
    costly part (and find the candidates clear of the layout's strokes, so the layout
    need not), so they see the candidates a few at a time: the first alone (most labels
    take it), then ``group`` at a time. Rejected when there is none: ``label_detached``
    (with the message ``detached``) where no place reads as its own, else
    ``label_placement``."""
    any_readable = False
    for start, stop in pairwise([0, *range(1, len(candidates), group), len(candidates)]):
        ok = readable(candidates[start:stop])
        if len(ok):
            any_readable = True
            placed = layout.try_place(text, fnt, ok, meta, clean=True)
            if placed is not None:
                return placed
    if not any_readable:
        raise Rejected("label_detached", detached)
    raise Rejected("label_placement", f"no room for label {text!r}")
