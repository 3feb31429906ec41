"""PlaneGeometry: shapes attached edge to edge, drawn to scale, described exactly."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from mavis_engine.generator import DomainConfig, Generator, Sample, known_names, min_max
from mavis_engine.plane import rowcheck
from mavis_engine.plane.build import PlaneParams, build, sample_params
from mavis_engine.plane.caption_text import caption, construction
from mavis_engine.plane.check import check_facts
from mavis_engine.plane.instruct import rows as problem_rows
from mavis_engine.plane.shapes import KINDS
from mavis_engine.render.raster import sketch
from mavis_engine.render.style import sample_style
from mavis_engine.rng import stream


class PlaneGeometryConfig(DomainConfig):
    """Settings of the plane-geometry generator; validated when built."""

    depth: tuple[int, int] = Field((1, 4), description="min and max number of shapes")
    shapes: tuple[str, ...] = Field(tuple(KINDS), description="shape kinds to draw from")
    base_length: tuple[int, int] = Field((3, 12), description="range of the first edge's length")
    incircle_prob: float = Field(0.15, ge=0, le=1)
    hops: tuple[int, int] = Field((1, 4), description="min and max deduction hops per problem")

    @field_validator("depth", "base_length", "hops")
    @classmethod
    def _range(cls, value: tuple[int, int]) -> tuple[int, int]:
        return min_max(value)

    @field_validator("shapes")
    @classmethod
    def _known_shapes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return known_names(value, KINDS, "shape kinds")

    @model_validator(mode="after")
    def _depth_fits_letters(self) -> PlaneGeometryConfig:
        if self.depth[1] > 8:
            raise ValueError("depth max must be at most 8 (26 vertex letters)")
        return self


class PlaneGeometry(Generator):
    """Plane-geometry diagrams with exact captions (MAVIS's first domain).

    >>> gen = PlaneGeometry(depth=(1, 4))
    >>> s = gen.sample(seed=0, index=17)   # PNG bytes, caption, figure, facts
    """

    name = "plane-geometry"
    domain = "plane_geometry"
    Config = PlaneGeometryConfig
    config: PlaneGeometryConfig

    check_row = staticmethod(rowcheck.check_row)

    @classmethod
    def replay(cls, params: dict) -> list[dict]:
        return build(PlaneParams.from_json(params)).facts_json()

    def params(self, seed: int, index: int, attempt: int = 0) -> PlaneParams:
        """The parameters of one attempt, from its params stream."""
        c = self.config
        rng = stream(seed, self.name, index, "params", attempt)
        return sample_params(rng, c.depth, c.shapes, c.base_length, c.incircle_prob)

    problem_kinds = ("instruct", "preference")
    text_languages = ("en", "zh")
    problem_languages = ("en", "zh")

    def attempt(self, seed: int, index: int, attempt: int, problems: bool = False) -> Sample:
        c = self.config
        params = self.params(seed, index, attempt)
        figure = build(params)
        check_facts(figure)
        style = sample_style(
            stream(seed, self.name, index, "style", attempt), c.image_size, c.grayscale_prob
        )
        # Laid out now (a label with no room rejects the attempt; the figure's pixels and
        # labels are final), painted and worded only if a caption row is written.
        drawing = sketch(figure, style, c.image_size)

        def caption_parts() -> tuple[bytes, str, str]:
            text_rng = stream(seed, self.name, index, "text", attempt)
            png, _, _ = drawing.paint(c.png_level)
            words = caption(figure, text_rng, c.language)
            return png, words, construction(figure, text_rng, c.language)

        sample = self.sample_made_later(
            seed,
            index,
            {**figure.to_json(), "style": style.to_json()},
            figure.facts_json(),
            {"attempt": attempt, **params.to_json()},
            caption_parts,
        )
        if problems:
            sample.problem_rows = problem_rows(
                sample=sample,
                figure=figure,
                style=style,
                config=c,
                attempt=attempt,
            )
        return sample
