"""Rows in several languages (data contract 3.1): the ``language`` column, ``@zh`` ids,
the same figure, facts and numbers in every language, English rows unchanged by adding
another language, and bad languages refused before anything is written."""

from __future__ import annotations

import io
import json
import math
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from fontTools.ttLib import TTCollection
from PIL import Image
from pydantic import ValidationError

from mavis_engine import FunctionPlot, PlaneGeometry, generate, registry
from mavis_engine.analytic.phrases import DIRECTIONS_ZH, KINDS_ZH, NO_FIGURE, NO_INTERSECTION
from mavis_engine.check_run import verify_run
from mavis_engine.cli import main
from mavis_engine.functions.phrases import LABELS
from mavis_engine.generator import parse_languages
from mavis_engine.plane import formulas
from mavis_engine.plane.phrases import REASONS_ZH, reason
from mavis_engine.reading import extract_answer, final_answer
from mavis_engine.render.raster import add_footer
from mavis_engine.render.style import (
    CJK_FACE,
    cjk_font,
    cjk_font_path,
    face_glyphs,
    font,
    runs,
)
from mavis_engine.rowcheck import stated_numbers
from mavis_engine.solid import SolidGeometry
from mavis_engine.stats import caption_words


def test_languages_parse_in_one_order_each_once() -> None:
    assert parse_languages("zh,en") == ("en", "zh")
    assert parse_languages(" zh , zh ") == ("zh",)
    assert parse_languages(["en"]) == ("en",)
    for bad in ("fr", "en,", "", "EN"):
        with pytest.raises(ValueError, match="known: en, zh"):
            parse_languages(bad)


def test_config_takes_languages_or_language() -> None:
    assert PlaneGeometry(language="en,zh").config.languages == ("en", "zh")
    assert PlaneGeometry(languages=["zh"]).config.language == "zh"
    assert "language" not in PlaneGeometry().config.model_dump()
    with pytest.raises(ValidationError, match="languages"):
        PlaneGeometry(languages="de")
    with pytest.raises(ValidationError, match="not both"):
        PlaneGeometry(language="en", languages="zh")


@pytest.mark.parametrize("value", ["fr", "en,xx", ",", "english"])
def test_a_bad_language_is_refused_in_one_line_and_nothing_is_written(
    tmp_path, capsys, value: str
) -> None:
    out = tmp_path / "run"
    argv = ["generate", "plane-geometry", "--n", "2", "--out", str(out), "--quiet"]
    assert main([*argv, "--language", value]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "languages" in err, err
    assert not out.exists()


def test_english_rows_carry_the_language_column(tmp_path) -> None:
    generate("function", n=2, seed=1, out=tmp_path, kind="caption", progress=False)
    table = pq.read_table(next((tmp_path / "caption").glob("*.parquet")))
    assert table.column("language").to_pylist() == ["en", "en"]
    assert not any(i.endswith("@zh") for i in table.column("id").to_pylist())


def test_the_python_api_refuses_a_language_as_the_cli_does(tmp_path) -> None:
    with pytest.raises(ValidationError):
        generate("function", n=1, seed=0, out=tmp_path / "a", languages="fr", progress=False)
    assert not (tmp_path / "a").exists()


DOMAINS = ("plane-geometry", "function", "analytic-geometry", "solid-geometry")
# Lower-case words a Chinese text may hold: variables and function names.
MATHS_WORDS = {"x", "y", "f", "sin", "cos", "tan", "log", "ln", "exp", "arctan", "arcsin"}
MATHS_WORDS |= {"sign", "bx", "ab"}  # sign(x), the derivative of |x|; a·sin(bx + c); πab
# Products of a solid's dimensions in its formulas: V = abc, 2(ab + bc + ac), 2πrh, πrl,
# πh(R² + Rr + r²), 2πrc (a hole's wall), ak + 2bs (a roof).
MATHS_WORDS |= {"abc", "bc", "ac", "rh", "rl", "Rr", "rc", "ak", "bs"}
SAME = ("seed", "index", "generator", "domain", "engine_version", "figure", "facts", "params")


def _rows(out, kind: str) -> list[dict]:
    return [r for f in sorted((out / kind).glob("*.parquet")) for r in pq.read_table(f).to_pylist()]


def english_words(text: str) -> set[str]:
    """Words of Latin letters in ``text`` that are neither point names (capitals) nor
    maths words."""
    return {w for w in re.findall(r"[A-Za-z]+", text) if not w.isupper()} - MATHS_WORDS


@pytest.fixture(scope="module")
def caption_runs(tmp_path_factory) -> dict[str, tuple[list[dict], list[dict]]]:
    """Per domain, the caption rows of an ``en`` run and of an ``en,zh`` run."""
    out = {}
    for domain in DOMAINS:
        base = tmp_path_factory.mktemp(domain)
        generate(domain, n=12, seed=5, out=base / "en", progress=False)
        generate(domain, n=12, seed=5, out=base / "both", languages="en,zh", progress=False)
        assert verify_run(base / "both")["ok"], verify_run(base / "both")
        out[domain] = (_rows(base / "en", "caption"), _rows(base / "both", "caption"))
    return out


@pytest.mark.parametrize("domain", DOMAINS)
def test_chinese_rows_are_the_english_samples_worded_in_chinese(caption_runs, domain) -> None:
    english, both = caption_runs[domain]
    en = [r for r in both if r["language"] == "en"]
    zh = [r for r in both if r["language"] == "zh"]
    assert en == english  # every column: adding zh changes no English row
    assert len(zh) == len(en) == 12
    for e, z in zip(en, zh, strict=True):
        assert z["id"] == e["id"] + "@zh"
        assert {c: z[c] for c in SAME} == {c: e[c] for c in SAME}
        assert z["image"] == e["image"]  # no text is drawn in a caption image
        for text in (z["caption"], z["construction"]):
            assert not english_words(text), (english_words(text), text)
        assert re.search("[\u4e00-\u9fff]", z["caption"]) and "。" in z["caption"]
        # The numbers the English caption states, none other (but the 0 of "f(x) = 0的
        # 解", where English says "crosses zero"); an English polygon's number of
        # vertices is a word in Chinese (五边形).
        en_numbers, zh_numbers = (
            set(stated_numbers(e["caption"])),
            set(stated_numbers(z["caption"])),
        )
        if domain == "function":
            # An English function caption states a selection of the facts (the text
            # stream picks which properties it dwells on, some only in words), so the two
            # need not state the same numbers: verify, above, holds both to the row.
            continue
        assert zh_numbers - {"0"} <= en_numbers
        counts = {"3", "4", "5", "6", "7", "8"} if domain == "analytic-geometry" else set()
        assert en_numbers - zh_numbers <= counts, (e["caption"], z["caption"])


def test_a_chinese_only_run_writes_the_chinese_rows_of_a_bilingual_run(tmp_path) -> None:
    generate("function", n=4, seed=2, out=tmp_path / "zh", languages="zh", progress=False)
    generate("function", n=4, seed=2, out=tmp_path / "both", languages="zh,en", progress=False)
    zh = _rows(tmp_path / "zh", "caption")
    assert zh == [r for r in _rows(tmp_path / "both", "caption") if r["language"] == "zh"]
    assert all(r["id"].endswith("@zh") for r in zh)


def _notdef_mask(fnt) -> bytes:
    """How the font draws a character it has no glyph for (a private-use one)."""
    return bytes(fnt.getmask("\ue000"))


def _unset(lines: list[str], base) -> list[str]:
    """The characters of ``lines`` (drawn from ``base``) that the face of their run lacks
    or draws as its missing-glyph box."""
    out = []
    for line in lines:
        for part, face in runs(base, line):
            tofu, cmap = _notdef_mask(face), face_glyphs(face)
            out += [
                c
                for c in part
                if not c.isspace() and (ord(c) not in cmap or bytes(face.getmask(c)) == tofu)
            ]
    return sorted(set(out))


def test_chinese_text_drawn_in_an_image_has_every_glyph(caption_runs) -> None:
    """Each caption set under a diagram (as a vision-only problem is) is drawn in the
    CJK font, a sign it lacks (log₂, 2ˣ) in the fallback face of its run: every character
    is in the character map of the face it is drawn in, and none is drawn as that face's
    missing-glyph box."""
    collection = TTCollection(cjk_font_path())
    assert "CJK SC" in collection.fonts[CJK_FACE]["name"].getDebugName(4)
    image = Image.new("RGB", (400, 300), "white")
    drawn: set[str] = set()
    for _, both in caption_runs.values():
        for row in (r for r in both if r["language"] == "zh"):
            _, labels = add_footer(image, row["caption"], font("DejaVuSans.ttf", 15), "white", 0)
            lines = [lb["text"] for lb in labels]
            drawn |= {c for line in lines for c in line if not c.isspace()}
            # add_footer sets a Chinese text's lines from Noto Sans CJK.
            assert not _unset(lines, cjk_font(15)), row["caption"]
    assert len(drawn) > 100


def test_wrapped_chinese_lines_fit_and_keep_every_character() -> None:
    text = "已知正方形ABCD的边长为5，∠ABC=90°。求对角线AC的长。" * 4
    image = Image.new("RGB", (300, 100), "white")
    out, labels = add_footer(image, text, font("DejaVuSans.ttf", 15), "white", 0)
    assert "".join(lb["text"] for lb in labels) == text
    fnt = cjk_font(15)
    assert len(labels) > 1 and all(lb["bbox"][2] <= 300 for lb in labels)
    # Within the margins, but for a closing sign kept on the line it closes.
    assert all(fnt.getlength(lb["text"].rstrip("，。")) <= 300 - 16 for lb in labels)
    assert not any(lb["text"][0] in "，。" for lb in labels)
    assert out.height > image.height


def test_a_closing_sign_with_no_room_takes_the_piece_before_it_down() -> None:
    """At any width, no Chinese line runs past the right margin (a closing sign that would
    hang past it moves down with the piece before it), and no character is lost."""
    text = "ABCD-EFGH-IJ是组合体。求组合体ABCD-EFGH-IJ的体积。选项：A：540；B：450；C：18√29。"
    for width in range(150, 420):
        image = Image.new("RGB", (width, 100), "white")
        _, labels = add_footer(image, text, font("DejaVuSans.ttf", 18), "white", 0)
        assert "".join(lb["text"] for lb in labels).replace(" ", "") == text.replace(" ", "")
        assert all(lb["bbox"][2] <= width - 8 for lb in labels), width
        assert not any(lb["text"][0] in "，。；：" for lb in labels), width


def test_chinese_captions_are_counted_in_characters() -> None:
    length, vocab = caption_words("正方形ABCD的边长为5，∠DAB=90°。", {"ABCD", "DAB"}, "zh")
    assert length == len("正方形ABCD的边长为5，∠DAB=90°。")
    assert vocab == set("正方形的边长为")
    assert caption_words("Square ABCD has side 5.", {"ABCD"}) == (5, {"square", "has", "side"})


class EnglishProblemsOnly(FunctionPlot):
    """A domain that words its captions in Chinese but its problems in English only."""

    name = "function-english-problems"
    problem_languages = ("en",)


@pytest.fixture
def english_problems_only(monkeypatch) -> str:
    monkeypatch.setattr(registry, "_generators", dict(registry._generators))
    registry.register(EnglishProblemsOnly)
    return EnglishProblemsOnly.name


@pytest.mark.parametrize("command", ["generate", "preview"])
def test_chinese_problems_are_refused_where_they_are_not_written(
    tmp_path, capsys, command, english_problems_only
) -> None:
    out = tmp_path / "run"
    argv = [command, english_problems_only, "--kind", "instruct", "--language", "en,zh"]
    argv += ["--out", str(out)]
    assert main(argv + (["--n", "2", "--quiet"] if command == "generate" else [])) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        f"mavis-engine: error: generator '{english_problems_only}' cannot write its problems "
        "in zh yet"
    )
    assert not out.exists()
    # Its captions it writes in Chinese; every built-in domain writes Chinese problems.
    captions = ["generate", english_problems_only, "--language", "en,zh", "--n", "1"]
    assert main([*captions, "--out", str(out), "--quiet"]) == 0
    assert all(registry.get(d).problem_languages == ("en", "zh") for d in DOMAINS)


# ------------------------------------------------------------------- Chinese problems

#: Domains whose problems are written in Chinese (the others refuse zh problem rows).
ZH_PROBLEMS = ("plane-geometry", "function", "analytic-geometry", "solid-geometry")
#: Columns of a problem row that hold no text: the same in both languages.
SAME_ANSWER = ("answer", "answer_value", "answer_exact", "choices", "target", "givens")


def chinese_text_words(text: str) -> set[str]:
    """``english_words`` less single letters (a formula's variables: r, l, n, a, b, h)."""
    return {w for w in english_words(text) if len(w) > 1}


def _problem_texts(row: dict) -> list[str]:
    texts = [row.get("question"), row.get("rationale"), *(row.get("choices") or [])]
    for column in ("messages", "prompt", "chosen", "rejected"):
        texts += [m["content"] for m in row.get(column) or []]
    return [t for t in texts if t]


def _nan_free(row: dict) -> dict:
    """A row with its NaN answer value as a text (NaN is unequal to itself)."""
    return {k: "nan" if isinstance(v, float) and math.isnan(v) else v for k, v in row.items()}


_LABELS_EN = {zh: en for en, zh in LABELS["zh"].items()}
_LABELS_EN |= {NO_FIGURE["zh"]: NO_FIGURE["en"], NO_INTERSECTION["zh"]: NO_INTERSECTION["en"]}
_KIND_EN = {zh: en for en, zh in KINDS_ZH.items()}
_KIND = "|".join(sorted(KINDS_ZH.values(), key=len, reverse=True))
_SIDE_EN = {zh: en for en, zh in DIRECTIONS_ZH.items()}
# Chinese answers that name figures, and their English words.
_NAMED = [
    (
        re.compile(rf"同时在({_KIND})(\w+)和({_KIND})(\w+)内"),
        lambda m: f"both {_KIND_EN[m[1]]} {m[2]} and {_KIND_EN[m[3]]} {m[4]}",
    ),
    (re.compile(rf"在({_KIND})([A-Z]\w*)内"), lambda m: f"{_KIND_EN[m[1]]} {m[2]}"),
    (
        re.compile(rf"在({_KIND})([A-Z]\w*)的(\w+)"),
        lambda m: f"{_SIDE_EN[m[3]]} {_KIND_EN[m[1]]} {m[2]}",
    ),
]


def _in_english(value):
    """A categorical answer ('正', '两者相等', '在圆A内', '(1, 2)和(3, 4)') as the
    English row words it; anything else as it is."""
    if isinstance(value, list):
        return [_in_english(v) for v in value]
    if not isinstance(value, str):
        return value
    if value in _LABELS_EN:
        return _LABELS_EN[value]
    for pattern, english in _NAMED:
        if pattern.fullmatch(value):
            return english(pattern.fullmatch(value))
    return value.replace(")和(", ") and (")


def _without_drawn_text(figure: str) -> dict:
    """A figure JSON less what the language of the drawn text changes: a question's
    lines and the height they add, a title."""
    fig = json.loads(figure)
    fig["labels"] = [lb for lb in fig["labels"] if lb["kind"] not in ("text", "title")]
    del fig["height"]
    return fig


def _drawn(figure: str, kind: str) -> list[str]:
    """The texts of a figure's labels of one kind."""
    return [lb["text"] for lb in json.loads(figure)["labels"] if lb["kind"] == kind]


@pytest.fixture(scope="module")
def problem_runs(tmp_path_factory) -> dict[str, tuple[Path, list[dict], list[dict]]]:
    """Per domain with Chinese problems, an ``en`` run and an ``en,zh`` run of every kind:
    (the bilingual run's directory, its instruct and preference rows), after checking
    that adding zh changed no English row."""
    out = {}
    for domain in ZH_PROBLEMS:
        base = tmp_path_factory.mktemp(f"{domain}-problems")
        kw = dict(n=10, seed=4, kind="all", progress=False)
        generate(domain, out=base / "en", **kw)
        generate(domain, out=base / "both", languages="en,zh", **kw)
        for kind in ("caption", "instruct", "preference"):
            en = [_nan_free(r) for r in _rows(base / "both", kind) if r["language"] == "en"]
            assert en == [_nan_free(r) for r in _rows(base / "en", kind)], kind  # every column
        both = base / "both"
        out[domain] = (both, _rows(both, "instruct"), _rows(both, "preference"))
    return out


@pytest.mark.parametrize("domain", ZH_PROBLEMS)
def test_chinese_problem_rows_verify(problem_runs, domain) -> None:
    report = verify_run(problem_runs[domain][0])
    assert report["ok"], report


@pytest.mark.parametrize("domain", ZH_PROBLEMS)
def test_chinese_problems_are_the_english_problems_worded_in_chinese(problem_runs, domain) -> None:
    _, instruct, preference = problem_runs[domain]
    for rows in (instruct, preference):
        en = {r["id"]: r for r in rows if r["language"] == "en"}
        zh = [r for r in rows if r["language"] == "zh"]
        assert len(zh) == len(en) > 0
        for z in zh:
            e = en[z["id"].removesuffix("@zh")]
            assert z["problem_id"] == e["problem_id"] + "@zh"
            same = [c for c in SAME if c != "figure"]  # a drawn question changes it
            assert {c: z[c] for c in same} == {c: e[c] for c in same}
            if "rationale" in z:  # instruct: the same answer, options and givens
                same_answer = {c: _in_english(z[c]) for c in SAME_ANSWER}
                assert _nan_free(same_answer) == _nan_free({c: e[c] for c in SAME_ANSWER})
                assert final_answer(z["rationale"]) == z["answer"]
                assert z["rationale"].splitlines()[-1] == f"答案：{z['answer']}"
            else:  # preference: chosen and rejected close on the English answers
                for column in ("chosen", "rejected"):
                    zh_answer = final_answer(z[column][0]["content"])
                    assert _in_english(zh_answer) == final_answer(e[column][0]["content"])
                assert z["perturbation"] == e["perturbation"]  # a machine label
            # The drawn text differs (a vision-only question, a piecewise function's
            # title), no more.
            assert _without_drawn_text(z["figure"]) == _without_drawn_text(e["figure"])
            titles = [_drawn(r["figure"], "title") for r in (z, e)]
            assert not chinese_text_words(" ".join(titles[0]))
            if titles[0] != titles[1]:
                continue
            if z.get("version") == "vision_only":
                zi, ei = (Image.open(io.BytesIO(r["images"][0]["bytes"])) for r in (z, e))
                top = json.loads(e["figure"])["labels"]
                top = min(lb["bbox"][1] for lb in top if lb["kind"] == "text")
                box = (0, 0, ei.width, int(top))
                assert zi.crop(box).tobytes() == ei.crop(box).tobytes()
            else:
                assert z["figure"] == e["figure"] and z["images"] == e["images"]
            for text in _problem_texts(z):
                assert not chinese_text_words(text), (chinese_text_words(text), text)
                assert (
                    re.search("[\u4e00-\u9fff]", text)
                    or text == z.get("answer")
                    or (text in (z.get("choices") or []))
                ), text


@pytest.mark.parametrize("domain", ZH_PROBLEMS)
def test_the_drawn_chinese_question_has_every_glyph(problem_runs, domain) -> None:
    _, instruct, _ = problem_runs[domain]
    drawn = set()
    for row in instruct:
        if row["language"] == "zh" and row["version"] == "vision_only":
            lines = _drawn(row["figure"], "text")
            assert re.search("[\u4e00-\u9fff]", "".join(lines))
            # Each run in its face: Chinese in Noto Sans CJK, a sign it lacks in a fallback;
            # a formula title (y = 2·log₂(x - 3)) in the plot's face or a fallback.
            titles = _drawn(row["figure"], "title")
            assert not _unset(lines, cjk_font(15)), lines
            style = json.loads(row["figure"]).get("style") or {"font": "DejaVuSans.ttf"}
            assert not _unset(titles, font(style["font"], 15)), titles
            drawn |= {c for line in lines + titles for c in line}
    assert drawn - {" "}


def test_a_chinese_question_that_leaves_out_a_given_fails_verify(problem_runs) -> None:
    """The plane version check reads Chinese: a given taken out of a zh question is
    caught (and the row as written passes)."""
    _, instruct, _ = problem_runs["plane-geometry"]
    row = next(
        r
        for r in instruct
        if r["language"] == "zh" and r["version"] == "text_dominant" and "为" in r["question"]
    )
    assert PlaneGeometry.check_row("instruct", row) == []
    given = json.loads(row["givens"])[0]
    stated = re.search(r"(?:已知|若|，)([^，。]+?为[^，。]+?)(?=，)", row["question"]).group(1)
    broken = {**row, "question": row["question"].replace(stated, "", 1)}
    problems = PlaneGeometry.check_row("instruct", broken)
    assert any("does not state" in p for p in problems), (given, problems)


def test_a_chinese_solid_question_that_leaves_out_a_given_fails_verify(problem_runs) -> None:
    """The solid version check reads a Chinese question too: a given taken out of it
    ('底面半径OA为3') is caught, and the row as written passes."""
    _, instruct, _ = problem_runs["solid-geometry"]
    for row in instruct:
        if row["language"] != "zh" or row["version"] != "text_dominant":
            continue
        given = json.loads(row["givens"])[0]
        stated = re.search(rf"[^，。已知若]*{''.join(given['of'])}为([^，。]+)", row["question"])
        if stated_numbers(row["question"]).count(stated.group(1)) != 1:
            continue  # its value is stated once, by this given only
        assert SolidGeometry.check_row("instruct", row) == []
        broken = {**row, "question": row["question"].replace(stated.group(), "", 1)}
        problems = SolidGeometry.check_row("instruct", broken)
        assert any("is not stated" in p for p in problems), (stated.group(), problems)
        return
    pytest.fail("no Chinese solid question states a given of its own value")


@pytest.mark.parametrize(
    ("text", "answer"),
    [("解：\n所以AB的长为5。\n答案：5", "5"), ("……\n答案：B。", "B"), ("答案: C", "C")],
)
def test_the_chinese_closing_line_is_read(text: str, answer: str) -> None:
    assert extract_answer(text) == answer
    if "：" in text:
        assert final_answer(text).removesuffix("。") == answer


def test_every_plane_formula_has_a_chinese_reason() -> None:
    """Each reason a plane rationale can give (every formula of the library) is worded
    in Chinese, so a rare formula never stops a Chinese row."""
    templates = [v for v in vars(formulas).values() if isinstance(v, formulas.Template)]
    for table in (v for v in vars(formulas).values() if isinstance(v, dict)):
        templates += [t for t in table.values() if isinstance(t, formulas.Template)]
    for n in (5, 6):
        made = (formulas.regular_area, formulas.regular_perimeter, formulas.regular_inradius)
        templates += [make(n) for make in made]
    templates += [formulas.total(kind, 2) for kind in ("area", "perimeter")]
    names = {t.name for t in templates}
    assert len(names) > 60
    assert sorted(names - set(REASONS_ZH)) == []
    assert not any(chinese_text_words(reason(name, "zh")) for name in names)


def test_a_drawn_chinese_given_broken_at_a_space_is_read() -> None:
    """A Chinese question under a diagram once broke '…的周长为19 + 3√2' before its '+'
    (seed 11, sample 69); it now keeps the value whole on a line, and the version check
    finds the given."""
    sample = PlaneGeometry(languages="zh").sample(11, 69, problems=True)
    row = next(r for r in sample.rows("instruct") if r["version"] == "vision_only")
    lines = _drawn(row["figure"], "text")
    assert any("19 + 3√2" in line for line in lines), lines
    assert PlaneGeometry.check_row("instruct", row) == []


def test_a_chinese_footer_line_never_breaks_inside_an_option_or_expression() -> None:
    """As in English (tests/test_fonts.py): a Chinese question under a vision-only
    diagram breaks between characters or options, never beside a sign inside a value
    ("14 -" / "5π/2"), inside a bracket, or after an option's letter ("B：" / "-0.09")."""
    text = (
        "求阴影部分的面积。选项：A：14 - 5π/2；B：1 - 2√5；C：420 - 49π；D：30 + 10√3。"
        "函数在区间[-3, 9]上，当x = -1时，y = 32 + √530。"
    )
    for width in range(150, 520, 5):
        _, labels = add_footer(
            Image.new("RGB", (width, 50)), text, font("DejaVuSans.ttf", 15), "white", 0
        )
        lines = [lb["text"] for lb in labels]
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        for line in lines:
            assert not line.endswith(("+", "-", "=", "A：", "B：", "C：", "D：", "[-3,")), lines
            assert not line.startswith(("+", "-", "=", "5π", "2√5", "49π", "√", "9]")), lines
