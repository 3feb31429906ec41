"""Runs a user can trust: verify catches altered and damaged shards by name, resume keeps
only shards that match the manifest, an interrupted pool records what landed."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import sympy as sp

from mavis_engine import pipeline
from mavis_engine.cli import main
from mavis_engine.exact import display
from mavis_engine.pipeline import generate


def _first(out: Path, kind: str) -> Path:
    return sorted((out / kind).glob("*.parquet"))[0]


def _rewrite(path: Path, change: Callable[[list[dict]], list[dict]]) -> None:
    table = pq.read_table(path)
    pq.write_table(pa.Table.from_pylist(change(table.to_pylist()), schema=table.schema), path)


def _duplicate_row(out: Path) -> str:
    _rewrite(_first(out, "caption"), lambda rows: [*rows, rows[0]])
    return "duplicate id"


def _drop_row(out: Path) -> str:
    _rewrite(_first(out, "preference"), lambda rows: rows[1:])
    return "rows, the manifest recorded"


def _truncate_shard(out: Path) -> str:
    path = _first(out, "instruct")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return f"{path.relative_to(out)}: unreadable"


def _delete_shard(out: Path) -> str:
    _first(out, "caption").unlink()
    return "missing"


def _stray_shard(out: Path) -> str:
    shutil.copy(_first(out, "caption"), out / "caption" / "plane-geometry-copy.parquet")
    return "not in the manifest"


def _change_caption_number(out: Path) -> str:
    def change(rows):
        rows[0]["caption"] = rows[0]["caption"].replace("1", "7", 1)
        return rows

    _rewrite(_first(out, "caption"), change)
    return "checksum differs"


def _row_level(
    change: Callable[[dict], bool], kind: str = "instruct", generator: str | None = None
) -> Callable[[Path], str]:
    """Change the first row (of ``generator``, if given) ``change`` accepts, and drop the
    manifest, so that only the rows' own checks can see it (as for rows copied out of
    their run)."""

    def alter(out: Path) -> str:
        (out / "manifest.json").unlink()
        for path in sorted((out / kind).glob("*.parquet")):
            rows = pq.read_table(path).to_pylist()
            ours = (row for row in rows if generator in (None, row["generator"]))
            changed = next((row for row in ours if change(row)), None)
            if changed is not None:
                _rewrite(path, lambda _, rows=rows: rows)
                return changed["id"]
        raise AssertionError("no row to alter")

    alter.__name__ = change.__name__ + (f"_{generator}" if generator else "")
    return alter


def _consistent_wrong_letter(row: dict) -> bool:
    """Another option keyed, and the rationale and messages agreeing with it."""
    if not row["choices"]:
        return False
    old, new = row["answer"], "B" if row["answer"] == "A" else "A"
    row["answer"] = new
    row["rationale"] = row["rationale"].replace(f"Answer: {old}", f"Answer: {new}")
    row["messages"][1]["content"] = row["rationale"]
    return True


def _keyed_option_text_changed(row: dict) -> bool:
    if not row["choices"]:
        return False
    key = ord(row["answer"]) - ord("A")
    row["choices"][key] = row["choices"][key] + "1"
    return True


def _doubled_space(row: dict) -> bool:
    row["rationale"] = row["rationale"].replace(" ", "  ", 1)
    row["messages"][1]["content"] = row["rationale"]
    return True


def _sentence_run_together(row: dict) -> bool:
    row["caption"] = row["caption"].replace(". ", ".", 1)
    return True


def _given_changed_everywhere(row: dict) -> bool:
    """A number of the question changed in the question and the user message alike."""
    found = re.search(r"\b(\d+)\b", row["question"])
    if row["version"] != "text_dominant" or not found:
        return False
    changed = str(int(found.group(1)) + 1000)
    row["question"] = row["question"][: found.start()] + changed + row["question"][found.end() :]
    row["messages"][0]["content"] = row["question"]
    return True


def _caption_number_changed(row: dict) -> bool:
    found = re.search(r"\b(\d+)\b", row["caption"])
    row["caption"] = row["caption"][: found.start()] + "1000" + row["caption"][found.end() :]
    return True


def _prompt_given_changed(row: dict) -> bool:
    prompt = row["prompt"][0]
    found = re.search(r"\b(\d+)\b", prompt["content"])
    if not found:
        return False
    prompt["content"] = (
        prompt["content"][: found.start()] + "1000" + prompt["content"][found.end() :]
    )
    return True


def _caption_decimal_nudged(row: dict) -> bool:
    """A stated value off in its last shown place (5.11 -> 5.14): a plausible slip."""
    found = re.search(r"(?<![\d.])(\d+)\.(\d\d)(?![\d.])", row["caption"])
    if not found:
        return False
    whole, places = found.groups()
    nudged = f"{whole}.{(int(places) + 3) % 100:02d}"
    row["caption"] = row["caption"][: found.start()] + nudged + row["caption"][found.end() :]
    return True


def _point_moved(row: dict) -> bool:
    """A point a question names moved one unit up, in the question and the user message."""
    found = re.search(r"\((-?\d+), (-?\d+)\)", row["question"])
    if row["version"] != "text_dominant" or not found:
        return False
    moved = f"({found.group(1)}, {int(found.group(2)) + 1})"
    row["question"] = row["question"][: found.start()] + moved + row["question"][found.end() :]
    row["messages"][0]["content"] = row["question"]
    return True


def _diagram_label_dropped(row: dict) -> bool:
    """A vision-dominant diagram that lost a given's label (the text leaves it out)."""
    figure = json.loads(row["figure"])
    drawn = [lb for lb in figure["labels"] if lb["kind"] in ("length", "angle")]
    if row["version"] != "vision_dominant" or not drawn:
        return False
    figure["labels"].remove(drawn[0])
    row["figure"] = json.dumps(figure)
    return True


def _given_said_in_vision_dominant(row: dict) -> bool:
    """A vision-dominant question that also states a given its diagram shows."""
    drawn = [
        g
        for g in json.loads(row["givens"])
        if g["kind"] in ("length", "angle") and g["value"] != 90
    ]
    if row["version"] != "vision_dominant" or not drawn:
        return False
    given, name = drawn[0], "".join(drawn[0]["of"])
    value = display(sp.sympify(given["exact"]))
    said = (
        f"the length of {name} is {value}"
        if given["kind"] == "length"
        else f"the measure of angle {name} is {value}°"
    )
    row["question"] = f"We know that {said}. " + row["question"]
    row["messages"][0]["content"] = row["question"]
    return True


def _given_not_a_fact(row: dict) -> bool:
    """A given changed in the givens column alone (the question still agrees with facts)."""
    givens = json.loads(row["givens"])
    if not givens:
        return False
    givens[0]["exact"] = f"{givens[0]['exact']} + 1"
    row["givens"] = json.dumps(givens)
    return True


def _chosen_and_rejected_swapped(row: dict) -> bool:
    row["chosen"], row["rejected"] = row["rejected"], row["chosen"]
    return True


def _wrong_free_form_answer(row: dict) -> bool:
    """A free-form answer changed everywhere it is stated."""
    if row["choices"]:
        return False
    wrong = row["answer"] + "1"
    row["rationale"] = row["rationale"].replace(f"Answer: {row['answer']}", f"Answer: {wrong}")
    row["messages"][1]["content"] = row["rationale"]
    row["answer"] = wrong
    return True


# Each alteration damages a fixture run and returns what verify must report (a message,
# or the id of the row it must name). Adding one is one line here.
ALTERATIONS = [
    _duplicate_row,
    _drop_row,
    _truncate_shard,
    _delete_shard,
    _stray_shard,
    _change_caption_number,
    _row_level(_consistent_wrong_letter),
    _row_level(_keyed_option_text_changed),
    _row_level(_doubled_space),
    _row_level(_wrong_free_form_answer),
    _row_level(_given_changed_everywhere),
    _row_level(_caption_number_changed, kind="caption"),
    _row_level(_chosen_and_rejected_swapped, kind="preference"),
    _row_level(_prompt_given_changed, kind="preference"),
    _row_level(_sentence_run_together, kind="caption"),
    # Each version states exactly the givens its rule allows.
    _row_level(_diagram_label_dropped, generator="plane-geometry"),
    _row_level(_given_said_in_vision_dominant, generator="plane-geometry"),
    _row_level(_given_not_a_fact, generator="plane-geometry"),
    # Function and analytic texts state only what their rows hold.
    _row_level(_caption_decimal_nudged, kind="caption", generator="function"),
    _row_level(_caption_number_changed, kind="caption", generator="analytic-geometry"),
    _row_level(_given_changed_everywhere, generator="function"),
    _row_level(_given_changed_everywhere, generator="analytic-geometry"),
    _row_level(_point_moved, generator="analytic-geometry"),
    _row_level(_prompt_given_changed, kind="preference", generator="function"),
    _row_level(_prompt_given_changed, kind="preference", generator="analytic-geometry"),
]


@pytest.fixture(scope="module")
def fixture_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("run")
    generate("all", 12, 0, out, kind="all", shard_size=6, progress=False)
    return out


@pytest.mark.parametrize("alter", ALTERATIONS, ids=lambda f: f.__name__.strip("_"))
def test_verify_fails_on_every_alteration_naming_it(fixture_run, tmp_path, capsys, alter):
    out = tmp_path / "run"
    shutil.copytree(fixture_run, out)
    assert main(["verify", str(out)]) == 0
    capsys.readouterr()
    expected = alter(out)
    assert main(["verify", str(out)]) == 1
    report = capsys.readouterr().out
    assert expected in report, report
    assert main(["verify", "--json", str(out)]) == 1
    assert json.loads(capsys.readouterr().out)["ok"] is False


def test_a_damaged_shard_is_named_and_the_rest_still_checked(fixture_run, tmp_path, capsys):
    out = tmp_path / "run"
    shutil.copytree(fixture_run, out)
    _truncate_shard(out)
    (out / "manifest.json").unlink()  # no manifest to compare with: the read itself fails
    assert main(["verify", str(out)]) == 1
    report = capsys.readouterr().out
    assert "unreadable" in report and "caption: 12 rows checked, 0 with problems" in report


def test_resume_regenerates_a_shard_that_no_longer_matches(fixture_run, tmp_path, capsys):
    out = tmp_path / "run"
    shutil.copytree(fixture_run, out)
    args = ["generate", "all", "--n", "12", "--kind", "all", "--shard-size", "6"]
    args += ["--out", str(out), "--quiet"]
    manifest = (out / "manifest.json").read_bytes()
    assert main(args) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert (out / "manifest.json").read_bytes() == manifest  # timings not rewritten

    damaged = _first(out, "instruct")
    damaged.write_bytes(damaged.read_bytes()[:100])
    assert main(args) == 0
    captured = capsys.readouterr()
    assert f"regenerating a shard: {damaged.relative_to(out)}: unreadable" in captured.err
    for kind in ("caption", "instruct", "preference"):
        for path in sorted((fixture_run / kind).glob("*.parquet")):
            assert (out / kind / path.name).read_bytes() == path.read_bytes()
    assert main(["verify", str(out)]) == 0


def test_plan_is_lazy():
    tasks = pipeline.plan("plane-geometry", {}, 10**12, 0, "caption", 1000, Path("x"))
    first, second = next(tasks), next(tasks)
    assert (first.start, second.start, second.stop) == (0, 1000, 2000)


def test_an_interrupted_pool_starts_nothing_new_and_records_what_landed(tmp_path):
    """Ctrl-C while the pool runs: no shard is submitted after it, and every shard file
    on disk is in the manifest (a resume keeps it)."""
    out = tmp_path / "run"
    real_plan = pipeline.plan

    def interrupted(*args):
        for i, task in enumerate(real_plan(*args)):
            if i == 3:
                raise KeyboardInterrupt
            yield task

    pipeline.plan = interrupted
    try:
        with pytest.raises(KeyboardInterrupt):
            generate("plane-geometry", 12, 0, out, workers=2, shard_size=2, progress=False)
    finally:
        pipeline.plan = real_plan
    manifest = json.loads((out / "manifest.json").read_text())
    recorded = {p for s in manifest["shards"] for p in s["paths"].values()}
    on_disk = {str(p.relative_to(out)) for p in out.glob("caption/*.parquet")}
    assert on_disk == recorded and 1 <= len(recorded) <= 3
    assert not list(out.rglob(".*.tmp"))
    resumed = generate("plane-geometry", 12, 0, out, workers=2, shard_size=2, progress=False)
    assert resumed["rows"] == {"caption": 12}


def test_verify_in_parallel_gives_the_same_report(fixture_run, tmp_path, capsys):
    out = tmp_path / "run"
    shutil.copytree(fixture_run, out)
    _duplicate_row(out)
    _row_level(_keyed_option_text_changed)(out)
    reports = []
    for workers in ("1", "2"):
        assert main(["verify", "--json", "--workers", workers, str(out)]) == 1
        reports.append(json.loads(capsys.readouterr().out))
    assert reports[0] == reports[1]
    assert reports[0]["kinds"]["caption"]["bad_rows"] == 1
    assert {"duplicate id", "option … … is not the answer …"} <= set(reports[0]["problems"])


@pytest.mark.slow
def test_killed_runs_resume_to_the_bytes_of_an_uninterrupted_run(tmp_path):
    """kill -9 (the whole process group, workers too) at several points of a --kind all
    run, then the same command: every shard is byte-identical to an uninterrupted run's."""
    import os
    import signal
    import subprocess
    import sys
    import time

    def command(out: Path) -> list[str]:
        return [
            *(sys.executable, "-m", "mavis_engine.cli", "generate", "plane-geometry"),
            *("--n", "36", "--kind", "all", "--shard-size", "3", "--workers", "2", "--quiet"),
            *("--out", str(out)),
        ]

    def recorded(out: Path) -> tuple[str, int]:
        """The run's status and how many shards its manifest lists (none yet: 0)."""
        try:
            manifest = json.loads((out / "manifest.json").read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return "", 0
        return manifest["status"], len(manifest["shards"])

    subprocess.run(command(tmp_path / "whole"), check=True, capture_output=True)
    out = tmp_path / "killed"
    killed = 0
    # Killed when the manifest lists 1, then 4, then 8 of the 12 shards: mid-run, however
    # fast the machine (a fixed delay let a fast run finish first).
    for target in (1, 4, 8):
        run = subprocess.Popen(command(out), start_new_session=True, stderr=subprocess.DEVNULL)
        while run.poll() is None and recorded(out)[1] < target:
            time.sleep(0.02)
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            killed += recorded(out)[0] == "running"
        run.wait()
    assert killed >= 2  # the kills landed mid-run
    subprocess.run(command(out), check=True, capture_output=True)
    for kind in ("caption", "instruct", "preference"):
        whole = sorted((tmp_path / "whole" / kind).glob("*.parquet"))
        assert len(whole) == 12
        for path in whole:
            assert (out / kind / path.name).read_bytes() == path.read_bytes()
    assert not list(out.rglob(".*.tmp"))
    assert main(["verify", "--quiet", str(out)]) == 0
