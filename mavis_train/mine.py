"""``mavis-train mine-negatives``: the paper's way to make DPO pairs. The stage-3 model
answers engine problems; each wrong answer becomes ``rejected`` against the gold rationale
as ``chosen``, written as a preference shard the engine's own shards sit beside."""

from __future__ import annotations

import json
import os
from itertools import islice
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from mavis_train import data, vlm
from mavis_train.evaluate import generate, spread
from mavis_train.scoring import extract_answer, same_answer

COMMON = (
    "id",
    "domain",
    "generator",
    "seed",
    "index",
    "engine_version",
    "figure",
    "facts",
    "params",
    "problem_id",
    "images",
)


def _schema(instruct_schema: pa.Schema) -> pa.Schema:
    """The preference schema, derived from an instruct shard's own (HF metadata too)."""
    turns = instruct_schema.field("messages").type
    fields = [instruct_schema.field(c) for c in COMMON]
    fields += [pa.field(c, turns) for c in ("prompt", "chosen", "rejected")]
    fields.append(pa.field("perturbation", pa.string()))
    info = json.loads(instruct_schema.metadata[b"huggingface"])
    features = info["info"]["features"]
    turn_feature = features["messages"]
    out = {c: features[c] for c in COMMON}
    out.update(
        prompt=turn_feature,
        chosen=turn_feature,
        rejected=turn_feature,
        perturbation={"dtype": "string", "_type": "Value"},
    )
    meta = {b"huggingface": json.dumps({"info": {"features": out}}).encode()}
    return pa.schema(fields, metadata=meta)


def mine(
    model_dir: str | Path,
    data_dir: str | Path,
    out: str | Path,
    max_rows: int,
    max_new_tokens: int,
    batch_size: int = 8,
) -> dict:
    """Write ``out/preference/mined.parquet``; returns counts.

    The problems are split over the processes when launched on several; the main process
    writes. Problems of every split are asked: stage 4 trains on the pairs of training samples
    and measures its reward accuracy on the held-out ones, as with the engine's pairs."""
    model, processor = vlm.load(model_dir)
    files = data.shard_files(data_dir, "instruct")
    schema = _schema(pq.read_schema(files[0]))
    asked = [r for r in islice(_text_dominant(files), max_rows)]
    texts = spread(lambda part: generate(model, processor, part, max_new_tokens, batch_size), asked)
    rows = [
        {
            **{c: row[c] for c in COMMON},
            "id": f"{row['problem_id']}/mined",
            "prompt": [{"role": "user", "content": row["question"]}],
            "chosen": [{"role": "assistant", "content": row["rationale"]}],
            "rejected": [{"role": "assistant", "content": text}],
            "perturbation": f"model:{Path(model_dir).name}",
        }
        for row, text in zip(asked, texts, strict=True)
        if not same_answer(extract_answer(text), row["answer"], row["choices"])
    ]
    target = Path(out) / "preference" / "mined.parquet"
    if vlm.is_main_process():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(".mined.parquet.tmp")
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), tmp)
        os.replace(tmp, target)
    return {"asked": len(asked), "wrong": len(rows), "path": str(target)}


def _text_dominant(files: list[Path]):
    return (r for r in data.rows(files) if r["version"] == "text_dominant")
