"""``all``: every domain in one run, mixed in configurable shares.

Sample ``index`` draws its domain from its own stream, then is exactly that domain's sample
``(seed, index)``: a row is the same bytes whether made by ``all`` or by its own domain.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from mavis_engine import registry
from mavis_engine.generator import Generator, Languages, Sample
from mavis_engine.rng import stream

# Solid geometry at MathVerse's share of it (332 of 2,612 problems, 0.13); the rest in
# MAVIS-Caption's proportions (299K plane, 212K function, 77K analytic).
DEFAULT_MIX = {
    "plane-geometry": 0.44,
    "function": 0.31,
    "analytic-geometry": 0.12,
    "solid-geometry": 0.13,
}


class MixConfig(Languages):
    """Shares of each domain (normalised), optional settings per domain, and the
    languages of every domain's text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    mix: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_MIX))
    configs: dict[str, dict] = Field(default_factory=dict, description="per-domain settings")
    max_attempts: int = Field(30, ge=1, le=1000)

    @field_validator("mix")
    @classmethod
    def _shares(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(value) - set(registry.names()))
        if unknown or not value or any(v < 0 for v in value.values()) or not sum(value.values()):
            raise ValueError(f"mix needs non-negative shares of known domains; got {value}")
        return value


class AllDomains(Generator):
    """Every domain in one run (plane, function, analytic and solid geometry)."""

    name = "all"
    domain = "mixed"
    Config = MixConfig
    config: MixConfig

    def __init__(self, config: BaseModel | None = None, **overrides) -> None:
        super().__init__(config, **overrides)
        self._generators = {name: self._domain(name) for name in self.config.mix}

    def _domain(self, name: str) -> Generator:
        """Domain ``name``'s generator, in the mix's languages (a domain without the
        setting writes English only, which ``unwritten_languages`` reports)."""
        cls = registry.get(name)
        settings = dict(self.config.configs.get(name, {}))
        if "languages" in getattr(cls.Config, "model_fields", {}):
            settings.pop("language", None)
            settings["languages"] = self.config.languages
        return cls(**settings)

    def unwritten_languages(self, problems: bool) -> tuple[str, ...]:
        """The mix's languages that a domain it draws from cannot write."""
        missing = set()
        for name, gen in self._generators.items():
            if self.config.mix[name] > 0 and (gen.problem_kinds or not problems):
                able = gen.problem_languages if problems else gen.text_languages
                missing |= set(self.config.languages) - set(able)
        return tuple(lang for lang in self.config.languages if lang in missing)

    problem_kinds = ("instruct", "preference")  # from the domains that make problems

    def pick(self, seed: int, index: int, problems: bool) -> Generator:
        """The domain of sample ``index`` (only domains that make problems, if asked)."""
        names = [
            n
            for n, g in self._generators.items()
            if self.config.mix[n] > 0 and (g.problem_kinds or not problems)
        ]
        if not names:
            raise ValueError("no domain in the mix makes problems")
        shares = np.array([self.config.mix[n] for n in names], dtype=float)
        u = stream(seed, self.name, index, "domain").random()
        return self._generators[
            names[int(np.searchsorted(np.cumsum(shares / shares.sum()), u, side="right"))]
        ]

    def attempt(self, seed: int, index: int, attempt: int, problems: bool = False) -> Sample:
        raise NotImplementedError  # sample() delegates whole samples

    def sample(self, seed: int, index: int, problems: bool = False) -> Sample:
        return self.pick(seed, index, problems).sample(seed, index, problems)
