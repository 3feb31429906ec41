"""How varied the captions are, per domain and language, beside MAVIS-Caption (Table 1).

Generates ``--n`` captions of each domain in each language it writes, then prints rows,
average length (words for English, characters for Chinese, as ``mavis-engine stats``
counts them), vocabulary (point and shape names left out), and the distinct sentence
templates used: sentences with their names, numbers and exact values replaced by
placeholders, so "AB is 6 units long" and "CD is 9 units long" are one template.

    python benchmarks/bench_text.py [--n 600] [--seed 0] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from pathlib import Path

import pyarrow.parquet as pq

from mavis_engine import stats
from mavis_engine.export.parquet import shard_files
from mavis_engine.pipeline import generate

DOMAINS = ("plane-geometry", "function", "analytic-geometry", "solid-geometry")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")
# Maths: a run of digits, x and y, signs, roots, powers and brackets holding a digit.
_MATHS = re.compile(r"[-−(]*[\dπ√][\dxyπ√.,+\-−*/^²³·() ]*")


def _is_name(word: str, names: set[str]) -> bool:
    """A point or shape name, or a run of point letters (the ``AB`` of a side)."""
    letters = {n for n in names if len(n) == 1}
    return word in names or (word.isupper() and set(word) <= letters)


def templates(caption: str, names: set[str]) -> set[str]:
    """The caption's sentences with names and numbers replaced by placeholders."""
    out = set()
    for sentence in _SENTENCE_END.split(caption):
        if not sentence.strip():
            continue
        shape = _MATHS.sub("# ", sentence.strip())
        # A sentence's first "A" is the article, wherever a point is called A.
        shape = re.sub(
            r"[A-Za-z]+",
            lambda m: (
                "@" if _is_name(m.group(), names) and (m.start() or m.group() != "A") else m.group()
            ),
            shape,
        )
        out.add(shape.strip())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=600, help="captions per domain and language")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(f"{args.n} captions per domain and language, seed {args.seed}")
    header = "| domain | language | rows | avg length | vocabulary | sentence templates |"
    print(f"{header} MAVIS rows | MAVIS avg words | MAVIS vocabulary | vocabulary / MAVIS |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for domain in DOMAINS:
            for language in ("en", "zh"):
                out = Path(folder) / f"{domain}-{language}"
                try:
                    generate(
                        domain,
                        args.n,
                        args.seed,
                        out,
                        workers=args.workers,
                        progress=False,
                        languages=language,
                    )
                except ValueError as exc:  # a domain that does not write this language
                    print(f"| {domain} | {language} | - | {exc} |")
                    continue
                run = stats.collect(out)
                (row,) = run.caption_table()
                shapes: set[str] = set()
                for path in shard_files(out, "caption"):
                    table = pq.read_table(path, columns=["caption", "figure"]).to_pylist()
                    for r in table:
                        fig = json.loads(r["figure"])
                        names = set(fig.get("points", {})) | {
                            s.get("name", "") for s in fig.get("shapes", [])
                        }
                        shapes |= templates(r["caption"], names)
                mavis = row["mavis"] or {}
                ratio = f"{row['vocabulary'] / mavis['vocabulary']:.2f}x" if mavis else "-"
                print(
                    f"| {domain} | {language} | {row['rows']} | {row['avg_words']} | "
                    f"{row['vocabulary']} | {len(shapes)} | {mavis.get('rows', '-')} | "
                    f"{mavis.get('avg_words', '-')} | {mavis.get('vocabulary', '-')} | {ratio} |"
                )


if __name__ == "__main__":
    main()
