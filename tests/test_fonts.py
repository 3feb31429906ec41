"""Every label is drawn in a face that has its glyphs: a style's font that lacks a sign
(STIX italic has no √) gives way to a fallback, so `3√10` is never drawn as `3 10`."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from mavis_engine.pipeline import generate
from mavis_engine.render.labels import LabelLayout
from mavis_engine.render.style import (
    FONTS,
    draw_text,
    face_for,
    face_glyphs,
    font,
    runs,
    text_bbox,
    text_length,
)

DOMAINS = ("plane-geometry", "function", "analytic-geometry", "solid-geometry")


def _covers(face, text: str) -> bool:
    return {ord(c) for c in text} <= face_glyphs(face)


def test_a_sign_the_style_font_lacks_is_set_in_a_fallback() -> None:
    italic = font("STIXGeneralItalic.ttf", 15)
    assert not _covers(italic, "3√10")  # the reason for the fallback
    face = face_for(italic, "3√10")
    assert face.path.endswith("STIXGeneral.ttf") and _covers(face, "3√10")
    assert face_for(italic, "AB = 12") is italic  # ASCII: the style's own font
    assert face_for(italic, "4π") is italic  # it has π
    assert face_for(font("DejaVuSans.ttf", 15), "3√10").path.endswith("DejaVuSans.ttf")
    assert "CJK" in face_for(italic, "已知AB").font.family


def test_a_label_is_measured_in_the_face_it_is_drawn_in() -> None:
    italic = font("STIXGeneralItalic.ttf", 15)
    layout = LabelLayout(200, 200, [], 2.0)
    placed = layout.place("3√10", italic, [(100.0, 100.0)], {"kind": "length"})
    fallback = face_for(italic, "3√10")
    assert placed.font is fallback
    x0, y0, x1, y1 = fallback.getbbox("3√10", anchor="mm")
    assert placed.bbox == (100 + x0, 100 + y0, 100 + x1, 100 + y1)


@pytest.fixture(scope="module")
def drawn_texts(tmp_path_factory) -> set[str]:
    """Every text drawn in an image (labels, titles, footers) by 12 samples of every kind
    of each domain."""
    texts = set()
    for domain in DOMAINS:
        out = tmp_path_factory.mktemp(domain)
        generate(domain, n=12, seed=4, out=out, kind="all", progress=False)
        for path in out.rglob("*.parquet"):
            table = pq.read_table(path, columns=["figure"])
            for figure in table.column("figure").to_pylist():
                texts |= {lb["text"] for lb in json.loads(figure)["labels"]}
    return texts


@pytest.mark.parametrize("name", FONTS)
def test_every_drawn_text_has_every_glyph_in_the_face_it_is_set_in(name, drawn_texts) -> None:
    signs = {t for t in drawn_texts if not t.isascii()}
    assert len(signs) > 20 and any("√" in t for t in signs)  # the corpus holds the signs
    base = font(name, 15)
    missing = {
        t for t in signs if not all(_covers(f, p.replace(" ", "")) for p, f in runs(base, t))
    }
    assert not missing, sorted(missing)[:5]


def test_a_footer_line_never_breaks_inside_an_option_or_expression() -> None:
    """The question under a vision-only diagram breaks between prose words or options,
    never inside a value ("D: 30 +" / "4π") or a bracket ("(1," / "-1)")."""
    from PIL import Image

    from mavis_engine.render.raster import add_footer

    text = (
        "Find the area of the shaded shape. Options: A: 30 + 4π; B: 12 + 35√3/2; "
        "C: (1, -1); D: y = -0.5(x + 2)² + 3."
    )
    for width in range(240, 520, 7):  # each option fits a line (a longer one must break)
        _, labels = add_footer(
            Image.new("RGB", (width, 50)), text, font("DejaVuSans.ttf", 15), 0, 1
        )
        lines = [lb["text"] for lb in labels]
        assert " ".join(lines) == text
        for line in lines:
            assert not line.endswith(("+", "=", "−", " A:", " B:", " C:", " D:", "(1,")), lines
            assert not line.startswith(("+", "=", "−", "-1)", "4π")), lines


def test_a_text_no_face_covers_is_set_in_runs_each_in_a_face_with_its_glyphs() -> None:
    """Noto Sans CJK has no ₂ or ˣ: a Chinese line with log₂ and 2ˣ is cut into runs, the
    Chinese in Noto Sans CJK and each missing sign in a face that has it."""
    italic = font("STIXGeneralItalic.ttf", 15)
    text = "函数f(x) = log₂(3·x) + 2ˣ⁻¹的图象"
    parts = runs(italic, text)
    assert len(parts) > 1 and "".join(t for t, _ in parts) == text
    assert all(_covers(face, t.replace(" ", "")) for t, face in parts)
    assert "CJK" in parts[0][1].font.family
    assert runs(italic, "AB = 12") == (("AB = 12", italic),)  # ASCII: the fast path
    assert runs(italic, "已知AB") == (("已知AB", face_for(italic, "已知AB")),)


def test_text_in_runs_is_measured_as_it_is_drawn() -> None:
    """The box a label or footer line is measured in holds all the ink drawn for it."""
    from PIL import Image, ImageDraw

    for name in ("DejaVuSerif-Italic.ttf", "STIXGeneral.ttf"):
        base = font(name, 15)
        for text in ("f(x) = log₂(x + 1)的图象", "y = 3ˣ + 3，求f(2)", "2ˣ⁻¹与3√10"):
            for anchor in ("mm", "la"):
                image = Image.new("L", (400, 80), 0)
                draw_text(ImageDraw.Draw(image), (200, 40), text, base, 255, anchor=anchor)
                x0, y0, x1, y1 = text_bbox(base, text, anchor)
                ink = image.getbbox()
                assert ink is not None
                assert ink[0] >= 200 + x0 - 1 and ink[2] <= 200 + x1 + 1, (text, anchor)
                assert ink[1] >= 40 + y0 - 1 and ink[3] <= 40 + y1 + 1, (text, anchor)
            assert abs(text_length(base, text) - (text_bbox(base, text, "la")[2])) < 3


PROSE_CASES = [("function", "zh"), ("function", "en"), ("analytic-geometry", "en")]


@pytest.mark.parametrize(
    ("domain", "language"), [*PROSE_CASES, ("plane-geometry", "zh"), ("solid-geometry", "zh")]
)
def test_footers_and_titles_are_set_at_least_at_prose_size(domain, language) -> None:
    """A vision-only question and a plot's title are read as prose: at least 14 px at a
    512 px image, whatever the style's label size (a plot's labels take 0.8x of it)."""
    from PIL import Image

    from mavis_engine.registry import get
    from mavis_engine.render.raster import add_footer

    cls = get(domain)
    gen = cls(language=language) if language != "en" else cls()
    seen = 0
    for index in range(6):
        sample = gen.sample(21, index, problems=True)
        for row in sample.rows("instruct"):
            if row["version"] != "vision_only":
                continue
            figure = json.loads(row["figure"])
            least = font(figure["style"]["font"], 14)
            for label in figure["labels"]:
                height = label["bbox"][3] - label["bbox"][1]
                if label["kind"] == "text":  # a line's box: the face's ascent + descent
                    _, (line,) = add_footer(Image.new("L", (4000, 9)), label["text"], least, 0, 1)
                    assert height >= line["bbox"][3] - line["bbox"][1] - 0.01, label
                    seen += 1
                elif label["kind"] == "title":  # an ink box
                    _, y0, _, y1 = text_bbox(least, label["text"])
                    assert height >= y1 - y0 - 0.01, label
    assert seen
