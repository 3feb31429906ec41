"""Checking a run's directory: every row (the checks of ``verify``), in parallel, its
files against the manifest, ids unique, versions complete, preference pairs against
their problems; a summary by problem type."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from tqdm import tqdm

from mavis_engine import manifest as manifest_file
from mavis_engine.answers import VERSIONS
from mavis_engine.reading import final_answer
from mavis_engine.rowcheck import shows_answer, stated_numbers, text_problems
from mavis_engine.verify import CHECKS, check_row

EXAMPLES = 3  # row ids shown per problem type


def _problem_answers(path: Path) -> dict[str, dict]:
    """Each problem's answer, from the instruct shard beside a preference shard (the
    same samples: the same file name), to check the pairs against; {} without one."""
    instruct = path.parent.parent / "instruct" / path.name
    if not instruct.is_file():
        return {}
    columns = ["problem_id", "answer_value", "answer_exact", "version", "question"]
    try:
        rows = pq.read_table(instruct, columns=columns).to_pylist()
    except Exception:  # a damaged instruct shard is reported when it is checked
        return {}
    return {r["problem_id"]: r for r in rows if r["version"] == "text_dominant"}


def _pair_problems(row: dict, answers: dict[str, dict]) -> list[str]:
    """A preference pair against its problem: chosen states the answer, rejected not."""
    answer = answers.get(row["problem_id"])
    if answer is None:
        return ["no instruct rows of this problem beside it"]
    out = []
    if not shows_answer(final_answer(row["chosen"][-1]["content"]), answer):
        out.append(f"chosen does not reach the answer {answer['answer_exact']!r}")
    if shows_answer(final_answer(row["rejected"][-1]["content"]), answer):
        out.append("rejected reaches the answer")
    # The prompt is its problem's text-dominant question, free form: the same numbers.
    prompt = sorted(stated_numbers(row["prompt"][0]["content"]))
    if prompt != sorted(stated_numbers(answer["question"])):
        out.append("prompt states other numbers than its problem's question")
    return out


@dataclass
class FileReport:
    """What checking one shard file found."""

    kind: str
    rel: str
    rows: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)  # (row id, problem)
    unreadable: str | None = None
    ids: list[str] = field(default_factory=list)
    versions: dict[str, list[str]] = field(default_factory=dict)  # instruct rows only


def check_file(out: str, kind: str, rel: str) -> FileReport:
    """Check every row of one shard file on its own (and preference pairs against the
    instruct shard beside them)."""
    path = Path(out) / rel
    report = FileReport(kind, rel)
    try:
        rows = pq.read_table(path).to_pylist()
    except Exception as exc:  # pyarrow raises several types for damaged files
        report.unreadable = f"unreadable ({type(exc).__name__}: {exc})"
        return report
    answers = _problem_answers(path) if kind == "preference" else {}
    versions: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        problems = check_row(kind, row) + text_problems(row)
        if kind == "preference" and answers:
            problems += _pair_problems(row, answers)
        report.problems += [(row["id"], p) for p in problems]
        report.ids.append(row["id"])
        if kind == "instruct":
            versions[row["problem_id"]].append(row["version"])
    report.rows, report.versions = len(rows), dict(versions)
    return report


def _file_problems(out: Path, manifest: dict | None) -> dict[str, str]:
    """Shard files that are not what the run's manifest recorded, by path: another row
    count or checksum, missing, or not listed at all."""
    if manifest is None:
        return {}
    problems: dict[str, str] = {}
    listed = set()
    for shard in manifest.get("shards", []):
        listed.update(shard["paths"].values())
        why = manifest_file.shard_mismatch(out, shard)
        if why is not None:
            rel, _, reason = why.partition(": ")
            problems[rel] = reason
    for kind in CHECKS:
        for path in sorted((out / kind).glob("*.parquet")):
            rel = str(path.relative_to(out))
            if rel not in listed and manifest.get("status") == "complete":
                problems[rel] = "not in the manifest"
    return problems


def problem_type(problem: str) -> str:
    """A problem without its particulars (values, letters), to group like with like."""
    return re.sub(r"'[^']*'|\([^)]*\)|-?\d+(?:\.\d+)?|\b[A-E]\b", "…", problem)


def verify_run(out: Path, workers: int = 1, progress: bool = False) -> dict[str, Any]:
    """Check a run's directory: rows checked and with problems per kind, problems by
    type (with a few row ids each), and files that are damaged or not as recorded. A
    damaged file is named and the others are still checked."""
    files_problems: dict[str, str] = {}
    try:
        manifest = manifest_file.read(out)
    except ValueError as exc:
        manifest, files_problems["manifest.json"] = None, str(exc)
    files_problems.update(_file_problems(out, manifest))
    jobs = [
        (kind, str(p.relative_to(out)))
        for kind in CHECKS
        for p in sorted((out / kind).glob("*.parquet"))
    ]
    kinds: dict[str, Counter] = {kind: Counter() for kind, _ in jobs}
    by_type: dict[str, dict[str, Any]] = {}
    ids: dict[str, set] = defaultdict(set)
    versions: dict[str, set] = defaultdict(set)

    def note(row_id: str, problem: str) -> None:
        entry = by_type.setdefault(problem_type(problem), {"count": 0, "examples": []})
        entry["count"] += 1
        if len(entry["examples"]) < EXAMPLES:
            entry["examples"].append(f"{row_id}: {problem}")

    with ExitStack() as stack:
        pool = stack.enter_context(ProcessPoolExecutor(workers)) if workers > 1 else None
        bar = stack.enter_context(tqdm(total=len(jobs), unit="file", disable=not progress))
        checked = (pool.map if pool else map)(
            check_file, [str(out)] * len(jobs), [k for k, _ in jobs], [r for _, r in jobs]
        )
        for report in checked:
            bar.update()
            counts = kinds[report.kind]
            if report.unreadable:
                files_problems.setdefault(report.rel, report.unreadable)
                continue
            counts["rows"] += report.rows
            bad = {row_id for row_id, _ in report.problems}
            for row_id, problem in report.problems:
                note(row_id, problem)
            for row_id in report.ids:
                if row_id in ids[report.kind]:
                    note(row_id, "duplicate id")
                    bad.add(row_id)
                ids[report.kind].add(row_id)
            counts["bad_rows"] += len(bad)
            for problem_id, seen in report.versions.items():
                versions[problem_id].update(seen)
    incomplete = sorted(pid for pid, seen in versions.items() if seen != set(VERSIONS))
    for pid in incomplete:
        note(pid, "missing versions")
    if incomplete:
        kinds["instruct"]["bad_rows"] += len(incomplete)
    for rel in files_problems:
        kind = rel.split("/", 1)[0]
        if kind in kinds:
            kinds[kind]["bad_files"] += 1
    return {
        "ok": not files_problems and not by_type,
        "kinds": {
            k: {"rows": c["rows"], "bad_rows": c["bad_rows"], "bad_files": c["bad_files"]}
            for k, c in kinds.items()
        },
        "files": files_problems,
        "problems": dict(sorted(by_type.items(), key=lambda kv: -kv[1]["count"])),
    }
