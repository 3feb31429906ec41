"""Runs end to end: shards, manifest, determinism across workers, resume, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from mavis_engine import PlaneGeometry, registry
from mavis_engine.cli import main
from mavis_engine.errors import ShardsFailed, UsageError
from mavis_engine.export.schema import KINDS, arrow_schema
from mavis_engine.pipeline import default_shard_size, generate


def _rows(out):
    tables = [pq.read_table(p) for p in sorted((out / "caption").glob("*.parquet"))]
    return [r for t in tables for r in t.to_pylist()]


def test_rows_are_identical_whatever_the_worker_count(tmp_path):
    one = generate("plane-geometry", 40, 3, tmp_path / "one", shard_size=7, progress=False)
    two = generate(
        "plane-geometry", 40, 3, tmp_path / "two", workers=2, shard_size=7, progress=False
    )
    assert one["rows"] == two["rows"] == {"caption": 40}
    assert _rows(tmp_path / "one") == _rows(tmp_path / "two")
    assert [r["index"] for r in _rows(tmp_path / "one")] == list(range(40))
    assert len({r["id"] for r in _rows(tmp_path / "one")}) == 40


def test_manifest_and_schema_metadata(tmp_path):
    m = generate("plane-geometry", 12, 0, tmp_path, shard_size=5, progress=False)
    on_disk = json.loads((tmp_path / "manifest.json").read_text())
    assert on_disk == m and m["status"] == "complete"
    assert [s["rows"] for s in m["shards"]] == [{"caption": n} for n in (5, 5, 2)]
    assert m["index_range"] == [0, 12] and m["seed"] == 0
    assert sum(m["rejections"].values()) >= 0 and m["failed_samples"] == 0
    schema = pq.read_schema(tmp_path / m["shards"][0]["paths"]["caption"])
    features = json.loads(schema.metadata[b"huggingface"])["info"]["features"]
    assert set(features) == set(schema.names) == {c.name for c in KINDS["caption"]}
    assert features["image"] == {"_type": "Image"}
    assert schema.equals(arrow_schema("caption"), check_metadata=True)
    assert not list(tmp_path.rglob(".*.tmp"))


def test_default_shard_size_gives_every_worker_a_shard():
    assert default_shard_size(1000, 2) == 500 and default_shard_size(2000, 2) == 1000
    assert default_shard_size(5000, 1) == 1000 and default_shard_size(3, 8) == 1
    assert default_shard_size(1001, 2) == 501  # two shards, not three


def test_an_adapted_shard_size_is_recorded_and_kept_on_resume(tmp_path):
    two = generate("plane-geometry", 6, 0, tmp_path / "two", workers=2, progress=False)
    assert two["run"]["shard_size"] == 3 and len(two["shards"]) == 2
    # Resumed with another worker count: the recorded size, so nothing is redone.
    again = generate("plane-geometry", 6, 0, tmp_path / "two", progress=False)
    assert again.get("nothing_to_do") and again["run"]["shard_size"] == 3
    # A run written with an explicit (or the old fixed) size resumes the same way.
    generate("plane-geometry", 6, 0, tmp_path / "old", shard_size=1000, progress=False)
    old = generate("plane-geometry", 6, 0, tmp_path / "old", workers=2, progress=False)
    assert old.get("nothing_to_do") and old["run"]["shard_size"] == 1000
    one = generate("plane-geometry", 6, 0, tmp_path / "one", progress=False)
    assert one["run"]["shard_size"] == 6 and len(one["shards"]) == 1
    assert _rows(tmp_path / "one") == _rows(tmp_path / "two") == _rows(tmp_path / "old")


def test_resume_skips_finished_shards_and_other_runs_are_refused(tmp_path):
    generate("plane-geometry", 10, 0, tmp_path, shard_size=5, progress=False)
    first = sorted(tmp_path.glob("caption/*.parquet"))
    mtimes = [p.stat().st_mtime_ns for p in first]
    m = generate("plane-geometry", 10, 0, tmp_path, shard_size=5, progress=False)
    assert [p.stat().st_mtime_ns for p in first] == mtimes and m["rows"] == {"caption": 10}
    with pytest.raises(UsageError, match="different run"):
        generate("plane-geometry", 10, 1, tmp_path, shard_size=5, progress=False)


def test_datasets_loads_pil_images_with_no_project_code(tmp_path):
    import datasets
    from PIL import Image

    assert (
        main(
            [
                "generate",
                "plane-geometry",
                "--n",
                "24",
                "--seed",
                "0",
                "--out",
                str(tmp_path),
                "--workers",
                "2",
                "--shard-size",
                "10",
                "--quiet",
            ]
        )
        == 0
    )
    ds = datasets.load_dataset("parquet", data_dir=str(tmp_path / "caption"), split="train")
    assert len(ds) == 24
    row = ds[0]
    assert isinstance(row["image"], Image.Image) and max(row["image"].size) == 512
    assert row["caption"] and json.loads(row["figure"])["width"] == row["image"].size[0]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--n", "-5"], "--n must be a positive"),
        (["--n", "5", "--depth", "0", "2"], "invalid depth"),
        (["--n", "5", "--kind", "nonsense"], "unknown --kind"),
        (["--n", "5", "--workers", "0"], "--workers must be"),
        (["--n", "5", "--seed", str(2**63)], "--seed must be between 0 and 2**63 - 1"),
        (["--n", str(2**63 + 1)], "--n must be at most 2**63"),
        (["--n", "5", "--image-size", "0"], "invalid image_size"),
        (["--n", "5", "--config", "LIST"], "must hold a JSON object of settings, not a list"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, capsys, argv, message):
    (tmp_path / "list.json").write_text("[1, 2]")
    argv = [str(tmp_path / "list.json") if a == "LIST" else a for a in argv]
    out = tmp_path / "out"
    code = main(["generate", "plane-geometry", "--out", str(out), *argv])
    err = capsys.readouterr().err.strip()
    assert code == 2 and message in err and len(err.splitlines()) == 1
    assert not out.exists()


@pytest.mark.parametrize(
    ("domain", "message"),
    [("circles", "unknown domain"), ("plane", "unknown domain")],
)
def test_unknown_or_planned_domains(tmp_path, capsys, domain, message):
    assert main(["generate", domain, "--n", "3", "--out", str(tmp_path / "o")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_refuses_a_foreign_or_unwritable_directory(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["generate", "plane-geometry", "--n", "3", "--out", str(tmp_path)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    # A path under a regular file can never be created (this holds for root too).
    assert (
        main(["generate", "plane-geometry", "--n", "3", "--out", str(tmp_path / "notes.txt" / "x")])
        == 2
    )
    assert "not writable" in capsys.readouterr().err
    if os.geteuid() != 0:  # root can write anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        assert main(["generate", "plane-geometry", "--n", "3", "--out", str(locked / "x")]) == 2
        assert "not writable" in capsys.readouterr().err


def test_preview_reproduces_the_row(tmp_path, capsys):
    generate("plane-geometry", 20, 4, tmp_path / "d", shard_size=20, progress=False)
    row = _rows(tmp_path / "d")[17]
    png = tmp_path / "p.png"
    assert (
        main(["preview", "plane-geometry", "--seed", "4", "--index", "17", "--out", str(png)]) == 0
    )
    printed = capsys.readouterr().out
    assert png.read_bytes() == row["image"]["bytes"]
    assert row["caption"] in printed and "facts:" in printed


def test_console_script_list_and_version():
    exe = [sys.executable, "-m", "mavis_engine.cli"]
    listed = subprocess.run([*exe, "list"], capture_output=True, text=True, check=True).stdout
    assert "plane-geometry" in listed
    assert (
        "mavis-engine"
        in subprocess.run([*exe, "--version"], capture_output=True, text=True, check=True).stdout
    )


class _Crashes(PlaneGeometry):
    """Fails hard (a bug, not a rejection) on one sample."""

    name = "crashes-at-7"

    def attempt(self, seed, index, attempt, problems=False):
        if index == 7:
            raise RuntimeError("boom")
        return super().attempt(seed, index, attempt, problems)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_crash_fails_its_shard_only_and_leaves_no_partial_one(
    tmp_path, monkeypatch, capsys, workers
):
    monkeypatch.setattr(registry, "_generators", dict(registry._generators))
    registry.register(_Crashes)
    with pytest.raises(ShardsFailed) as failure:
        generate("crashes-at-7", 12, 0, tmp_path, workers=workers, shard_size=3, progress=False)
    assert "RuntimeError: boom" in capsys.readouterr().err  # the traceback, for the bug
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest == failure.value.manifest
    assert manifest["status"] == "failed"
    assert [(f["start"], f["stop"], f["error"]) for f in manifest["failed_shards"]] == [
        (6, 9, "RuntimeError: boom")
    ]
    assert not list(tmp_path.rglob(".*.tmp"))
    written = sorted(p.name for p in (tmp_path / "caption").glob("*.parquet"))
    assert written == [
        f"crashes-at-7-{a:010d}-{a + 3:010d}.parquet" for a in (0, 3, 9)
    ]  # the other shards went on
    for shard in manifest["shards"]:  # whatever the manifest lists is complete on disk
        for kind, path in shard["paths"].items():
            assert pq.read_metadata(tmp_path / path).num_rows == shard["rows"][kind]


def test_instruct_and_all_kinds_write_loadable_shards_that_verify(tmp_path, capsys):
    import datasets
    from PIL import Image

    out = tmp_path / "all"
    assert (
        main(
            [
                "generate",
                "plane-geometry",
                "--n",
                "6",
                "--seed",
                "2",
                "--out",
                str(out),
                "--kind",
                "all",
                "--workers",
                "2",
                "--shard-size",
                "3",
                "--quiet",
            ]
        )
        == 0
    )
    assert "6 caption, 30 instruct, 6 preference rows" in capsys.readouterr().out
    ds = datasets.load_dataset("parquet", data_dir=str(out / "instruct"), split="train")
    assert len(ds) == 30 and isinstance(ds[0]["images"][0], Image.Image)
    assert [m["role"] for m in ds[0]["messages"]] == ["user", "assistant"]
    pref = datasets.load_dataset("parquet", data_dir=str(out / "preference"), split="train")
    assert len(pref) == 6 and pref[0]["chosen"] != pref[0]["rejected"]
    assert main(["verify", str(out)]) == 0
    report = capsys.readouterr().out
    assert "instruct: 30 rows checked, 0 with problems" in report

    # Corrupt one answer: verify must notice and fail.
    shard = sorted((out / "instruct").glob("*.parquet"))[0]
    table = pq.read_table(shard)
    rows = table.to_pylist()
    rows[0]["answer_value"] += 1.0
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), shard)
    assert main(["verify", str(out)]) == 1
    assert "1 with problems" in capsys.readouterr().out


def test_instruct_only_run_matches_the_all_run(tmp_path):
    generate("plane-geometry", 4, 2, tmp_path / "a", kind="all", progress=False)
    generate("plane-geometry", 4, 2, tmp_path / "i", kind="instruct", progress=False)
    for kind in ("instruct", "preference"):
        a = [pq.read_table(p) for p in sorted((tmp_path / "a" / kind).glob("*.parquet"))]
        i = [pq.read_table(p) for p in sorted((tmp_path / "i" / kind).glob("*.parquet"))]
        assert [t.to_pylist() for t in a] == [t.to_pylist() for t in i]


def test_preview_instruct_writes_each_version(tmp_path, capsys):
    assert (
        main(
            [
                "preview",
                "plane-geometry",
                "--seed",
                "0",
                "--index",
                "3",
                "--kind",
                "instruct",
                "--out",
                str(tmp_path / "p"),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == sorted(
        f"{v}.png"
        for v in (
            "text_dominant",
            "text_lite",
            "vision_intensive",
            "vision_dominant",
            "vision_only",
        )
    )
    assert "Answer:" in printed and "rejected" in printed
