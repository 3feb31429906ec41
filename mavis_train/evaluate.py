"""Answer accuracy on held-out problems, beside the baselines of the same rows.

Rows: a proportional stratified sample of held-out problems (by domain, question kind and
answer form; all five versions of each chosen problem), never trained on in any stage.

- **generation**: the model writes a rationale (greedy, batched; budget: the longest
  gold rationale of these rows plus a margin, capped by ``eval.max_new_tokens``); its
  answer is what follows the last "Answer:", compared with the gold answer by value
  (numbers, surds, fractions, pi) or as normalised text, letters for options
  (``mavis_train.scoring``).
- **likelihood** (multiple-choice rows): each option's closing line "Answer: X" is scored
  by the model's log-likelihood after the question; the most likely one is its answer.

Each group (all, by domain, version and question kind) reports, beside the accuracy,
``majority`` (the accuracy of always giving the set's most common gold answer: one letter
for multiple-choice rows, one text for free-form rows) and ``random`` (a uniform guess
among the options; 0 for free-form rows).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

from mavis_engine.answers import closing_line
from mavis_train import data, scoring, vlm
from mavis_train.config import TrainConfig

STRATUM_COLUMNS = ("domain", "target", "choices")
MARGIN = 32  # new tokens beyond the longest gold rationale


def groups(row: dict[str, Any]) -> list[str]:
    return [
        "all",
        f"domain/{row['domain']}",
        f"version/{row['version']}",
        f"kind/{data.question_kind(row)}",
    ]


def prompt_inputs(processor, rows: list[dict], replies: list[str] | None = None):
    """Model inputs for the rows' questions (and an assistant reply each, if given)."""
    texts = []
    for i, row in enumerate(rows):
        turns = [vlm.user_turn(row["question"])]
        if replies is not None:
            turns.append(vlm.assistant_turn(replies[i]))
        texts.append(processor.apply_chat_template(turns, add_generation_prompt=replies is None))
    images = [data.image(r["images"][0]) for r in rows]
    return processor(text=texts, images=images, padding=True, return_tensors="pt")


@torch.no_grad()
def generate(model, processor, rows: list[dict], max_new_tokens: int, batch_size: int) -> list[str]:
    """Greedy answers to the rows' questions, ``batch_size`` at a time (left padding)."""
    model.eval()
    tokenizer = processor.tokenizer
    side, tokenizer.padding_side = tokenizer.padding_side, "left"
    texts: list[str] = []
    try:
        for i in range(0, len(rows), batch_size):
            inputs = prompt_inputs(processor, rows[i : i + batch_size]).to(model.device)
            out = model.generate(
                **inputs,
                max_new_tokens=max_new_tokens,
                do_sample=False,
                pad_token_id=tokenizer.pad_token_id,
            )
            new = out[:, inputs["input_ids"].shape[1] :]
            texts += processor.batch_decode(new, skip_special_tokens=True)
    finally:
        tokenizer.padding_side = side
    return texts


@torch.no_grad()
def option_likelihood(model, processor, row: dict) -> str:
    """The option letter whose closing line the model finds most likely."""
    letters = [chr(ord("A") + i) for i in range(len(row["choices"]))]
    # The closing form of the row's language ("Answer: B", "答案：B"), as the rationales end.
    replies = [closing_line(x, row.get("language", "en")) for x in letters]
    tokenizer = processor.tokenizer
    side, tokenizer.padding_side = tokenizer.padding_side, "right"
    try:
        full = prompt_inputs(processor, [row] * len(letters), replies).to(model.device)
        prompt_len = prompt_inputs(processor, [row])["input_ids"].shape[1]
    finally:
        tokenizer.padding_side = side
    logits = model(**full).logits[:, :-1].float()
    targets = full["input_ids"][:, 1:]
    logp = torch.log_softmax(logits, dim=-1).gather(-1, targets[..., None])[..., 0]
    mask = full["attention_mask"][:, 1:].clone()
    mask[:, : prompt_len - 1] = 0  # score the reply only
    scores = (logp * mask).sum(dim=1)
    return letters[int(scores.argmax())]


def majority_answers(rows: list[dict]) -> dict[str, str]:
    """The majority-class guess per answer form: the most common gold answer (normalised)
    among the set's multiple-choice rows, and among its free-form rows."""
    by_form: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        by_form[data.answer_form(r)][scoring.normalise_text(r["answer"])] += 1
    return {form: c.most_common(1)[0][0] for form, c in by_form.items()}


def _summarise(rows: list[dict], right: list[bool]) -> dict[str, dict[str, Any]]:
    guess = majority_answers(rows)
    majority = [scoring.normalise_text(r["answer"]) == guess[data.answer_form(r)] for r in rows]
    random = [1 / len(r["choices"]) if r["choices"] else 0.0 for r in rows]
    by: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        for g in groups(row):
            by[g].append(i)
    return {
        g: {
            "rows": len(idx),
            "accuracy": sum(right[i] for i in idx) / len(idx),
            "majority": sum(majority[i] for i in idx) / len(idx),
            "random": sum(random[i] for i in idx) / len(idx),
        }
        for g, idx in sorted(by.items())
    }


def new_token_budget(processor, rows: list[dict], cap: int) -> int:
    longest = max(len(processor.tokenizer(r["rationale"])["input_ids"]) for r in rows)
    return min(cap, longest + MARGIN)


def spread(work: Callable[[list], list], items: list, across: bool = True) -> list:
    """``work`` over ``items``; launched on several processes (torchrun, accelerate) and
    ``across``, each process does its own contiguous share and all get the results back in
    order, the same as one process would produce."""
    if not across or vlm.world_size() == 1:
        return work(items)
    from accelerate import PartialState
    from accelerate.utils import gather_object

    with PartialState().split_between_processes(items) as share:
        done = work(list(share))
    return gather_object(done)


def accuracy(
    model,
    processor,
    rows: list[dict],
    max_new_tokens: int,
    batch_size: int,
    across_processes: bool = False,
) -> dict:
    """Generation and option-likelihood accuracy of ``model`` on ``rows``, by group (the
    rows split over the processes when ``across_processes``)."""
    budget = new_token_budget(processor, rows, max_new_tokens)
    texts = spread(
        lambda part: generate(model, processor, part, budget, batch_size), rows, across_processes
    )
    answers = [scoring.extract_answer(t) for t in texts]
    right = [
        scoring.same_answer(a, r["answer"], r["choices"])
        for a, r in zip(answers, rows, strict=True)
    ]
    report: dict[str, Any] = {
        "max_new_tokens": budget,
        "answered": sum(a is not None for a in answers) / len(rows),
        "generation": _summarise(rows, right),
        "examples": [
            {"id": r["id"], "answer": r["answer"], "predicted": a, "text": t[-300:]}
            for r, a, t in list(zip(rows, answers, texts, strict=True))[:5]
        ],
    }
    choice_rows = [r for r in rows if r["choices"]]
    if choice_rows:
        picked = spread(
            lambda part: [option_likelihood(model, processor, r) for r in part],
            choice_rows,
            across_processes,
        )
        ok = [p == r["answer"] for p, r in zip(picked, choice_rows, strict=True)]
        report["likelihood"] = _summarise(choice_rows, ok)
    return report


def heldout_problems(data_dir: str | Path, share: float, max_rows: int) -> list[dict]:
    """The held-out instruct rows evaluated: a stratified sample of whole problems."""
    files = data.shard_files(data_dir, "instruct")
    rows = data.heldout_sample(files, share, max_rows, data.instruct_stratum, STRATUM_COLUMNS)
    if not rows:
        raise data.DataError(f"no held-out instruct rows in {data_dir} (held-out share {share})")
    return rows


def after_stage(model_dir: Path, data_dir: str | Path, cfg: TrainConfig) -> dict[str, Any]:
    """Accuracy of a saved stage directory, as ``mavis-train eval`` would report it: every
    process the stage runs on answers its share of the rows on its own device."""
    model, processor = vlm.load(model_dir)
    rows = heldout_problems(data_dir, cfg.heldout, cfg.eval.max_rows)
    report = accuracy(
        model, processor, rows, cfg.eval.max_new_tokens, cfg.eval.batch_size, across_processes=True
    )
    if vlm.is_main_process():
        (model_dir / "heldout_accuracy.json").write_text(json.dumps(report, indent=2) + "\n")
    return {"heldout_accuracy": {k: report[k] for k in ("generation", "likelihood") if k in report}}


def print_report(report: dict[str, Any]) -> None:
    """One line per group: accuracy beside the majority and random baselines."""
    for method in ("generation", "likelihood"):
        if method not in report:
            continue
        print(f"{method}:  {'group':<34} {'rows':>5} {'acc':>6} {'major':>6} {'random':>6}")
        for g, r in report[method].items():
            print(
                f"  {g:<44} {r['rows']:>5} {r['accuracy']:>6.3f} {r['majority']:>6.3f} "
                f"{r['random']:>6.3f}"
            )


def learning_checks(metrics: dict[str, dict[str, Any]]) -> list[tuple[str, str, bool]]:
    """What a run of the ``cpu`` preset must show on held-out data, stage by stage:
    (stage, what was measured against what, met). ``metrics`` maps stage1..stage4 to
    their metrics.json."""
    s1, s2, s3, s4 = (metrics[f"stage{i}"] for i in range(1, 5))
    chance = s1["baseline"]
    return [
        (
            "stage1",
            f"R@1 {s1['heldout_after']:.3f} >= 5 x chance {chance:.4f} on "
            f"{s1['heldout_pairs']} pairs (>= 100)",
            s1["heldout_after"] >= 5 * chance and s1["heldout_pairs"] >= 100,
        ),
        (
            "stage1",
            f"mean image cosine {s1['image_cosine_after']:.3f} < 0.9 (no collapse)",
            s1["image_cosine_after"] < 0.9,
        ),
        (
            "stage2",
            f"caption loss {s2['heldout_after']:.3f} <= 0.8 x {s2['heldout_before']:.3f}",
            s2["heldout_after"] <= 0.8 * s2["heldout_before"],
        ),
        (
            "stage3",
            f"rationale loss {s3['heldout_after']:.3f} <= 0.6 x {s3['heldout_before']:.3f}",
            s3["heldout_after"] <= 0.6 * s3["heldout_before"],
        ),
        (
            "stage4",
            f"DPO reward accuracy {s4['heldout_after']:.3f} >= 0.7",
            s4["heldout_after"] >= 0.7,
        ),
    ]
