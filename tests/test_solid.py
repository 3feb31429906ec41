"""Solid geometry: exact facts of each solid, replay from params, dashed lines exactly
where the faces hide them (in the figure and in the pixels), runs that verify, are the
same bytes on 1 and 2 workers and load with `datasets`, and bad settings refused."""

from __future__ import annotations

import io
import json
import re
import shutil

import datasets
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import sympy as sp
from PIL import Image

from mavis_engine.answers import VERSIONS
from mavis_engine.cli import main
from mavis_engine.errors import Rejected
from mavis_engine.pipeline import generate
from mavis_engine.reading import answer_value
from mavis_engine.rng import stream
from mavis_engine.solid import SolidGeometry, chains, phrases, problems
from mavis_engine.solid.build import build, sample_params
from mavis_engine.solid.check import drawn_lines, hidden_at, ray_hidden
from mavis_engine.solid.rowcheck import figure_problems
from mavis_engine.solid.solids import KINDS, POLYHEDRA, TURNED
from mavis_engine.solid.view import PROJECTIONS, strokes

ROUNDED = (*TURNED, "cylinder", "cone", "cuboid_with_hole")


def _facts(params: dict) -> dict[tuple, str]:
    return {(f["kind"], *f["of"]): f["exact"] for f in build(params).facts_json()}


CABINET = {"kind": "cabinet", "side": 1}
ELEVATED = {"kind": "elevated", "azimuth": 0, "elevation": 20}
# A polyhedron from straight ahead draws O on PM (rejected, point_on_line): turned a little.
TURNED_VIEW = {"kind": "elevated", "azimuth": 30, "elevation": 20}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"kind": "cube", "dims": [4], "projection": CABINET},
            {("volume", "ABCD-EFGH"): 64, ("length", "A", "G"): 4 * sp.sqrt(3)},
        ),
        (
            {"kind": "cuboid", "dims": [3, 4, 12], "projection": CABINET},
            {("length", "A", "G"): 13, ("surface_area", "ABCD-EFGH"): 192},
        ),
        (
            {"kind": "pyramid", "sides": 4, "dims": [6, 4], "projection": TURNED_VIEW},
            {("slant_height", "P-ABCD"): 5, ("surface_area", "P-ABCD"): 96},
        ),
        (
            {"kind": "prism", "sides": 3, "dims": [2, 5], "projection": CABINET},
            {("volume", "ABC-DEF"): 5 * sp.sqrt(3), ("lateral_area", "ABC-DEF"): 30},
        ),
        (
            {"kind": "cone", "dims": [3, 4], "projection": ELEVATED, "rim_offset": 40},
            {("slant_height", "PO"): 5, ("surface_area", "PO"): 24 * sp.pi},
        ),
        (
            {"kind": "cylinder", "dims": [2, 5], "projection": ELEVATED, "rim_offset": 40},
            {("volume", "OP"): 20 * sp.pi, ("surface_area", "OP"): 28 * sp.pi},
        ),
        (
            {"kind": "sphere", "dims": [3], "projection": ELEVATED, "rim_offset": -40},
            {("volume", "O"): 36 * sp.pi, ("surface_area", "O"): 36 * sp.pi},
        ),
        (
            {"kind": "hemisphere", "dims": [3], "projection": ELEVATED, "rim_offset": 40},
            {("volume", "O"): 18 * sp.pi, ("surface_area", "O"): 27 * sp.pi},
        ),
        (
            {"kind": "frustum", "dims": [4, 1, 4], "projection": ELEVATED, "rim_offset": 40},
            {
                ("slant_height", "OP"): 5,
                ("volume", "OP"): 28 * sp.pi,
                ("lateral_area", "OP"): 25 * sp.pi,
                ("surface_area", "OP"): 42 * sp.pi,
            },
        ),
        (
            {
                "kind": "cone_on_cylinder",
                "dims": [3, 4, 4],
                "projection": ELEVATED,
                "rim_offset": 40,
            },
            {("volume", "OPV"): 48 * sp.pi, ("surface_area", "OPV"): 48 * sp.pi},
        ),
        (
            {
                "kind": "hemisphere_on_cylinder",
                "dims": [3, 4],
                "projection": ELEVATED,
                "rim_offset": 40,
            },
            {("volume", "OPV"): 54 * sp.pi, ("surface_area", "OPV"): 51 * sp.pi},
        ),
        (
            {
                "kind": "cuboid_with_roof",
                "dims": [6, 4, 5, 4],
                "projection": {"kind": "elevated", "azimuth": -25, "elevation": 20},
            },
            {
                ("length", "F", "I"): 5,
                ("volume", "ABCD-EFGH-IJ"): 168,
                ("surface_area", "ABCD-EFGH-IJ"): 188,
            },
        ),
        (
            {
                "kind": "cuboid_with_hole",
                "dims": [6, 6, 5, 2],
                "projection": {"kind": "elevated", "azimuth": 20, "elevation": 20},
                "rim_offset": -80,
            },
            {
                ("volume", "ABCD-EFGH-P"): 180 - 20 * sp.pi,
                ("surface_area", "ABCD-EFGH-P"): 192 + 12 * sp.pi,
            },
        ),
    ],
)
def test_exact_facts_of_each_solid(params, expected):
    facts = _facts(params)
    for key, value in expected.items():
        assert sp.simplify(sp.sympify(facts[key]) - value) == 0, key
    fig = build(params)
    figure = {**fig.to_json(), "labels": [], "width": 1, "height": 1}
    assert figure_problems(figure, fig.facts_json()) == []  # recomputed another way


def test_the_dashed_curves_are_the_ones_the_solid_hides():
    """Rims, a dome's outline, a hole's circles and sides: each sampled point of a drawn
    curve is dashed exactly when a ray from it toward the viewer meets the solid (its
    mesh, outside the hole), away from where a rim turns from seen to hidden."""
    checked = {True: 0, False: 0}
    for fig in _figures(60, ROUNDED):
        figure = fig.to_json()
        for stroke in strokes(fig.solid, fig.view):
            if stroke.ends:
                continue
            inner = stroke.points[4:-4:3] if len(stroke.points) > 12 else stroke.points[1:-1]
            for hidden in hidden_at(figure, list(inner)):
                assert hidden == stroke.hidden, (fig.solid.kind, fig.projection)
                checked[hidden] += 1
    assert checked[True] > 500 and checked[False] > 500


def test_a_sample_replays_from_its_params():
    gen = SolidGeometry()
    for index in range(8):
        sample = gen.sample(seed=5, index=index)
        assert SolidGeometry.replay(sample.params) == sample.facts
        assert sample.params["attempt"] == 0 or sample.rejections


def _figures(n: int, kinds=KINDS):
    """Built figures of the first ``n`` accepted parameter draws (every solid, both
    projections), without rendering."""
    out, seed = [], 0
    while len(out) < n:
        rng = stream(seed, "solid-test", 0, "params")
        seed += 1
        try:
            out.append(build(sample_params(rng, kinds, (2, 9), (2, 7), (3, 10), PROJECTIONS)))
        except Rejected:
            continue
    return out


def test_the_dashed_lines_are_the_ones_the_faces_hide():
    """The renderer dashes what the face normals say; a ray from each line's midpoint
    toward the viewer, cast through the faces (or a mesh of a round solid), agrees."""
    kinds, dashed = set(), 0
    for fig in _figures(400):
        figure = fig.to_json()
        assert [tuple(e) for e in figure["hidden_edges"]] == ray_hidden(figure)
        kinds.add(fig.solid.kind)
        dashed += len(figure["hidden_edges"])
    assert kinds == set(KINDS) and dashed > 400


def test_round_measures_from_meshes_are_far_inside_the_tolerance():
    """The recheck's meshes, extrapolated, land within 1e-7 of every exact volume and
    area (the check allows 1e-6): a coarser mesh or a lost extrapolation step fails here
    before it lets a wrong fact through."""
    from mavis_engine.solid.check import ROUND_TOL, recompute_all

    assert ROUND_TOL == 1e-6
    view = {"kind": "elevated", "azimuth": 0, "elevation": 20}
    cases = [("sphere", [7]), ("hemisphere", [7]), ("cylinder", [2, 10]), ("cone", [7, 3])]
    cases += [("frustum", [7, 2, 10]), ("cone_on_cylinder", [7, 10, 3])]
    cases += [("hemisphere_on_cylinder", [7, 3])]
    worst = 0.0
    for kind, dims in cases:
        figure = build({"kind": kind, "dims": dims, "projection": view, "rim_offset": 50})
        facts = [f for f in figure.facts_json() if f["kind"] not in ("length", "angle")]
        for fact, (got, _) in zip(facts, recompute_all(figure.to_json(), facts), strict=True):
            worst = max(worst, abs(got - fact["value"]) / fact["value"])
    assert worst < 1e-7, worst


def _ink(image: Image.Image, x: float, y: float, threshold: int) -> bool:
    xi, yi = round(x), round(y)
    box = np.asarray(image.crop((xi - 1, yi - 1, xi + 2, yi + 2)))
    return bool(box.min() < threshold)


@pytest.mark.parametrize(
    ("solids", "count", "least"),
    [
        (POLYHEDRA, 40, (50, 200)),
        (("frustum", "cone_on_cylinder", "cuboid_with_roof", "cuboid_with_hole"), 24, (30, 60)),
    ],
)
def test_the_drawing_dashes_exactly_the_hidden_edges(solids, count, least):
    """Read back from the pixels: along a hidden edge (or height, radius) the stroke has
    gaps, along a seen one it has none (lines long enough to show a dash pattern)."""
    gen = SolidGeometry(solids=solids, grayscale_prob=1.0)
    checked = {True: 0, False: 0}
    for index in range(count):
        sample = gen.sample(seed=2, index=index)
        figure = sample.figure
        image = Image.open(io.BytesIO(sample.image)).convert("L")
        line = figure["style"]["line_color"]
        # Ink: darker than a third of the way from the line's grey to the lightest fill
        # (a thin slanted stroke shares its darkness between two pixels).
        threshold = (round(0.299 * line[0] + 0.587 * line[1] + 0.114 * line[2]) + 2 * 220) // 3
        hidden = {tuple(e) for e in figure["hidden_edges"]}
        for a, b in drawn_lines(figure):
            p, q = np.array(figure["pixels"][a]), np.array(figure["pixels"][b])
            length = float(np.linalg.norm(q - p))
            if length < 30:
                continue
            ts = np.arange(0.15 * length, 0.85 * length) / length
            ink = [_ink(image, *(p + t * (q - p)), threshold) for t in ts]
            gaps = ink.count(False)
            if (a, b) in hidden:
                assert gaps >= 0.1 * len(ink), (sample.id, a, b, gaps)
            else:
                assert gaps == 0, (sample.id, a, b, gaps)
            checked[(a, b) in hidden] += 1
    assert checked[True] > least[0] and checked[False] > least[1]


def test_labels_stay_inside_the_image_and_apart():
    gen = SolidGeometry()
    for index in range(40):
        figure = gen.sample(seed=3, index=index).figure
        boxes = [lb["bbox"] for lb in figure["labels"]]
        assert {lb["text"] for lb in figure["labels"] if lb["kind"] == "point"} == set(
            figure["points"]
        )
        for i, (x0, y0, x1, y1) in enumerate(boxes):
            assert 0 <= x0 < x1 <= figure["width"] and 0 <= y0 < y1 <= figure["height"]
            for a0, b0, a1, b1 in boxes[:i]:
                assert x1 <= a0 or a1 <= x0 or y1 <= b0 or b1 <= y0


def test_a_run_verifies_is_the_same_on_two_workers_and_loads(tmp_path, capsys):
    for name, workers in (("one", 1), ("two", 2)):
        generate(
            "solid-geometry", 30, 1, tmp_path / name, workers=workers, shard_size=8, progress=False
        )
    shards = sorted((tmp_path / "one" / "caption").glob("*.parquet"))
    assert len(shards) == 4
    for p in shards:
        assert p.read_bytes() == (tmp_path / "two" / "caption" / p.name).read_bytes()
    assert main(["verify", "--quiet", str(tmp_path / "one")]) == 0
    assert "30 rows checked, 0 with problems" in capsys.readouterr().out
    ds = datasets.load_dataset(
        "parquet",
        data_dir=str(tmp_path / "one" / "caption"),
        split="train",
        cache_dir=str(tmp_path / "cache"),
    )
    assert len(ds) == 30 and ds[0]["domain"] == "solid_geometry"
    assert ds[0]["image"].size[0] == 512 or ds[0]["image"].size[1] == 512
    figure = json.loads(ds[0]["figure"])
    assert figure["points3d"] and figure["shapes"][0]["kind"] in KINDS


def _tampered(run, out, change) -> None:
    shutil.copytree(run, out)
    (out / "manifest.json").unlink()  # rows only: the checks of each row are what is tested
    path = sorted((out / "caption").glob("*.parquet"))[0]
    table = pq.read_table(path)
    rows = table.to_pylist()
    change(rows[0])
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path)


def test_verify_catches_a_wrong_volume_and_a_wrong_dash(tmp_path, capsys):
    run = tmp_path / "run"
    generate("solid-geometry", 6, 0, run, shard_size=6, progress=False)

    def volume(row):
        facts = json.loads(row["facts"])
        fact = next(f for f in facts if f["kind"] == "volume")
        fact["value"] *= 1.01
        row["facts"] = json.dumps(facts)

    def dash(row):
        figure = json.loads(row["figure"])
        figure["hidden_edges"] = figure["hidden_edges"][1:]
        row["figure"] = json.dumps(figure)

    for name, change, message in (
        ("v", volume, "but the solid gives"),
        ("d", dash, "but the faces hide"),
    ):
        _tampered(run, tmp_path / name, change)
        assert main(["verify", "--quiet", str(tmp_path / name)]) == 1
        assert message in capsys.readouterr().out


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"edge": [5, 2]}, "edge"),
        ({"solids": ["torus"]}, "solids"),
        ({"projections": ["fisheye"]}, "projections"),
        ({"radius": [0, 3]}, "radius"),
    ],
)
def test_bad_settings_fail_with_one_line_naming_the_field(tmp_path, capsys, settings, field):
    config = tmp_path / "c.json"
    config.write_text(json.dumps(settings))
    out = tmp_path / "out"
    code = main(
        ["generate", "solid-geometry", "--n", "3", "--config", str(config), "--out", str(out)]
    )
    err = capsys.readouterr().err.strip()
    assert code == 2 and f"invalid {field}" in err and len(err.splitlines()) == 1
    assert not out.exists()


# Products of dimensions a Chinese formula writes (V = abc, 2πrh, πh(R² + Rr + r²), ...),
# and tan, as a Chinese textbook writes tan∠GAC.
PRODUCTS = {"ab", "abc", "bc", "ac", "rh", "rl", "Rr", "rc", "ak", "bs", "tan"}


@pytest.mark.parametrize("kind", KINDS)
def test_every_line_of_the_working_is_worded_in_chinese(kind):
    """Each sentence of a solid's working, for both measures and every multi-step chain,
    has its Chinese (``phrases.LINES``), with no English word left."""
    lines = []
    for index in range(12):  # prisms and pyramids of 3, 4 and 6 sides
        params = SolidGeometry(solids=(kind,)).params(0, index)
        try:
            solid, n = build(params).solid, int(params.get("sides", 0))
        except Rejected:
            continue
        d = problems._dims(kind, params["dims"])
        lines += [line for t in problems.TARGETS for line in problems.steps(kind, n, d, t)]
        lines += [line for make in chains.CHAINS.get(kind, ()) for line in make(solid).lines]
    for line in lines:
        zh = phrases.line_zh(line, phrases.noun(kind, 4), "正方形")
        assert zh is not None, line
        words = {w for w in re.findall(r"[A-Za-z_]+", zh) if not w.isupper() and len(w) > 1}
        assert words <= PRODUCTS, (words, zh)


def _rows(run, kind: str) -> list[dict]:
    return [r for p in sorted((run / kind).glob("*.parquet")) for r in pq.read_table(p).to_pylist()]


#: What a problem asks: one step, or a chain's height, edge, lateral area or tangent.
TARGETS = {"volume", "surface_area", "height", "length", "lateral_area", "tan"}


def test_problem_rows_verify_answer_the_fact_and_are_the_same_on_two_workers(tmp_path, capsys):
    """`--kind all`: verify passes; each answer is its target fact; options are distinct
    with the key showing the answer; text versions state the dimensions and draw letters
    only, vision dominant and vision only draw them; 1 and 2 workers write the same bytes."""
    for name, workers in (("one", 1), ("two", 2)):
        generate(
            "solid-geometry",
            24,
            0,
            tmp_path / name,
            kind="all",
            workers=workers,
            shard_size=12,
            progress=False,
        )
    for kind in ("caption", "instruct", "preference"):
        for p in sorted((tmp_path / "one" / kind).glob("*.parquet")):
            assert p.read_bytes() == (tmp_path / "two" / kind / p.name).read_bytes()
    assert main(["verify", "--quiet", str(tmp_path / "one")]) == 0
    assert "120 rows checked, 0 with problems" in capsys.readouterr().out
    rows = _rows(tmp_path / "one", "instruct")
    assert len(rows) == 120 and {r["version"] for r in rows} == set(VERSIONS)
    targets, choices = set(), 0
    for row in rows:
        target = json.loads(row["target"])
        facts = json.loads(row["facts"])
        if target["kind"] == "tan":  # a chain's tangent of an angle the facts hold
            angle = next(f for f in facts if (f["kind"], f["of"]) == ("angle", target["of"]))
            assert row["answer_value"] == pytest.approx(np.tan(np.radians(angle["value"])))
            targets.add("tan")
            continue
        fact = next(f for f in facts if (f["kind"], f["of"]) == (target["kind"], target["of"]))
        assert row["answer_value"] == fact["value"] and row["answer_exact"] == fact["exact"]
        targets.add(target["kind"])
        lengths = [lb for lb in json.loads(row["figure"])["labels"] if lb["kind"] == "length"]
        drawn = row["version"] in ("vision_dominant", "vision_only")
        assert bool(lengths) == drawn
        if row["choices"]:
            choices += 1
            assert len(set(row["choices"])) == 4
            key = "ABCD".index(row["answer"])
            assert answer_value(row["choices"][key]) == pytest.approx(row["answer_value"])
            assert row["rationale"].endswith(f"Answer: {row['answer']}")
    assert {"volume", "surface_area"} <= targets <= TARGETS
    assert 0 < choices < len(rows)
    for pref in _rows(tmp_path / "one", "preference"):
        assert pref["chosen"][0]["content"] != pref["rejected"][0]["content"]


def test_verify_catches_a_tampered_answer(tmp_path, capsys):
    run = tmp_path / "run"
    generate("solid-geometry", 4, 0, run, kind="instruct", shard_size=4, progress=False)
    out = tmp_path / "t"
    shutil.copytree(run, out)
    (out / "manifest.json").unlink()
    path = sorted((out / "instruct").glob("*.parquet"))[0]
    table = pq.read_table(path)
    rows = table.to_pylist()
    rows[0]["answer_value"] *= 1.01
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path)
    assert main(["verify", "--quiet", str(out)]) == 1
    assert "but the solid gives" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("params", "target", "answer", "mistake", "wrong"),
    [
        (
            {"kind": "cylinder", "dims": [3, 5]},
            "volume",
            "45π",
            "diameter used as the radius",
            "180π",
        ),
        ({"kind": "cone", "dims": [3, 4]}, "volume", "12π", "forgot the 1/3", "36π"),
        (
            {"kind": "cone", "dims": [3, 4]},
            "surface_area",
            "24π",
            "lateral area instead of the total",
            "15π",
        ),
        (
            {"kind": "pyramid", "sides": 4, "dims": [6, 4]},
            "surface_area",
            "96",
            "height used as the slant height",
            "84",
        ),
    ],
)
def test_the_worked_answer_and_its_typed_mistakes(params, target, answer, mistake, wrong):
    kind, n = params["kind"], params.get("sides", 0)
    d = problems._dims(kind, params["dims"])
    lines = problems.steps(kind, n, d, target)
    assert lines[-1].endswith(f"= {answer}.")
    typed = dict(problems.mistakes(kind, n, d, target))
    assert problems.answer_text(typed[mistake]) == wrong


@pytest.mark.parametrize(
    ("params", "chain", "answer", "mistake", "wrong"),
    [
        (
            {"kind": "cone", "dims": [3, 4], "projection": ELEVATED, "rim_offset": 40},
            "cone_volume_from_slant",
            "12π",
            "slant height used as the height",
            "15π",
        ),
        (
            {"kind": "cube", "dims": [4], "projection": CABINET},
            "cube_volume_from_diagonal",
            "64",
            "face diagonal formula used: a = AG/√2",
            "48√6",
        ),
        (
            {"kind": "frustum", "dims": [5, 2, 4], "projection": ELEVATED, "rim_offset": 40},
            "frustum_height_from_slant",
            "4",
            "slant height used as the height",
            "5",
        ),
        (
            {"kind": "frustum", "dims": [5, 2, 4], "projection": ELEVATED, "rim_offset": 40},
            "frustum_volume_from_slant",
            "52π",
            "forgot the 1/3",
            "156π",
        ),
        (
            {
                "kind": "cone_on_cylinder",
                "dims": [3, 2, 4],
                "projection": ELEVATED,
                "rim_offset": 40,
            },
            "cone_on_cylinder_volume_from_slant",
            "30π",
            "slant height used as the cone's height",
            "33π",
        ),
        (
            {"kind": "pyramid", "sides": 4, "dims": [6, 4], "projection": TURNED_VIEW},
            "pyramid_volume_from_slant",
            "48",
            "slant height used as the height",
            "60",
        ),
        (
            {"kind": "cylinder", "dims": [4, 3], "projection": ELEVATED, "rim_offset": 40},
            "cylinder_height_from_volume",
            "3",
            "r used instead of r²",
            "12",
        ),
        (
            {"kind": "cuboid", "dims": [4, 5, 6], "projection": CABINET},
            "cuboid_height_from_volume",
            "6",
            "the pyramid's formula: AE = 3V/(AB·BC)",
            "18",
        ),
        (
            {"kind": "cone", "dims": [3, 4], "projection": ELEVATED, "rim_offset": 40},
            "cone_lateral_area",
            "15π",
            "total surface area instead of the lateral",
            "24π",
        ),
        (
            {"kind": "cuboid", "dims": [3, 4, 12], "projection": CABINET},
            "cuboid_diagonal_tangent",
            "2.4",
            "AC/AE: the tangent of the other angle",
            "5/12",
        ),
        (
            {"kind": "cuboid", "dims": [2, 3, 5], "projection": CABINET},
            "cuboid_diagonal_tangent",
            "(5√13)/13",
            "the sine AE/AG",
            "(5√38)/38",
        ),
        (
            {"kind": "cone", "dims": [3, 4], "projection": ELEVATED, "rim_offset": 40},
            "cone_lateral_area",
            "15π",
            "height used as the slant height",
            "12π",
        ),
        (
            {"kind": "cone", "dims": [3, 4], "projection": ELEVATED, "rim_offset": 40},
            "cone_lateral_area",
            "15π",
            "diameter used as the radius",
            "12π√13",
        ),
        (
            {"kind": "cone", "dims": [3, 4], "projection": ELEVATED, "rim_offset": 40},
            "cone_lateral_area",
            "15π",
            "forgot the square root",
            "75π",
        ),
    ],
)
def test_a_chain_finds_the_unknown_length_first(params, chain, answer, mistake, wrong):
    worked = getattr(chains, chain)(build(params).solid)
    assert worked.lines[-1].endswith(f"= {answer}.")
    assert problems.answer_text(worked.target.exact) == answer
    assert problems.answer_text(dict(worked.mistakes)[mistake]) == wrong


def test_composite_surfaces_leave_out_the_shared_face():
    """The typed mistake of a composite's surface area is the shared face counted."""
    d = problems._dims("cone_on_cylinder", [3, 4, 4])
    typed = dict(problems.mistakes("cone_on_cylinder", 0, d, "surface_area"))
    assert problems.answer_text(problems.measure("cone_on_cylinder", 0, d, "surface_area")) == "48π"
    assert problems.answer_text(typed["counted the hidden shared face"]) == "57π"
    d = problems._dims("cuboid_with_hole", [6, 6, 5, 2])
    typed = dict(problems.mistakes("cuboid_with_hole", 0, d, "surface_area"))
    assert problems.answer_text(typed["forgot the hole's inner wall"]) == "192 - 8π"


def _chain_of(row: dict) -> str | None:
    """The chain a problem row asks (its solid's chain with the row's givens), if any."""
    params = {k: v for k, v in json.loads(row["params"]).items() if k != "attempt"}
    givens = {tuple(g["of"]) for g in json.loads(row["givens"])}
    solid = build(params).solid
    target = json.loads(row["target"])
    asked = (target["kind"], tuple(target["of"]))
    for make in chains.CHAINS.get(solid.kind, ()):
        worked = make(solid)
        made = (worked.target.kind, worked.target.of)
        if made == asked and {tuple(g.of) for g, _ in worked.givens} == givens:
            return make.__name__
    return None


def test_every_drawn_given_is_a_drawn_line_its_label_beside_it():
    """Where a problem draws its givens (vision dominant, vision only), each is a line
    of the figure (an edge or a segment: a cube's space diagonal AG is drawn for the
    chain that gives it, dashed through the inside) with its length label; the figure's
    dashes are still the ones the faces hide, and the pixels show them."""
    asked = set()
    for kind in KINDS:
        gen = SolidGeometry(solids=(kind,), grayscale_prob=1.0)
        for index in range(12 if kind in chains.CHAINS else 3):
            for row in gen.sample(seed=0, index=index, problems=True).rows("instruct"):
                asked.add(_chain_of(row))
                figure = json.loads(row["figure"])
                lines = set(drawn_lines(figure))
                assert [tuple(e) for e in figure["hidden_edges"]] == ray_hidden(figure)
                if row["version"] not in ("vision_dominant", "vision_only"):
                    continue
                labelled = {tuple(lb["of"]) for lb in figure["labels"] if lb["kind"] == "length"}
                for g in json.loads(row["givens"]):
                    if g["kind"] != "length":  # a volume: stated, never drawn
                        continue
                    assert tuple(sorted(g["of"])) in lines, (row["id"], g["of"])
                    assert tuple(g["of"]) in labelled, (row["id"], g["of"])
                if "A" in figure["points"] and ["A", "G"] in figure["shapes"][0]["segments"]:
                    assert ["A", "G"] in figure["hidden_edges"], row["id"]
                    image = Image.open(io.BytesIO(row["images"][0]["bytes"])).convert("L")
                    line = figure["style"]["line_color"]
                    threshold = (
                        round(0.299 * line[0] + 0.587 * line[1] + 0.114 * line[2]) + 2 * 220
                    ) // 3
                    p, q = (np.array(figure["pixels"][v]) for v in "AG")
                    length = float(np.linalg.norm(q - p))
                    ink = [
                        _ink(image, *(p + t * (q - p)), threshold)
                        for t in np.arange(0.15 * length, 0.85 * length) / length
                    ]
                    assert ink.count(False) >= 0.1 * len(ink), row["id"]
    assert {c.__name__ for cs in chains.CHAINS.values() for c in cs} <= asked


def test_a_space_diagonal_drawn_through_another_point_is_not_asked():
    """In a cabinet drawing to the right, a cube's AG is drawn through F: that figure is
    asked its one-step volume or surface area instead of the diagonal chain."""
    gen = SolidGeometry(solids=("cube",), projections=("cabinet",))
    sides = set()
    for index in range(24):
        row = gen.sample(seed=0, index=index, problems=True).rows("instruct")[0]
        side = json.loads(row["params"])["projection"]["side"]
        sides.add(side)
        if side == 1:
            assert _chain_of(row) is None, row["id"]
    assert sides == {1, -1}


def _first_chain_rows(kind: str, chain: str) -> list[dict]:
    """The instruct rows of the first seed-0 sample of ``kind`` that asks ``chain``."""
    gen = SolidGeometry(solids=(kind,))
    for index in range(40):
        rows = gen.sample(seed=0, index=index, problems=True).rows("instruct")
        if _chain_of(rows[0]) == chain:
            return rows
    pytest.fail(f"no {kind} problem asks {chain}")


def _independent(chain: str, figure: dict, givens: dict[str, float]) -> float:
    """The answer from the figure's 3-D points and the stated volume, not the chain."""
    p = {k: np.array(v, dtype=float) for k, v in figure["points3d"].items()}

    def d(a: str, b: str) -> float:
        return float(np.linalg.norm(p[a] - p[b]))

    if chain == "cylinder_height_from_volume":
        return givens["volume"] / (np.pi * d("O", "A") ** 2)
    if chain == "cuboid_height_from_volume":
        return givens["volume"] / (d("A", "B") * d("B", "C"))
    if chain == "cuboid_diagonal_tangent":  # CG over AC, the diagonal measured in 3-D
        return d("C", "G") / d("A", "C")
    return np.pi * d("O", "A") * np.hypot(d("O", "A"), d("P", "O"))  # cone: πr·√(r² + h²)


@pytest.mark.parametrize(
    ("kind", "chain", "edge"),
    [
        ("cylinder", "cylinder_height_from_volume", ("O", "P")),
        ("cuboid", "cuboid_height_from_volume", ("A", "E")),
        ("cone", "cone_lateral_area", None),
        ("cuboid", "cuboid_diagonal_tangent", None),
    ],
)
def test_a_volume_lateral_or_tangent_chain_is_asked_verified_and_right(kind, chain, edge):
    """The chain is asked of its solid; its answer is the figure's own (a height: the
    3-D edge; and V/(πr²), V/(AB·BC), πr√(r² + h²), CG/AC from the points); every version
    verifies; its typed mistakes are distinct from the answer and from each other; a
    given volume is in the text of every version (vision only: under the drawing) and
    never drawn, and a vision-dominant question that leaves it out fails verify."""
    rows = _first_chain_rows(kind, chain)
    first = rows[0]
    figure = json.loads(first["figure"])
    givens = {g["kind"]: g["value"] for g in json.loads(first["givens"])}
    assert first["answer_value"] == pytest.approx(_independent(chain, figure, givens))
    if edge:
        points = {k: np.array(v) for k, v in figure["points3d"].items()}
        length = float(np.linalg.norm(points[edge[0]] - points[edge[1]]))
        assert first["answer_value"] == pytest.approx(length)
    for row in rows:
        assert SolidGeometry.check_row("instruct", row) == [], row["version"]
    params = {k: v for k, v in json.loads(first["params"]).items() if k != "attempt"}
    worked = getattr(chains, chain)(build(params).solid)
    values = [float(sp.N(v)) for _, v in worked.mistakes]
    assert len(values) >= 3
    for i, v in enumerate(values):
        assert v != pytest.approx(first["answer_value"]), worked.mistakes[i]
        assert all(v != pytest.approx(w) for w in values[i + 1 :]), worked.mistakes[i]
    if "volume" not in givens:
        return
    volume = next(
        problems.answer_text(sp.sympify(g["exact"]))
        for g in json.loads(first["givens"])
        if g["kind"] == "volume"
    )
    by_version = {r["version"]: r for r in rows}
    for version, row in by_version.items():
        labels = json.loads(row["figure"])["labels"]
        assert volume not in {lb["text"] for lb in labels if lb["kind"] == "length"}
        footer = " ".join(lb["text"] for lb in labels if lb["kind"] == "text")
        assert volume in (footer if version == "vision_only" else row["question"]), version
    dominant = by_version["vision_dominant"]
    broken = {**dominant, "question": dominant["question"].replace(volume, "")}
    assert any("is not stated" in p for p in SolidGeometry.check_row("instruct", broken))
    only = by_version["vision_only"]
    figure = json.loads(only["figure"])
    for label in figure["labels"]:
        label["text"] = label["text"].replace(volume, "")
    broken = {**only, "figure": json.dumps(figure)}
    assert any("is not stated" in p for p in SolidGeometry.check_row("instruct", broken))
