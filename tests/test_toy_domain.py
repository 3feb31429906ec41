"""A new domain needs no edit outside its own code: a toy generator defined here (params,
build, checks, text and one question kind, with the engine's shared pieces) is
generated, verified, caught when tampered with, and mixed into `generate all`."""

from __future__ import annotations

import io
import json
import shutil
from functools import partial

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from PIL import Image, ImageDraw

from mavis_engine import registry
from mavis_engine.answers import target_json
from mavis_engine.cli import main
from mavis_engine.generator import DomainConfig, Generator, Sample
from mavis_engine.problem_rows import WorkedProblem, five_questions, problem_rows
from mavis_engine.rng import stream


class SegmentsConfig(DomainConfig):
    """Lengths of the one segment drawn."""

    lengths: tuple[int, int] = (3, 12)


def params(seed: int, index: int, attempt: int, config: SegmentsConfig) -> dict:
    """All the randomness of a sample: the segment's length."""
    low, high = config.lengths
    return {"length": int(stream(seed, "segments", index, "params", attempt).integers(low, high))}


def build(p: dict) -> dict:
    """The figure: a labelled segment AB, its length a fact."""
    return {
        "facts": [
            {
                "kind": "length",
                "of": ["A", "B"],
                "exact": str(p["length"]),
                "value": float(p["length"]),
            }
        ],
        "figure": {"width": 256, "height": 64, "labels": [], "length": p["length"]},
    }


def picture(figure: dict) -> bytes:
    image = Image.new("L", (figure["width"], figure["height"]), 255)
    ImageDraw.Draw(image).line((16, 32, 16 + 18 * figure["length"], 32), fill=0, width=3)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


class Segments(Generator):
    """One segment of integer length; asks for its length."""

    name = "toy-segments"
    domain = "toy"
    Config = SegmentsConfig
    problem_kinds = ("instruct", "preference")

    @classmethod
    def check_row(cls, kind: str, row: dict) -> list[str]:
        """The fact re-derived from the figure; the answer from the fact."""
        figure, facts = json.loads(row["figure"]), json.loads(row["facts"])
        out = [] if facts[0]["value"] == figure["length"] else ["length is not the figure's"]
        if kind == "instruct" and row["answer_value"] != figure["length"]:
            out.append(f"answer {row['answer_value']} but the segment is {figure['length']}")
        return out

    def attempt(self, seed: int, index: int, attempt: int, problems: bool = False) -> Sample:
        p = params(seed, index, attempt, self.config)
        built = build(p)
        length, png = p["length"], picture(built["figure"])
        sample = Sample(
            self.name,
            self.domain,
            seed,
            index,
            png,
            f"A segment AB of length {length} is drawn.",
            "Draw a segment AB.",
            built["figure"],
            built["facts"],
            p,
        )
        if problems:
            sample.problem_rows = self._problem(sample, length, png)
        return sample

    def _problem(self, sample: Sample, length: int, png: bytes) -> dict[str, list[dict]]:
        words = stream(sample.seed, self.name, sample.index, "text")

        def question(version: str, choices: list[dict] | None) -> str:
            listed = "; ".join(f"{c['letter']}: {c['text']}" for c in choices or [])
            return f"How long is segment AB?{f' Choices: {listed}.' if listed else ''}"

        worked = WorkedProblem(
            key=(str(length), length),
            answer=str(length),
            wrong=[(str(length + d), length + d, f"off by {d}") for d in (1, 2, -1)],
            value=float(length),
            exact_text=str(length),
            target=target_json("length", ["A", "B"]),
            givens="[]",
            rationale=lambda closing: f"AB is drawn with length {length}.\nAnswer: {closing}",
            rejected=lambda: (
                f"AB is drawn with length {length + 1}.\nAnswer: {length + 1}",
                "off by 1",
            ),
            questions=partial(five_questions, self.config.language, words, question),
            prompt=lambda: question("text_dominant", None),
            view=lambda version: "plain",
            draw=lambda view, footer: (png, sample.figure),
        )
        return problem_rows(sample, worked, self.config.choice_ratio)


@pytest.fixture
def toy(monkeypatch):
    monkeypatch.setattr(registry, "_generators", dict(registry._generators))
    registry.register(Segments)


def test_a_toy_domain_generates_verifies_and_mixes(toy, tmp_path, capsys):
    out = tmp_path / "toy"
    run = ["generate", "toy-segments", "--n", "12", "--kind", "all", "--shard-size", "6"]
    assert main([*run, "--out", str(out), "--quiet"]) == 0
    assert "12 caption, 60 instruct, 12 preference rows" in capsys.readouterr().out
    assert main(["verify", "--quiet", str(out)]) == 0
    capsys.readouterr()

    # The toy's own check catches a row it did not write (manifest dropped: rows only).
    tampered = tmp_path / "tampered"
    shutil.copytree(out, tampered)
    (tampered / "manifest.json").unlink()
    path = sorted((tampered / "instruct").glob("*.parquet"))[0]
    table = pq.read_table(path)
    rows = table.to_pylist()
    rows[0]["answer_value"] += 1
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path)
    assert main(["verify", "--quiet", str(tampered)]) == 1
    assert "but the segment is" in capsys.readouterr().out

    # And `generate all` takes it in its mix.
    config = tmp_path / "mix.json"
    config.write_text(json.dumps({"mix": {"toy-segments": 1, "function": 1}}))
    mixed = tmp_path / "mixed"
    args = ["generate", "all", "--n", "10", "--kind", "all", "--config", str(config)]
    assert main([*args, "--out", str(mixed), "--quiet"]) == 0
    assert main(["verify", "--quiet", str(mixed)]) == 0
    domains = {
        r["domain"]
        for p in (mixed / "caption").glob("*.parquet")
        for r in pq.read_table(p, columns=["domain"]).to_pylist()
    }
    assert domains == {"toy", "function"}


def test_the_toy_sample_replays_from_its_params(toy):
    sample = Segments().sample(seed=4, index=7)
    assert build(sample.params)["facts"] == sample.facts
    assert sample.params == params(4, 7, 0, SegmentsConfig())
