"""The generator interface every domain implements, and the Sample it yields."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from mavis_engine._version import __version__
from mavis_engine.answers import row_json
from mavis_engine.errors import Rejected, SampleFailed
from mavis_engine.rng import stream


class DomainConfig(BaseModel):
    """The settings every domain has; a domain's config extends it with its own."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    image_size: int = Field(512, ge=128, le=4096, description="long side of the image, pixels")
    grayscale_prob: float = Field(0.3, ge=0, le=1)
    png_level: int = Field(3, ge=0, le=9, description="PNG compression level")
    language: Literal["en"] = "en"
    max_attempts: int = Field(30, ge=1, le=1000)
    choice_ratio: float = Field(
        0.5, ge=0, le=1, description="share of problems asked as multiple choice (rest free form)"
    )


#: Stands for an image, caption or construction that ``Sample.later`` makes on first use.
LATER: Any = type("Later", (), {"__repr__": lambda self: "LATER"})()


class _MadeOnUse:
    """A Sample field that may be LATER: reading it then makes all the caption parts (a run
    that writes no caption rows never pays for painting the image or wording the text)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.key = f"_{name}"

    def __get__(self, sample: Sample | None, owner: type | None = None) -> Any:
        if sample is None:
            raise AttributeError(self.key)  # no class-level default: the field stays required
        value = sample.__dict__[self.key]
        if value is LATER:
            sample.finish()
            value = sample.__dict__[self.key]
        return value

    def __set__(self, sample: Sample, value: Any) -> None:
        sample.__dict__[self.key] = value


@dataclass
class Sample:
    """One generated diagram with its ground truth (a caption-kind row).

    A domain may give ``image``, ``caption`` and ``construction`` as ``LATER`` with
    ``later`` making the three: its figure and facts are then final (the picture laid out,
    so a label that has no room was already rejected) and only the painting and wording wait.
    """

    generator: str
    domain: str
    seed: int
    index: int
    image: bytes = _MadeOnUse()  # PNG
    caption: str = _MadeOnUse()
    construction: str = _MadeOnUse()
    figure: dict[str, Any]
    facts: list[dict[str, Any]]
    params: dict[str, Any]
    rejections: Counter = field(default_factory=Counter)
    # Rows of the problem kinds ("instruct", "preference"), when they were asked for.
    problem_rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    later: Callable[[], tuple[bytes, str, str]] | None = field(
        default=None, repr=False, compare=False
    )

    def finish(self) -> None:
        """Make the parts given as LATER (nothing if none was)."""
        if self.later is not None:
            made = dict(zip(("image", "caption", "construction"), self.later(), strict=True))
            self.later = None
            for name, value in made.items():
                if self.__dict__[f"_{name}"] is LATER:
                    setattr(self, name, value)

    @property
    def id(self) -> str:
        return f"{self.generator}/{self.seed}/{self.index}"

    def stream(self, purpose: str, attempt: int) -> np.random.Generator:
        """This sample's random stream for ``purpose`` in ``attempt``."""
        return stream(self.seed, self.generator, self.index, purpose, attempt)

    def common(self, figure: dict[str, Any] | None = None) -> dict[str, Any]:
        """The columns every kind has (``figure`` overrides the caption image's figure)."""
        return {
            "id": self.id,
            "domain": self.domain,
            "generator": self.generator,
            "seed": self.seed,
            "index": self.index,
            "engine_version": __version__,
            "figure": row_json(figure if figure is not None else self.figure),
            "facts": row_json(self.facts),
            "params": row_json(self.params),
        }

    def caption_row(self) -> dict[str, Any]:
        """The row of the ``caption`` kind, as the data contract lays it out."""
        return {
            **self.common(),
            "image": {"bytes": self.image, "path": None},
            "caption": self.caption,
            "construction": self.construction,
        }

    def rows(self, kind: str) -> list[dict[str, Any]]:
        """This sample's rows of one kind."""
        return [self.caption_row()] if kind == "caption" else self.problem_rows[kind]


def known_names(value: tuple[str, ...], known: Iterable[str], what: str) -> tuple[str, ...]:
    """``value`` if it is a non-empty selection of ``known`` names; else a ValueError that
    lists them (for a config's field validator)."""
    known = tuple(known)
    unknown = sorted(set(value) - set(known))
    if unknown or not value:
        raise ValueError(f"unknown {what} {unknown}; known: {', '.join(known)}")
    return value


def min_max(value: tuple[int, int], high: int | None = None) -> tuple[int, int]:
    """``value`` if it is (min, max) with 1 <= min <= max (<= ``high``); else a ValueError
    (for a config's field validator)."""
    lo, hi = value
    if lo < 1 or hi < lo or (high is not None and hi > high):
        bound = f" <= {high}" if high is not None else ""
        raise ValueError(f"must be (min, max) with 1 <= min <= max{bound}, got {value}")
    return value


class Generator(ABC):
    """A registered source of samples; sample (seed, index) is a pure function."""

    name: ClassVar[str]
    domain: ClassVar[str]
    Config: ClassVar[type[BaseModel]]

    def __init__(self, config: BaseModel | None = None, **overrides: Any) -> None:
        base = config.model_dump() if config is not None else {}
        self.config = self.Config(**{**base, **overrides})

    @property
    def max_attempts(self) -> int:
        """Attempts per sample before it counts as failed."""
        return int(getattr(self.config, "max_attempts", 30))

    #: Row kinds this generator can make besides "caption".
    problem_kinds: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def check_row(cls, kind: str, row: dict[str, Any]) -> list[str]:
        """Problems of one written row of ``kind``, re-derived from the row alone (its
        figure and facts), beside the checks every domain shares (``rowcheck``), which
        ``verify`` runs itself. A domain overrides this; the base adds nothing."""
        return []

    @abstractmethod
    def attempt(self, seed: int, index: int, attempt: int, problems: bool = False) -> Sample:
        """Try once to make sample ``index`` (with its problem rows if ``problems``);
        raise Rejected with a reason to retry."""

    def sample(self, seed: int, index: int, problems: bool = False) -> Sample:
        """Sample ``index`` of the run with ``seed``: the first attempt that is not rejected."""
        reasons: Counter = Counter()
        for attempt in range(self.max_attempts):
            try:
                sample = self.attempt(seed, index, attempt, problems)
            except Rejected as rejection:
                reasons[rejection.reason] += 1
                reasons.update(rejection.inner)
                continue
            # The attempt's own retries (a problem redrawn for the same figure) count too.
            reasons.update(sample.rejections)
            sample.rejections = reasons
            return sample
        raise SampleFailed(seed, index, dict(reasons))

    def iter(self, seed: int, n: int, start: int = 0, problems: bool = False) -> Iterator[Sample]:
        """Samples ``start`` .. ``start + n - 1`` (a sample that fails every attempt is skipped)."""
        for index in range(start, start + n):
            try:
                yield self.sample(seed, index, problems)
            except SampleFailed:
                continue
