"""The Ray backend: byte-identical shards to the process backend for every domain, resume
across backends, a killed worker retried without losing or duplicating rows, a failing
shard reported while the rest goes on, and one line when Ray is not installed."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mavis_engine import AnalyticGeometry, AnalyticGeometryConfig, registry
from mavis_engine.check_run import verify_run
from mavis_engine.cli import main
from mavis_engine.pipeline import generate

ROOT = Path(__file__).parent.parent
DOMAINS = ["plane-geometry", "function", "analytic-geometry"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ray_2cpus():
    """One local Ray instance with 2 CPUs for the module; runs reuse it."""
    import ray

    ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    yield ray
    ray.shutdown()


def _files(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.parquet"))}


def _shards(out: Path) -> list[dict]:
    """The manifest's record of each shard, less nothing: paths, rows, checksums, rejections."""
    return json.loads((out / "manifest.json").read_text())["shards"]


def _assert_same_run(one: Path, two: Path) -> None:
    files = _files(one)
    assert files and files == _files(two)
    assert _shards(one) == _shards(two)
    assert not list(two.rglob("*.tmp"))


@pytest.mark.parametrize("domain", DOMAINS)
def test_ray_writes_the_same_bytes_as_the_process_pool(
    ray_2cpus, tmp_path, capsys, monkeypatch, domain
):
    common = [domain, "--n", "12", "--shard-size", "6", "--kind", "all", "--quiet"]
    assert main(["generate", *common, "--workers", "2", "--out", str(tmp_path / "pool")]) == 0
    capsys.readouterr()
    # A relative --out: the workers (started elsewhere) must still write under it.
    monkeypatch.chdir(tmp_path)
    ray_out = tmp_path / "ray"
    assert main(["generate", *common, "--backend", "ray", "--out", "ray"]) == 0
    summary = capsys.readouterr().out
    assert "wrote 12 caption, " in summary and "samples/s" in summary and "rejected" in summary
    _assert_same_run(tmp_path / "pool", ray_out)
    assert len(_files(ray_out)) == 6  # caption, instruct, preference x 2 shards
    manifest = json.loads((ray_out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["rows"]["caption"] == 12


def test_a_process_run_resumed_with_a_fresh_local_ray(tmp_path):
    """Missing and damaged shards of a process-pool run are made again by Ray (the CLI
    starting and stopping its own local instance), byte for byte."""
    ref, out = tmp_path / "ref", tmp_path / "out"
    generate("analytic-geometry", 18, 5, ref, kind="all", shard_size=6, progress=False)
    shutil.copytree(ref, out)
    (out / "caption/analytic-geometry-0000000000-0000000006.parquet").unlink()
    damaged = out / "instruct/analytic-geometry-0000000012-0000000018.parquet"
    damaged.write_bytes(damaged.read_bytes()[:-100])
    kept = out / "caption/analytic-geometry-0000000006-0000000012.parquet"
    mtime = kept.stat().st_mtime_ns
    argv = ["generate", "analytic-geometry", "--n", "18", "--seed", "5", "--kind", "all"]
    argv += ["--shard-size", "6", "--out", str(out), "--backend", "ray", "--workers", "2"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "mavis_engine.cli", *argv, "--quiet"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("regenerating a shard") == 2
    _assert_same_run(ref, out)
    assert kept.stat().st_mtime_ns == mtime  # the intact shard was not made again


class FlakyConfig(AnalyticGeometryConfig):
    """Files that steer the test generators below (they never change a row)."""

    marker: str = ""
    attempts: str = ""


class KilledOnce(AnalyticGeometry):
    """Sample 5 the first time: writes its worker's pid to ``marker`` and waits to be
    killed; once ``marker`` exists it is an ordinary sample."""

    name = "test-killed-once"
    Config = FlakyConfig

    def attempt(self, seed, index, attempt, problems=False):
        marker = Path(self.config.marker)
        if index == 5 and not marker.exists():
            marker.write_text(str(os.getpid()))
            time.sleep(120)  # the test kills this process long before
        return super().attempt(seed, index, attempt, problems)


class FailsWhileMarked(AnalyticGeometry):
    """Raises on sample 7 while ``marker`` exists, noting each shard attempt."""

    name = "test-fails-while-marked"
    Config = FlakyConfig

    def attempt(self, seed, index, attempt, problems=False):
        if index == 7 and Path(self.config.marker).exists():
            with open(self.config.attempts, "a") as log:
                log.write(f"{os.getpid()}\n")
            raise RuntimeError("boom at 7")
        return super().attempt(seed, index, attempt, problems)


@pytest.fixture
def test_generators(monkeypatch):
    """The generators above, registered here. Ray workers cannot import this test module
    (tests/ is not on their path), so its classes travel by value, as a script's own
    generator would from ``__main__``."""
    from ray import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    monkeypatch.setattr(registry, "_generators", dict(registry._generators))
    registry.register(KilledOnce)
    registry.register(FailsWhileMarked)
    yield
    cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


def _kill_when_written(marker: Path, killed: list[int]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if marker.exists() and marker.read_text():
            pid = int(marker.read_text())
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
            return
        time.sleep(0.05)


def test_a_killed_worker_loses_and_duplicates_nothing(ray_2cpus, test_generators, tmp_path):
    marker = tmp_path / "marker"
    config = {"marker": str(marker)}
    marker.write_text("")  # present: the reference run is not interrupted
    ref = generate(
        "test-killed-once", 12, 0, tmp_path / "ref", config=config, shard_size=4, progress=False
    )
    marker.unlink()
    killed: list[int] = []
    watcher = threading.Thread(target=_kill_when_written, args=(marker, killed))
    watcher.start()
    out = tmp_path / "ray"
    manifest = generate(
        "test-killed-once", 12, 0, out, config=config, shard_size=4, backend="ray", progress=False
    )
    watcher.join()
    assert killed, "the worker running sample 5 was never killed"
    assert manifest["status"] == "complete" and manifest["rows"] == ref["rows"] == {"caption": 12}
    _assert_same_run(tmp_path / "ref", out)
    report = verify_run(out, 1, progress=False)
    assert report["ok"] and report["kinds"]["caption"]["rows"] == 12, report


def test_a_failing_shard_is_retried_reported_and_resumed(
    ray_2cpus, test_generators, tmp_path, capsys
):
    """The shard holding sample 7 fails on every try; the others are written and recorded,
    the exit code says so, and a rerun (with the process pool) makes only that shard."""
    marker, attempts = tmp_path / "marker", tmp_path / "attempts"
    config_file = tmp_path / "config.json"
    config_file.write_text(json.dumps({"marker": str(marker), "attempts": str(attempts)}))
    argv = ["generate", "test-fails-while-marked", "--n", "12", "--shard-size", "3"]
    argv += ["--config", str(config_file), "--quiet"]
    out = tmp_path / "out"
    marker.touch()
    code = main([*argv, "--out", str(out), "--backend", "ray", "--ray-max-retries", "1"])
    captured = capsys.readouterr()
    assert code == 1
    assert "wrote 9 caption rows in 3 shards" in captured.out
    shard = "caption/test-fails-while-marked-0000000006-0000000009.parquet"
    assert f"shard 6..8 failed ({shard}): RuntimeError: boom at 7" in captured.err
    assert len(attempts.read_text().splitlines()) == 2  # the first try and one retry
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "failed"
    assert [(f["start"], f["stop"]) for f in manifest["failed_shards"]] == [(6, 9)]
    assert [s["start"] for s in manifest["shards"]] == [0, 3, 9]
    assert not (out / shard).exists() and not list(out.rglob("*.tmp"))

    marker.unlink()
    assert main([*argv, "--out", str(out)]) == 0
    assert main([*argv, "--out", str(tmp_path / "ref")]) == 0
    _assert_same_run(tmp_path / "ref", out)
    assert "failed_shards" not in json.loads((out / "manifest.json").read_text())


def test_the_ray_data_recipe_writes_the_engines_rows(ray_2cpus, tmp_path):
    """examples/ray_data.py (shown in docs/scale.md): the rows a run would write, in files
    `datasets` decodes."""
    import datasets
    import pyarrow.parquet as pq
    from PIL import Image
    from ray import cloudpickle

    spec = importlib.util.spec_from_file_location("ray_data_recipe", ROOT / "examples/ray_data.py")
    recipe = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = recipe  # so its function can travel to the workers by value
    spec.loader.exec_module(recipe)
    cloudpickle.register_pickle_by_value(recipe)
    try:
        recipe.build(8, "analytic-geometry", 3, "instruct").write_parquet(str(tmp_path / "rd"))
    finally:
        cloudpickle.unregister_pickle_by_value(recipe)
        del sys.modules[spec.name]
    generate("analytic-geometry", 8, 3, tmp_path / "run", kind="instruct", progress=False)
    (shard,) = (tmp_path / "run/instruct").glob("*.parquet")
    expected = sorted(repr(r) for r in pq.read_table(shard).to_pylist())  # repr: NaN == NaN
    files = sorted((tmp_path / "rd").glob("*.parquet"))
    got = sorted(repr(r) for f in files for r in pq.read_table(f).to_pylist())
    assert got == expected and len(got) == 40
    loaded = datasets.load_dataset("parquet", data_dir=str(tmp_path / "rd"), split="train")
    assert loaded.num_rows == 40 and isinstance(loaded[0]["images"][0], Image.Image)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--backend", "ray"], 'pip install "mavis-engine[ray]"'),
        (["--address", "auto"], "need --backend ray"),
        (["--backend", "dask"], "unknown --backend 'dask'"),
        (["--backend", "ray", "--ray-cpus-per-task", "0"], "must be positive"),
    ],
)
def test_without_ray_or_with_bad_options_one_line_and_nothing_written(
    tmp_path, capsys, monkeypatch, argv, message
):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` fails as if not installed
    out = tmp_path / "out"
    assert main(["generate", "function", "--n", "4", "--out", str(out), *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not out.exists()


def test_a_worker_with_another_engine_version_refuses_the_shard(tmp_path):
    """Its rows would carry another engine_version: the shard fails rather than mix."""
    from mavis_engine.pipeline import _run_remote, plan

    (task,) = plan("function", {}, 2, 0, "caption", 2, tmp_path)
    with pytest.raises(RuntimeError, match=r"the run needs 0\.0\.0-other"):
        _run_remote(task, lambda n: None, registry.get("function"), "0.0.0-other")
    assert not list(tmp_path.rglob("*.parquet"))
