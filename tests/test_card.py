"""The dataset card (data contract 3.1): a YAML header that `datasets` reads, counts that
match the shards, a gallery, and a card that stays right after a resumed or mixed run."""

from __future__ import annotations

import json
import shutil
from collections import Counter

import datasets
import pyarrow.parquet as pq
import pytest
import yaml
from PIL import Image

from mavis_engine import pipeline
from mavis_engine.cli import main
from mavis_engine.errors import ShardsFailed
from mavis_engine.export.schema import KINDS, features, yaml_features
from mavis_engine.pipeline import generate
from mavis_engine.stats import caption_words, collect

N, SEED = 12, 0  # seed 0 draws all four domains within 12 samples


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A mixed run (`generate all`) of every kind, in two shards."""
    out = tmp_path_factory.mktemp("card") / "run"
    generate("all", N, SEED, out, kind="all", shard_size=6, progress=False)
    return out


def _card(out):
    text = (out / "README.md").read_text()
    _, head, body = text.split("---\n", 2)
    return yaml.safe_load(head), body


def _column(out, kind, name):
    return [v for p in sorted((out / kind).glob("*.parquet")) for v in pq.read_table(p)[name]]


def _load(out, kind, cache):
    return datasets.load_dataset(str(out), kind, split="train", cache_dir=str(cache))


def test_card_features_are_what_datasets_writes():
    for kind in KINDS:
        feats = datasets.Features.from_dict(features(kind))
        assert yaml_features(features(kind)) == feats._to_yaml_list()


def test_header_has_one_config_per_kind_with_its_features_and_rows(run):
    head, _ = _card(run)
    kinds = ["caption", "instruct", "preference"]
    assert [c["config_name"] for c in head["configs"]] == kinds
    for config, info in zip(head["configs"], head["dataset_info"], strict=True):
        kind = config["config_name"]
        assert config["data_files"] == [{"split": "train", "path": f"{kind}/*.parquet"}]
        assert info["config_name"] == kind
        assert info["features"] == datasets.Features.from_dict(features(kind))._to_yaml_list()
        rows = sum(pq.read_metadata(p).num_rows for p in (run / kind).glob("*.parquet"))
        assert info["splits"][0]["num_examples"] == rows > 0
    assert head["language"] == ["en"] and head["size_categories"] == ["n<1K"]


def test_datasets_loads_each_config_from_the_card_with_images_decoded(run, tmp_path):
    for kind in ("caption", "instruct", "preference"):
        ds = _load(run, kind, tmp_path)
        assert sorted(ds["id"]) == sorted(str(i) for i in _column(run, kind, "id"))
        row = ds[0]
        images = [row["image"]] if kind == "caption" else row["images"]
        assert images and all(isinstance(im, Image.Image) for im in images)
        assert images[0].size[0] > 0


def test_body_counts_match_the_shards(run):
    _, body = _card(run)
    domains = Counter(str(d) for d in _column(run, "caption", "domain"))
    assert len(domains) == 4
    for domain, n in domains.items():
        instruct = sum(1 for d in _column(run, "instruct", "domain") if str(d) == domain)
        assert f"| {domain} | {n} | {instruct} | {n} |" in body
    assert f"| **total** | **{N}** | **{5 * N}** | **{N}** |" in body
    versions = Counter(str(v) for v in _column(run, "instruct", "version"))
    assert set(versions.values()) == {N}
    questions = Counter(
        (str(d), json.loads(str(t))["kind"])
        for d, t in zip(
            _column(run, "instruct", "domain"), _column(run, "instruct", "target"), strict=True
        )
    )
    for (domain, question), n in questions.items():
        assert f"| {domain} | {question} | {n} |" in body
    assert "| en | 12 | 60 | 12 |" in body
    # Caption length, recomputed here from the text alone.
    captions = [str(c) for c in _column(run, "caption", "caption")]
    plane = [
        c
        for c, d in zip(captions, _column(run, "caption", "domain"), strict=True)
        if str(d) == "plane_geometry"
    ]
    average = round(sum(len(c.split()) for c in plane) / len(plane), 1)
    assert f"| plane_geometry | en | {len(plane)} | {average} |" in body
    assert "| 299K | 69.8 | 195 |" in body and "| 77K | 39.6 | 158 |" in body
    assert "| 212K | 61.5 | 149 |" in body
    assert "mavis-engine generate all --n 12 --seed 0 --kind all --shard-size 6" in body


def test_gallery_has_one_image_per_domain_and_version(run):
    _, body = _card(run)
    gallery = sorted(p.name for p in (run / "gallery").iterdir())
    assert len(gallery) == 4 * (1 + 5)  # domains x (caption + five versions)
    for name in gallery:
        assert f'src="gallery/{name}"' in body
        with Image.open(run / "gallery" / name) as im:
            assert im.format == "PNG" and im.size[0] > 0


def test_caption_vocabulary_leaves_out_point_names_and_symbols():
    words, vocab = caption_words(
        "In ABCD, ∠DAB = 60° and AB is 5. A circle; y = x².", {"A", "B", "C", "D", "ABCD"}
    )
    assert words == 14  # whitespace-separated, "=" included, as a plain split counts
    assert vocab == {"in", "and", "is", "circle", "y", "x"}


def test_card_is_rewritten_right_after_an_interrupted_then_resumed_run(tmp_path, monkeypatch):
    out = tmp_path / "run"
    real = pipeline.run_shard

    def crash_on_second_shard(task, progress=None):
        if task.start >= 3:
            raise RuntimeError("crash")
        return real(task, progress)

    monkeypatch.setattr(pipeline, "run_shard", crash_on_second_shard)
    with pytest.raises(ShardsFailed):  # the failing shard fails alone, the run goes on
        generate("plane-geometry", 6, 0, out, kind="instruct", shard_size=3, progress=False)
    head, body = _card(out)  # written at the end of the run, for what is there
    assert "**Incomplete run** (failed): 3 of 6 samples are written." in body
    (out / "README.md").unlink()
    assert main(["card", str(out)]) == 0  # ... or on demand
    assert _card(out) == (head, body)
    assert [i["splits"][0]["num_examples"] for i in head["dataset_info"]] == [15, 3]
    assert len(_load(out, "instruct", tmp_path / "cache")) == 15
    monkeypatch.setattr(pipeline, "run_shard", real)
    generate("plane-geometry", 6, 0, out, kind="instruct", shard_size=3, progress=False)
    head, body = _card(out)
    assert [c["config_name"] for c in head["configs"]] == ["instruct", "preference"]
    assert [i["splits"][0]["num_examples"] for i in head["dataset_info"]] == [30, 6]
    assert "| **total** | **30** | **6** |" in body and "Incomplete" not in body
    assert len(_load(out, "instruct", tmp_path / "cache2")) == 30


def test_a_stale_card_is_caught_by_datasets_and_a_resume_rewrites_it(run, tmp_path):
    out = tmp_path / "run"
    shutil.copytree(run, out)
    shard = sorted((out / "caption").glob("*.parquet"))[1]
    shard.unlink()
    # The card still counts 12 caption rows: datasets refuses the 6 it finds.
    with pytest.raises(datasets.exceptions.NonMatchingSplitsSizesError):
        _load(out, "caption", tmp_path / "cache1")
    (out / "gallery" / "stale.png").write_bytes(b"not an image")
    generate("all", N, SEED, out, kind="all", shard_size=6, progress=False)
    assert (out / "README.md").read_text() == (run / "README.md").read_text()
    assert not (out / "gallery" / "stale.png").exists()
    assert len(_load(out, "caption", tmp_path / "cache2")) == N


def test_card_and_stats_commands(run, tmp_path, capsys):
    out = tmp_path / "run"
    shutil.copytree(run, out)
    (out / "README.md").unlink()
    assert main(["card", str(out)]) == 0
    assert (out / "README.md").read_text() == (run / "README.md").read_text()
    capsys.readouterr()
    assert main(["stats", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report == json.loads(json.dumps(collect(out).to_json()))
    assert report["rows"] == {"caption": N, "instruct": 5 * N, "preference": N}
    assert sum(report["by_domain"]["caption"].values()) == N
    assert main(["stats", str(out)]) == 0
    text = capsys.readouterr().out
    _, body = _card(run)
    assert text.split("\nfailed samples")[0].strip() in body
    assert main(["card", str(tmp_path / "missing")]) == 2
    assert main(["stats", str(tmp_path)]) == 2
    assert "holds no caption/" in capsys.readouterr().err


def test_a_caption_run_has_only_the_caption_config(tmp_path):
    generate("function", 3, 0, tmp_path, progress=False)
    head, body = _card(tmp_path)
    assert [c["config_name"] for c in head["configs"]] == ["caption"]
    assert head["task_categories"] == ["image-to-text"]
    assert "Problem versions" not in body
    assert sorted(p.name for p in (tmp_path / "gallery").iterdir()) == ["function-caption.png"]
