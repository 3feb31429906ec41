"""Answer accuracy on held-out instruct rows, by domain and MathVerse version.

Extraction rule: the model's answer is the text after the last "Answer:" in what it
generates, stripped of spaces and a final period; it is right when it equals the row's
``answer`` (an option letter, or the exact answer text) exactly. A generation with no
"Answer:" counts as wrong.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import torch

from mavis_train import data, vlm


def extract_answer(text: str) -> str | None:
    """The fixed closing form's answer, or None."""
    if "Answer:" not in text:
        return None
    return text.rsplit("Answer:", 1)[1].strip().splitlines()[0].strip().rstrip(".").strip()


@torch.no_grad()
def accuracy(
    model,
    processor,
    data_dir: str | Path,
    max_rows: int,
    max_new_tokens: int,
    heldout: float = vlm.HELDOUT,
) -> dict:
    """Accuracy overall and by domain and version on held-out problems."""
    files = data.shard_files(data_dir, "instruct")
    model.eval()
    right: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    n = 0
    for row in data.rows(files):
        if not data.is_heldout(row["problem_id"], heldout):
            continue
        messages = [vlm.user_turn(row["question"])]
        prompt = processor.apply_chat_template(messages, add_generation_prompt=True)
        inputs = processor(
            text=prompt, images=[data.image(row["images"][0])], return_tensors="pt"
        ).to(model.device)
        out = model.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False)
        text = processor.decode(out[0][inputs["input_ids"].shape[1] :], skip_special_tokens=True)
        ok = int(extract_answer(text) == row["answer"])
        for key in ("all", f"domain/{row['domain']}", f"version/{row['version']}"):
            right[key][0] += ok
            right[key][1] += 1
        n += 1
        if n >= max_rows:
            break
    return {k: {"accuracy": r / t, "rows": t} for k, (r, t) in sorted(right.items())}
