"""The generator interface every domain implements, and the Sample it yields."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mavis_engine._version import __version__
from mavis_engine.answers import row_json
from mavis_engine.errors import Rejected, SampleFailed
from mavis_engine.rng import stream

#: The languages the engine writes text in, in the order a run writes their rows.
LANGUAGES = ("en", "zh")
Language = Literal["en", "zh"]


def parse_languages(value: Any) -> tuple[str, ...]:
    """Languages from ``"en,zh"``, ``"zh"`` or a sequence of names: known ones, each
    once, in ``LANGUAGES`` order; else a ValueError that names the known ones."""
    names = value.split(",") if isinstance(value, str) else list(value)
    names = [str(n).strip() for n in names]
    unknown = sorted({n for n in names if n not in LANGUAGES})
    if unknown or not names:
        raise ValueError(f"unknown languages {unknown or names}; known: {', '.join(LANGUAGES)}")
    return tuple(lang for lang in LANGUAGES if lang in names)


def language_tag(language: str) -> str:
    """What a row id of ``language`` ends in: nothing for English, ``@zh`` for Chinese."""
    return "" if language == "en" else f"@{language}"


class Languages(BaseModel):
    """The ``languages`` setting a run's config shares (a domain's or a mix's): each
    language gives its own rows from the same samples. ``language`` is accepted for it."""

    languages: tuple[Language, ...] = Field(
        ("en",), description="languages of the text; each gives its own rows (en, zh)"
    )

    @model_validator(mode="before")
    @classmethod
    def _language_alias(cls, data: Any) -> Any:
        if isinstance(data, dict) and "language" in data:
            data = dict(data)
            if "languages" in data:
                raise ValueError("give languages or language, not both")
            data["languages"] = data.pop("language")
        return data

    @field_validator("languages", mode="before")
    @classmethod
    def _known_languages(cls, value: Any) -> tuple[str, ...]:
        return parse_languages(value)

    @property
    def language(self) -> str:
        """The language of the text this config's generator writes first."""
        return self.languages[0]


class DomainConfig(Languages):
    """The settings every domain has; a domain's config extends it with its own."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    image_size: int = Field(512, ge=128, le=4096, description="long side of the image, pixels")
    grayscale_prob: float = Field(0.3, ge=0, le=1)
    png_level: int = Field(3, ge=0, le=9, description="PNG compression level")
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
    # The language of this sample's texts, and the same sample in the run's other languages.
    language: str = "en"
    translations: list[Sample] = field(default_factory=list)
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
        """The sample's id, as its English caption row has it (``rows`` tags the others)."""
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
        """This sample's rows of one kind, in each of its languages: the ``language``
        column set, and the ids of a language other than English tagged (``@zh``)."""
        own = [self.caption_row()] if kind == "caption" else self.problem_rows[kind]
        tag = language_tag(self.language)
        out = []
        for row in own:
            row = {**row, "language": self.language}
            for column in ("id", "problem_id"):
                if tag and column in row:
                    row[column] += tag
            out.append(row)
        for translation in self.translations:
            out += translation.rows(kind)
        return out


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
    #: Languages it writes captions in, and problems in.
    text_languages: ClassVar[tuple[str, ...]] = ("en",)
    problem_languages: ClassVar[tuple[str, ...]] = ("en",)

    def unwritten_languages(self, problems: bool) -> tuple[str, ...]:
        """The languages of the config that this generator cannot write (its problems'
        text too, if ``problems``)."""
        able = set(self.text_languages) & set(self.problem_languages if problems else LANGUAGES)
        return tuple(lang for lang in self.languages if lang not in able)

    @classmethod
    def replay(cls, params: dict[str, Any]) -> list[dict[str, Any]]:
        """The facts a sample's ``params`` JSON (its row's column) builds again: the
        sample is a pure function of its parameters. A domain overrides this."""
        raise NotImplementedError(f"{cls.__name__} does not replay its parameters")

    @classmethod
    def check_row(cls, kind: str, row: dict[str, Any]) -> list[str]:
        """Problems of one written row of ``kind``, re-derived from the row alone (its
        figure and facts), beside the checks every domain shares (``rowcheck``), which
        ``verify`` runs itself. A domain overrides this; the base adds nothing."""
        return []

    def sample_made_later(
        self,
        seed: int,
        index: int,
        figure: dict[str, Any],
        facts: list[dict[str, Any]],
        params: dict[str, Any],
        later: Callable[[], tuple[bytes, str, str]],
    ) -> Sample:
        """A sample whose figure, facts and params are final and whose image, caption and
        construction ``later`` makes when first read."""
        return Sample(
            self.name,
            self.domain,
            seed,
            index,
            LATER,
            LATER,
            LATER,
            figure,
            facts,
            params,
            later=later,
        )

    @abstractmethod
    def attempt(self, seed: int, index: int, attempt: int, problems: bool = False) -> Sample:
        """Try once to make sample ``index`` (with its problem rows if ``problems``);
        raise Rejected with a reason to retry."""

    def sample(self, seed: int, index: int, problems: bool = False) -> Sample:
        """Sample ``index`` of the run with ``seed``: the first attempt that is not
        rejected, in the config's first language, with the same attempt in the others."""
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
            sample.language = self.language
            sample.translations = [
                self._speaking(lang).translate(sample, attempt, problems)
                for lang in self.languages[1:]
            ]
            return sample
        raise SampleFailed(seed, index, dict(reasons))

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages this generator writes (a config without the setting: English)."""
        return tuple(getattr(self.config, "languages", ("en",)))

    @property
    def language(self) -> str:
        """The language of the text ``attempt`` writes."""
        return self.languages[0]

    def _speaking(self, language: str) -> Generator:
        """This generator with ``language`` as its only language (made once)."""
        siblings = self.__dict__.setdefault("_siblings", {})
        if language not in siblings:
            siblings[language] = type(self)(self.config, languages=(language,))
        return siblings[language]

    def translate(self, sample: Sample, attempt: int, problems: bool) -> Sample:
        """``sample`` in this generator's language: its accepted ``attempt`` made again,
        which draws the same figure, facts and numbers (every stream but the text is
        keyed by seed, index and attempt alone); text never rejects an attempt."""
        try:
            other = self.attempt(sample.seed, sample.index, attempt, problems)
        except Rejected as rejection:
            raise RuntimeError(
                f"{sample.id}: the {self.language} text rejected attempt {attempt}, which "
                f"{sample.language} accepted ({rejection})"
            ) from rejection
        if (other.facts, other.params) != (sample.facts, sample.params):
            raise RuntimeError(f"{sample.id}: the {self.language} sample differs in its facts")
        other.language = self.language
        return other

    def iter(self, seed: int, n: int, start: int = 0, problems: bool = False) -> Iterator[Sample]:
        """Samples ``start`` .. ``start + n - 1`` (a sample that fails every attempt is skipped)."""
        for index in range(start, start + n):
            try:
                yield self.sample(seed, index, problems)
            except SampleFailed:
                continue
