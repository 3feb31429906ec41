"""``mavis-train mine-negatives``: the paper's way to make DPO pairs. The stage-3 model
answers engine problems; each wrong answer becomes ``rejected`` against the gold rationale
as ``chosen``, written as a preference shard the engine's own shards sit beside."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import torch

from mavis_train import data, vlm
from mavis_train.evaluate import extract_answer

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


@torch.no_grad()
def mine(
    model_dir: str | Path, data_dir: str | Path, out: str | Path, max_rows: int, max_new_tokens: int
) -> dict:
    """Write ``out/preference/mined.parquet``; returns counts."""
    model, processor = vlm.load(model_dir)
    model.eval()
    files = data.shard_files(data_dir, "instruct")
    schema = _schema(pq.read_schema(files[0]))
    rows, asked = [], 0
    for row in data.rows(files):
        if row["version"] != "text_dominant":
            continue
        prompt = processor.apply_chat_template(
            [vlm.user_turn(row["question"])], add_generation_prompt=True
        )
        inputs = processor(
            text=prompt, images=[data.image(row["images"][0])], return_tensors="pt"
        ).to(model.device)
        generated = model.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False)
        text = processor.decode(
            generated[0][inputs["input_ids"].shape[1] :], skip_special_tokens=True
        )
        asked += 1
        if extract_answer(text) != row["answer"]:
            rows.append(
                {
                    **{c: row[c] for c in COMMON},
                    "id": f"{row['problem_id']}/mined",
                    "prompt": [{"role": "user", "content": row["question"]}],
                    "chosen": [{"role": "assistant", "content": row["rationale"]}],
                    "rejected": [{"role": "assistant", "content": text}],
                    "perturbation": f"model:{Path(model_dir).name}",
                }
            )
        if asked >= max_rows:
            break
    folder = Path(out) / "preference"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "mined.parquet"
    tmp = folder / ".mined.parquet.tmp"
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), tmp)
    os.replace(tmp, target)
    return {"asked": asked, "wrong": len(rows), "path": str(target)}
