"""MathVerse testmini evaluation (``mavis-train eval --benchmark mathverse``).

Reads MathVerse's released testmini layout: a JSON list (``testmini.json``) whose items
carry ``sample_index``, ``problem_index``, ``problem_version`` (Text Dominant, Text Lite,
Vision Intensive, Vision Dominant, Vision Only), ``question``, ``image`` (a path relative
to the JSON's folder), ``answer``, ``question_type`` (multi-choice / free-form),
``query_wo``, ``query_cot``, ``question_for_eval`` and ``metadata`` (``subject``,
``subfield``, ``source``). The model answers ``query_wo`` (or ``query_cot``); its answer is
extracted and compared as ``mavis_train.scoring`` does (options read from the question).
Accuracy overall, by problem version and by subject is MAVIS's "w/o" column; the
GPT-based CoT-E scoring of the leaderboard is not reproduced.

No benchmark data is shipped: ``write_fixture`` lays engine rows out in the same format,
for tests and for trying the harness.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from mavis_train import scoring
from mavis_train.evaluate import generate, spread

VERSIONS = {
    "text_dominant": "Text Dominant",
    "text_lite": "Text Lite",
    "vision_intensive": "Vision Intensive",
    "vision_dominant": "Vision Dominant",
    "vision_only": "Vision Only",
}
SUBJECTS = {
    "plane_geometry": "Plane Geometry",
    "analytic_geometry": "Analytic Geometry",
    "function": "Functions",
    "solid_geometry": "Solid Geometry",
}
_OPTION = re.compile(r"^\s*\(?([A-H])[:.)]\s*(.+?)\s*$")


def load_items(folder: str | Path) -> tuple[list[dict[str, Any]], Path]:
    """The testmini items and the folder their image paths are relative to."""
    folder = Path(folder)
    path = folder if folder.is_file() else folder / "testmini.json"
    if not path.is_file():
        raise FileNotFoundError(f"no MathVerse testmini.json in {folder}")
    items = json.loads(path.read_text())
    if not isinstance(items, list) or not all("problem_version" in i for i in items):
        raise ValueError(f"{path} is not MathVerse's testmini layout (a list of problems)")
    return items, path.parent


def options(question: str) -> list[str]:
    """The option texts listed after "Choices:" (A, B, ... in order), or []."""
    _, found, tail = question.partition("Choices:")
    if not found:
        return []
    out = []
    for line in tail.splitlines():
        m = _OPTION.match(line)
        if m and ord(m.group(1)) - ord("A") == len(out):
            out.append(m.group(2))
    return out


def is_right(item: dict[str, Any], predicted: str | None) -> bool:
    choices = options(item["question"]) if item["question_type"] == "multi-choice" else None
    return scoring.same_answer(predicted, str(item["answer"]).strip(), choices)


def _table(items: list[dict], right: list[bool], key) -> dict[str, dict[str, float]]:
    by: dict[str, list[int]] = defaultdict(list)
    for i, item in enumerate(items):
        by[key(item)].append(i)
    return {
        k: {"items": len(v), "accuracy": sum(right[i] for i in v) / len(v)} for k, v in by.items()
    }


def run(
    model,
    processor,
    folder: str | Path,
    query: str = "query_wo",
    max_new_tokens: int = 512,
    batch_size: int = 8,
    limit: int | None = None,
) -> dict[str, Any]:
    """Answer every item (or the first ``limit``; split over the processes when launched
    on several); accuracy overall, by version and by subject, beside the majority
    baseline, with every prediction."""
    items, root = load_items(folder)
    items = items[:limit] if limit else items
    rows = [
        {"question": it[query], "images": [{"bytes": (root / it["image"]).read_bytes()}]}
        for it in items
    ]
    texts = spread(lambda part: generate(model, processor, part, max_new_tokens, batch_size), rows)
    predicted = [scoring.extract_answer(t) for t in texts]
    right = [is_right(it, p) for it, p in zip(items, predicted, strict=True)]
    guess = Counter(scoring.normalise_text(str(it["answer"])) for it in items).most_common(1)[0][0]
    majority = [scoring.normalise_text(str(it["answer"])) == guess for it in items]
    return {
        "query": query,
        "items": len(items),
        "accuracy": sum(right) / len(items),
        "majority_baseline": sum(majority) / len(items),
        "by_version": _table(items, right, lambda it: it["problem_version"]),
        "by_subject": _table(items, right, lambda it: it["metadata"]["subject"]),
        "predictions": [
            {
                "sample_index": it["sample_index"],
                "answer": it["answer"],
                "extracted": p,
                "right": ok,
                "response": t,
            }
            for it, p, ok, t in zip(items, predicted, right, texts, strict=True)
        ],
    }


SUBJECTS = {
    "plane_geometry": "Plane Geometry",
    "analytic_geometry": "Analytic Geometry",
    "function": "Functions",
    "solid_geometry": "Solid Geometry",
}


def write_fixture(instruct_rows: list[dict[str, Any]], folder: str | Path) -> Path:
    """Engine instruct rows laid out as MathVerse's testmini (images as files)."""
    folder = Path(folder)
    (folder / "images").mkdir(parents=True, exist_ok=True)
    problems: dict[str, int] = {}
    items = []
    for n, row in enumerate(instruct_rows, start=1):
        image = f"images/{n}.png"
        (folder / image).write_bytes(row["images"][0]["bytes"])
        question = row["question"]
        if row["choices"]:
            head = question.split(" Options:")[0]
            listed = "\n".join(f"{chr(65 + i)}:{c}" for i, c in enumerate(row["choices"]))
            question = f"{head}\nChoices:\n{listed}"
        items.append(
            {
                "sample_index": str(n),
                "problem_index": str(problems.setdefault(row["problem_id"], len(problems) + 1)),
                "problem_version": VERSIONS[row["version"]],
                "question": question,
                "image": image,
                "answer": row["answer"],
                "question_type": "multi-choice" if row["choices"] else "free-form",
                "query_wo": question,
                "query_cot": question + "\nLet's think step by step.",
                "question_for_eval": question,
                "metadata": {
                    "split": "testmini",
                    "source": "mavis-engine",
                    "subject": SUBJECTS.get(row["domain"], row["domain"]),
                    "subfield": row["domain"],
                },
            }
        )
    path = folder / "testmini.json"
    path.write_text(json.dumps(items, ensure_ascii=False, indent=1))
    return path


def print_report(report: dict[str, Any]) -> None:
    """Accuracy overall, by version and by subject, beside the majority baseline."""
    print(
        f"MathVerse ({report['query']}): {report['items']} items, accuracy "
        f"{report['accuracy']:.3f} (majority baseline {report['majority_baseline']:.3f})"
    )
    for title in ("by_version", "by_subject"):
        for name, r in sorted(report[title].items()):
            print(f"  {name:<24} {r['items']:>5} {r['accuracy']:>6.3f}")
