"""``mavis-engine verify``'s checks of one row, from the row alone: what every domain
shares (``rowcheck``), then the row's own generator's checks (``Generator.check_row``:
facts re-derived from the figure, the answer from its target)."""

from __future__ import annotations

from mavis_engine import registry
from mavis_engine.reading import final_answer
from mavis_engine.rowcheck import closing_problems


def _preference_problems(row: dict) -> list[str]:
    """The rejected answer differs from the chosen, and its mistake is named."""
    chosen = final_answer(row["chosen"][-1]["content"])
    rejected = final_answer(row["rejected"][-1]["content"])
    out = [] if chosen != rejected else ["rejected reaches the chosen answer"]
    if not row["perturbation"]:
        out.append("perturbation not named")
    return out


SHARED = {
    "caption": lambda row: [],
    "instruct": closing_problems,
    "preference": _preference_problems,
}


def check_row(kind: str, row: dict) -> list[str]:
    """Problems of one row of ``kind`` (none: the row is right)."""
    try:
        generator = registry.get(row["generator"])
    except KeyError:
        return [f"generator {row['generator']!r} is not installed: its rows cannot be checked"]
    return SHARED[kind](row) + generator.check_row(kind, row)


def check_caption(row: dict) -> list[str]:
    return check_row("caption", row)


def check_instruct(row: dict) -> list[str]:
    return check_row("instruct", row)


def check_preference(row: dict) -> list[str]:
    return check_row("preference", row)


CHECKS = {"caption": check_caption, "instruct": check_instruct, "preference": check_preference}
