"""`mavis-engine export`: each format read back by its consumer (datasets' JSON loader as
LLaMA-Factory uses it, the webdataset library, json.load as LLaVA does), every row once,
images that open and match the source, and an export that is all or nothing."""

from __future__ import annotations

import glob
import json
import math

import datasets
import pyarrow.parquet as pq
import pytest
import webdataset as wds
from PIL import Image

from mavis_engine.cli import main
from mavis_engine.errors import UsageError
from mavis_engine.export import formats
from mavis_engine.export.exporter import export
from mavis_engine.export.names import id_of, safe_name
from mavis_engine.export.parquet import write_shard
from mavis_engine.pipeline import generate

KINDS = ("caption", "instruct", "preference")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A mixed run of every domain and kind, in two shards."""
    out = tmp_path_factory.mktemp("export") / "run"
    generate("all", 12, 0, out, kind="all", shard_size=6, progress=False)
    return out


def _source(out, kind):
    """Source rows by id: their images' bytes and the columns the tests compare."""
    rows = {}
    for path in sorted((out / kind).glob("*.parquet")):
        for row in pq.read_table(path).to_pylist():
            images = [row["image"]] if kind == "caption" else row["images"]
            rows[row["id"]] = {**row, "_pngs": [i["bytes"] for i in images]}
    return rows


def _records(x, fmt, kind):
    """The exported records of a kind, read as the format's consumer reads them."""
    if fmt == "llava":
        with open(x / f"{kind}.json") as f:  # LLaVA's LazySupervisedDataset: json.load
            return json.load(f)
    if fmt in ("sharegpt", "jsonl"):  # LLaMA-Factory loads its files with datasets' JSON
        files = str(x / f"{kind}.jsonl")
        cache = str(x.parent / ".hf-cache")
        return list(datasets.load_dataset("json", data_files=files, split="train", cache_dir=cache))
    urls = sorted(glob.glob(str(x / f"{kind}-*.tar")))
    return list(wds.WebDataset(urls, shardshuffle=False).decode("pil"))


def _paths(fmt, record):
    if fmt == "llava":
        image = record.get("image", [])
        return [image] if isinstance(image, str) else image
    return [record["image"]] if "image" in record else record["images"]


@pytest.mark.parametrize("fmt", ["llava", "sharegpt", "jsonl"])
def test_every_row_once_with_its_images(run, tmp_path, fmt):
    x = tmp_path / fmt
    summary = export(run, fmt, x, progress=False)
    kinds = ("caption", "instruct") if fmt == "llava" else KINDS
    assert list(summary["kinds"]) == list(kinds)
    for kind in kinds:
        source = _source(run, kind)
        records = _records(x, fmt, kind)
        assert sorted(r["id"] for r in records) == sorted(source)  # none lost, none twice
        assert summary["kinds"][kind]["rows"] == len(source)
        for record in records:
            paths = _paths(fmt, record)
            assert [(x / p).read_bytes() for p in paths] == source[record["id"]]["_pngs"]
            with Image.open(x / paths[0]) as im:
                im.verify()
            if fmt != "jsonl":
                turns = record["conversations" if fmt == "llava" else "messages"]
                text = "".join(t["value" if fmt == "llava" else "content"] for t in turns)
                assert text.count("<image>") == len(paths)


def test_webdataset_library_reads_every_sample(run, tmp_path):
    x = tmp_path / "wds"
    summary = export(run, "webdataset", x, shard_size=20, progress=False)
    for kind in KINDS:
        source = _source(run, kind)
        samples = _records(x, "webdataset", kind)
        assert sorted(s["json"]["id"] for s in samples) == sorted(source)
        assert len(summary["kinds"][kind]["files"]) == math.ceil(len(source) / 20)
        for s in samples:
            row = source[s["json"]["id"]]
            assert id_of(s["__key__"]) == row["id"]
            assert isinstance(s["png"], Image.Image) and s["png"].size[0] > 0
            kept = {k: v for k, v in row.items() if k not in ("image", "images", "_pngs")}
            assert s["json"] == json.loads(json.dumps(formats.plain(kept)))
        urls = str(x / summary["kinds"][kind]["urls"])
        raw = {s["__key__"]: s["png"] for s in wds.WebDataset(urls, shardshuffle=False)}
        assert raw == {safe_name(i): row["_pngs"][0] for i, row in source.items()}


def test_webdataset_starts_a_shard_before_one_would_pass_its_byte_limit(run, tmp_path):
    summary = export(run, "webdataset", tmp_path / "x", kinds=["caption"], shard_bytes=1)
    assert len(summary["kinds"]["caption"]["files"]) == 12  # one sample each


def test_llava_layout(run, tmp_path):
    x = tmp_path / "llava"
    summary = export(run, "llava", x, progress=False)
    assert summary["skipped"] == ["preference"]
    captions = _source(run, "caption")
    for record in _records(x, "llava", "caption"):
        human, gpt = record["conversations"]
        assert human == {"from": "human", "value": "<image>\n" + formats.CAPTION_PROMPT}
        assert gpt == {"from": "gpt", "value": captions[record["id"]]["caption"]}
    problems = _source(run, "instruct")
    for record in _records(x, "llava", "instruct"):
        messages = problems[record["id"]]["messages"]
        assert [t["from"] for t in record["conversations"]] == ["human", "gpt"]
        assert record["conversations"][0]["value"] == "<image>\n" + messages[0]["content"]
        assert record["conversations"][1]["value"] == messages[1]["content"]
    with pytest.raises(UsageError, match="no layout for preference"):
        export(run, "llava", tmp_path / "other", kinds=["preference"], progress=False)


def test_sharegpt_layout_and_dataset_info(run, tmp_path):
    x = tmp_path / "sharegpt"
    export(run, "sharegpt", x, progress=False)
    info = json.loads((x / "dataset_info.json").read_text())
    assert sorted(info) == ["mavis_caption", "mavis_instruct", "mavis_preference"]
    for kind in KINDS:
        entry = info[f"mavis_{kind}"]
        assert entry["formatting"] == "sharegpt" and (x / entry["file_name"]).is_file()
        assert entry.get("ranking", False) == (kind == "preference")
        assert entry["tags"]["role_tag"] == "role" and entry["tags"]["user_tag"] == "user"
        record = _records(x, "sharegpt", kind)[0]
        assert set(entry["columns"].values()) <= set(record)
    pairs = _source(run, "preference")
    for record in _records(x, "sharegpt", "preference"):
        row = pairs[record["id"]]
        assert record["messages"] == [
            {"role": "user", "content": "<image>" + row["prompt"][0]["content"]}
        ]
        assert record["chosen"] == row["chosen"][0] and record["rejected"] == row["rejected"][0]
        assert record["chosen"]["role"] == "assistant"


def test_jsonl_has_every_column_and_strict_json(run, tmp_path):
    x = tmp_path / "jsonl"
    export(run, "jsonl", x, kinds=["instruct"], progress=False)
    source = _source(run, "instruct")
    lines = (x / "instruct.jsonl").read_text().splitlines()
    assert len(lines) == len(source)

    def no_nan(name):
        raise AssertionError(f"{name} is not JSON")

    for line in lines:
        record = json.loads(line, parse_constant=no_nan)
        row = source[record["id"]]
        assert set(record) == set(row) - {"_pngs"}
        assert record["question"] == row["question"] and record["messages"] == row["messages"]
        value = row["answer_value"]
        assert record["answer_value"] == (None if math.isnan(value) else value)


def test_a_row_with_several_images(run, tmp_path):
    """No engine row has two images yet; the contract allows it, so a made-up one."""
    row = next(iter(_source(run, "instruct").values()))
    two = {k: v for k, v in row.items() if k != "_pngs"}
    two["id"] = "toy/0/0@zh.v1"  # characters a file name must not take as they are
    two["images"] = two["images"] * 2
    src = tmp_path / "src"
    (src / "instruct").mkdir(parents=True)
    write_shard(src / "instruct" / "toy.parquet", "instruct", [two])
    export(src, "webdataset", tmp_path / "wds", progress=False)
    (sample,) = list(
        wds.WebDataset(str(tmp_path / "wds" / "instruct-000000.tar"), shardshuffle=False)
    )
    assert sorted(k for k in sample if not k.startswith("__")) == ["0.png", "1.png", "json"]
    export(src, "llava", tmp_path / "llava", progress=False)
    (record,) = _records(tmp_path / "llava", "llava", "instruct")
    assert record["image"] == [f"images/instruct/{safe_name(two['id'])}.{i}.png" for i in (0, 1)]
    assert record["conversations"][0]["value"].startswith("<image>\n<image>\n")


def test_safe_names_are_reversible_and_distinct():
    ids = ["plane-geometry/0/7", "a/b@zh", "a.b", "a%2Eb", "a b", "a_b", "ä/../x", "A/1"]
    names = [safe_name(i) for i in ids]
    assert [id_of(n) for n in names] == ids
    assert len(set(names)) == len(ids)
    assert all("." not in n and "/" not in n and " " not in n for n in names)


def test_refuses_a_non_empty_out_unless_overwrite(run, tmp_path, capsys):
    x = tmp_path / "x"
    x.mkdir()
    (x / "old.txt").write_text("keep")
    argv = ["export", str(run), "--format", "jsonl", "--out", str(x), "--quiet"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not empty" in err and "--overwrite" in err
    assert (x / "old.txt").read_text() == "keep"
    assert main([*argv, "--overwrite", "--kind", "caption"]) == 0
    assert sorted(p.name for p in x.iterdir()) == ["caption.jsonl", "export.json", "images"]
    assert main(["export", str(run), "--format", "jsonl", "--out", str(run), "--overwrite"]) == 2
    assert "would replace the run" in capsys.readouterr().err
    assert (run / "manifest.json").is_file()
    assert main([*argv, "--overwrite", "--kind", "nonsense"]) == 2


def test_an_error_mid_export_leaves_nothing(run, tmp_path, monkeypatch):
    real, calls = formats.sharegpt, []

    def fails_at_the_tenth_row(kind, row, paths):
        calls.append(row["id"])
        if len(calls) == 10:
            raise ValueError("boom")
        return real(kind, row, paths)

    monkeypatch.setattr(formats, "sharegpt", fails_at_the_tenth_row)
    with pytest.raises(ValueError, match="boom"):
        export(run, "sharegpt", tmp_path / "new", progress=False)
    assert list(tmp_path.iterdir()) == []  # no target, no staging folder
    old = tmp_path / "old"
    old.mkdir()
    (old / "keep.txt").write_text("keep")
    calls.clear()
    assert main(["export", str(run), "--format", "sharegpt", "--out", str(old), "--overwrite"]) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["old"]
    assert [p.name for p in old.iterdir()] == ["keep.txt"]
