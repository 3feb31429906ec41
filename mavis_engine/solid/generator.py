"""SolidGeometry: cubes, cuboids, prisms, pyramids, cylinders, cones and spheres, drawn
as a textbook draws them (hidden lines dashed), with exact volumes, areas and lengths."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from mavis_engine.errors import Rejected
from mavis_engine.generator import DomainConfig, Generator, Sample, known_names, min_max
from mavis_engine.render.style import sample_style
from mavis_engine.rng import stream
from mavis_engine.solid import problems as solid_problems
from mavis_engine.solid import rowcheck
from mavis_engine.solid.build import build, sample_params
from mavis_engine.solid.draw import render
from mavis_engine.solid.solids import KINDS
from mavis_engine.solid.text import caption, construction
from mavis_engine.solid.view import PROJECTIONS


class SolidGeometryConfig(DomainConfig):
    """Settings of the solid-geometry generator; validated when built."""

    solids: tuple[str, ...] = Field(KINDS, description="solid kinds to draw from")
    edge: tuple[int, int] = Field((2, 9), description="range of a polyhedron's edges")
    radius: tuple[int, int] = Field((2, 7), description="range of a round solid's radius")
    height: tuple[int, int] = Field((3, 10), description="range of heights")
    projections: tuple[str, ...] = Field(
        PROJECTIONS, description="projections polyhedra are drawn in (round solids: elevated)"
    )

    @field_validator("edge", "radius", "height")
    @classmethod
    def _range(cls, value: tuple[int, int]) -> tuple[int, int]:
        return min_max(value, high=50)

    @field_validator("solids")
    @classmethod
    def _known_solids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return known_names(value, KINDS, "solid kinds")

    @field_validator("projections")
    @classmethod
    def _known_projections(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return known_names(value, PROJECTIONS, "projections")


class SolidGeometry(Generator):
    """Solid-geometry diagrams with exact captions (a domain MAVIS never had).

    >>> s = SolidGeometry().sample(seed=0, index=3)   # PNG bytes, caption, figure, facts
    """

    name = "solid-geometry"
    domain = "solid_geometry"
    Config = SolidGeometryConfig
    config: SolidGeometryConfig
    problem_kinds = ("instruct", "preference")
    text_languages = ("en", "zh")
    problem_languages = ("en", "zh")

    check_row = staticmethod(rowcheck.check_row)

    @classmethod
    def replay(cls, params: dict[str, Any]) -> list[dict[str, Any]]:
        return build({k: v for k, v in params.items() if k != "attempt"}).facts_json()

    def params(self, seed: int, index: int, attempt: int = 0) -> dict[str, Any]:
        """The parameters of one attempt, from its params stream."""
        c = self.config
        # The kind is the sample's, not the attempt's: a kind whose drawings are rejected
        # more often (a small hole's labels) takes more attempts but keeps its share. Past
        # half the attempt budget any kind may come, so that no sample fails for its kind.
        kinds = stream(seed, self.name, index, "kind")
        kind = c.solids[int(kinds.integers(len(c.solids)))]
        keep = attempt < self.max_attempts // 2
        rng = stream(seed, self.name, index, "params", attempt)
        return sample_params(
            rng, (kind,) if keep else c.solids, c.edge, c.radius, c.height, c.projections
        )

    def attempt(self, seed: int, index: int, attempt: int, problems: bool = False) -> Sample:
        c = self.config
        params = self.params(seed, index, attempt)
        fig = build(params)
        style = sample_style(
            stream(seed, self.name, index, "style", attempt), c.image_size, c.grayscale_prob
        )
        painted: dict = {}  # the strokes painted once, for a problem's renders too
        png = render(fig, style, c.image_size, png_level=c.png_level, painted=painted)
        figure = {**fig.to_json(), "style": style.to_json()}
        facts = fig.facts_json()
        wrong = rowcheck.figure_problems(figure, facts)
        if wrong:  # a bug, not bad luck: never written, counted by reason
            raise Rejected("fact_mismatch", "; ".join(wrong))
        text_rng = stream(seed, self.name, index, "text", attempt)
        sample = Sample(
            generator=self.name,
            domain=self.domain,
            seed=seed,
            index=index,
            image=png,
            caption=caption(fig, text_rng, c.language),
            construction=construction(fig, text_rng, c.language),
            figure=figure,
            facts=facts,
            params={"attempt": attempt, **params},
        )
        if problems:
            sample.problem_rows = solid_problems.rows(
                sample=sample, fig=fig, style=style, config=c, attempt=attempt, painted=painted
            )
        return sample
