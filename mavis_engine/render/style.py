"""Drawing styles, drawn from the sample's style stream so an encoder never sees one look."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
from dataclasses import asdict, dataclass
from functools import lru_cache

import numpy as np
from PIL import ImageDraw, ImageFont

# Fonts that ship with matplotlib (a dependency anyway), all with digits, Latin letters and °.
FONTS = (
    "DejaVuSans.ttf",
    "DejaVuSans-Oblique.ttf",
    "DejaVuSerif.ttf",
    "DejaVuSerif-Italic.ttf",
    "DejaVuSansMono.ttf",
    "STIXGeneral.ttf",
    "STIXGeneralItalic.ttf",
)
LINE_COLORS = ((0, 0, 0), (40, 40, 40), (25, 45, 95), (20, 70, 45), (80, 45, 25), (60, 30, 90))
FILL_COLORS = ((222, 235, 247), (229, 245, 224), (254, 237, 222), (239, 237, 245), (245, 245, 245))
ACCENT_COLORS = ((180, 30, 30), (30, 90, 180), (0, 0, 0), (90, 90, 90))


@dataclass(frozen=True)
class Style:
    """How one diagram looks; every field comes from the style stream."""

    line_width: float
    line_color: tuple[int, int, int]
    fill: tuple[int, int, int] | None
    accent: tuple[int, int, int]
    font: str
    font_size: int
    grayscale: bool
    vertex_dots: bool

    def to_json(self) -> dict:
        return asdict(self)


def _choice(rng: np.random.Generator, options: tuple):
    return options[int(rng.integers(len(options)))]


def sample_style(rng: np.random.Generator, size: int, grayscale_prob: float) -> Style:
    """Draw a sober style; sizes scale with the image's long side."""
    scale = size / 512
    return Style(
        line_width=round(float(rng.uniform(1.5, 3.0)) * scale, 2),
        line_color=_choice(rng, LINE_COLORS),
        fill=_choice(rng, FILL_COLORS) if rng.random() < 0.4 else None,
        accent=_choice(rng, ACCENT_COLORS),
        font=_choice(rng, FONTS),
        font_size=max(8, round(float(rng.uniform(14, 19)) * scale)),
        grayscale=bool(rng.random() < grayscale_prob),
        vertex_dots=bool(rng.random() < 0.3),
    )


#: The least font size of text read as prose in an image (a footer, a plot's title) at a
#: 512 px image: smaller, a serif or italic face is hard to read.
PROSE_SIZE = 14


def prose_size(style: Style, size: int) -> int:
    """The font size of a footer or title in a ``size`` px image: the style's label size,
    at least ``PROSE_SIZE`` scaled with the image (whatever a domain's labels use)."""
    return max(style.font_size, round(PROSE_SIZE * size / 512))


@lru_cache(maxsize=1)
def _font_dir() -> str:
    # matplotlib.get_data_path() is the package's mpl-data folder; found without importing
    # matplotlib, which costs every worker 0.14 s of start-up for one path.
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("matplotlib (whose fonts the diagrams use) is not installed")
    return os.path.join(spec.submodule_search_locations[0], "mpl-data", "fonts", "ttf")


# Noto Sans CJK SC (simplified Chinese), the third face of the package's collection.
CJK_FACE = 2
_CJK_CHAR = re.compile("[\u2e80-\u2fff\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a Chinese character or full-width punctuation."""
    return _CJK_CHAR.search(text) is not None


def cjk_font_path() -> str:
    """The Noto Sans CJK collection that the ``noto-cjk-sans-otc`` package ships."""
    from noto_cjk_sans_otc import FONT_PATH

    return str(FONT_PATH)


@lru_cache(maxsize=32)
def cjk_font(size: int) -> ImageFont.FreeTypeFont:
    """Noto Sans CJK SC at ``size`` pixels (cached): it has the Chinese glyphs, and
    Latin letters, digits and the maths signs the texts use."""
    return ImageFont.truetype(cjk_font_path(), size, index=CJK_FACE)


@lru_cache(maxsize=128)
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    """A matplotlib-shipped TrueType font at ``size`` pixels (cached)."""
    return ImageFont.truetype(os.path.join(_font_dir(), name), size)


# Where a style's font lacks a sign a text needs (STIX italic has no √), the text is set in
# the first of these that has every glyph: upright STIX matches STIX italic best.
FALLBACK_FONTS = ("STIXGeneral.ttf", "DejaVuSans.ttf")
# It has every sub- and superscript digit, ˣ and ⁻, which Noto Sans CJK lacks.
CJK_FALLBACK = "DejaVuSans.ttf"


@lru_cache(maxsize=16)
def glyphs(path: str, index: int = 0) -> frozenset[int]:
    """The code points a font file (face ``index`` of a collection) has glyphs for."""
    from fontTools.ttLib import TTFont  # only a text beyond ASCII needs it

    number = index if path.lower().endswith((".ttc", ".otc")) else -1
    with TTFont(path, lazy=True, fontNumber=number) as face:
        return frozenset(face.getBestCmap())


def face_glyphs(face: ImageFont.FreeTypeFont) -> frozenset[int]:
    """The code points ``face`` has glyphs for."""
    return glyphs(face.path, face.index)


@lru_cache(maxsize=1024)
def face_for(base: ImageFont.FreeTypeFont, text: str) -> ImageFont.FreeTypeFont:
    """The font ``text`` is set in: ``base`` where it has every glyph of the text, Noto
    Sans CJK for Chinese, else the first of ``FALLBACK_FONTS`` that has them all."""
    if text.isascii():  # every face has ASCII
        return base
    if has_cjk(text):
        return cjk_font(round(base.size))
    needed = {ord(c) for c in text}
    if needed <= glyphs(base.path):
        return base
    for name in FALLBACK_FONTS:
        face = font(name, round(base.size))
        if needed <= glyphs(face.path):
            return face
    raise ValueError(f"no font has every glyph of {text!r}")


Run = tuple[str, ImageFont.FreeTypeFont]


@lru_cache(maxsize=4096)
def runs(base: ImageFont.FreeTypeFont, text: str) -> tuple[Run, ...]:
    """``text`` cut into runs, each with the face it is set in. One run where a face has
    every glyph (the fast path, drawn as before the runs): ``face_for``'s, or Noto Sans
    CJK for a Chinese text or a line of one (``base`` the CJK face). Else each character
    takes the first face of a chain that has it: for Chinese Noto Sans CJK, then
    ``CJK_FALLBACK`` (Noto Sans CJK has no ₂ or ˣ: "log₂" in a Chinese line takes DejaVu
    Sans for the ₂ alone); else ``base``; then ``FALLBACK_FONTS``."""
    if text.isascii():
        return ((text, base),)
    size = round(base.size)
    chinese = has_cjk(text) or base.path == cjk_font_path()
    own = cjk_font(size) if chinese else base
    if {ord(c) for c in text if not c.isspace()} <= face_glyphs(own):
        return ((text, own),)
    if not chinese:
        with contextlib.suppress(ValueError):
            return ((text, face_for(base, text)),)
    # A sans face for a Chinese text, as Noto Sans CJK is (the style's font plays no part).
    first = [own, font(CJK_FALLBACK, size)] if chinese else [own]
    chain = [*first, *(font(name, size) for name in FALLBACK_FONTS)]
    out: list[list] = []
    for c in text:
        face = next((f for f in chain if c.isspace() or ord(c) in face_glyphs(f)), None)
        if face is None:
            raise ValueError(f"no font has the glyph {c!r} of {text!r}")
        if out and (out[-1][1] is face or c.isspace()):  # a space joins the run before
            out[-1][0] += c
        else:
            out.append([c, face])
    return tuple((t, f) for t, f in out)


def text_length(base: ImageFont.FreeTypeFont, text: str) -> float:
    """The advance width of ``text`` as ``draw_text`` sets it."""
    if text.isascii():  # the fast path: no runs looked up
        return base.getlength(text)
    return sum(face.getlength(t) for t, face in runs(base, text))


def _baseline(first: ImageFont.FreeTypeFont, anchor: str) -> float:
    """How far the baseline lies below the ``anchor``'s y ("m": the middle of the first
    face's ascender and descender, "a": its ascender), as Pillow's anchors place it."""
    ascent, descent = first.getmetrics()
    return (ascent - descent) / 2 if anchor[1] == "m" else float(ascent)


@lru_cache(maxsize=4096)
def text_bbox(
    base: ImageFont.FreeTypeFont, text: str, anchor: str = "mm"
) -> tuple[float, float, float, float]:
    """``text``'s ink box about its anchor point ("mm" or "la"), as ``draw_text`` sets it."""
    parts = runs(base, text)
    if len(parts) == 1:
        return parts[0][1].getbbox(text, anchor=anchor)
    x = -text_length(base, text) / 2 if anchor[0] == "m" else 0.0
    y = _baseline(parts[0][1], anchor)
    boxes = []
    for t, face in parts:
        x0, y0, x1, y1 = face.getbbox(t, anchor="ls")
        boxes.append((x + x0, y + y0, x + x1, y + y1))
        x += face.getlength(t)
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def draw_text(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    base: ImageFont.FreeTypeFont,
    fill,
    anchor: str = "la",
) -> None:
    """Draw ``text`` at ``xy`` (anchor "mm" or "la"), each run in its face, on one
    baseline: one run is one Pillow call, as before the runs."""
    parts = runs(base, text)
    if len(parts) == 1:
        draw.text(xy, text, font=parts[0][1], fill=fill, anchor=anchor)
        return
    x = xy[0] - text_length(base, text) / 2 if anchor[0] == "m" else xy[0]
    y = xy[1] + _baseline(parts[0][1], anchor)
    for t, face in parts:
        draw.text((x, y), t, font=face, fill=fill, anchor="ls")
        x += face.getlength(t)
