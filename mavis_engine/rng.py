"""Per-sample random streams derived from (seed, generator, index, purpose).

Every sample owns independent streams, so its output never depends on how many workers
ran, in which order, or on what other streams consumed; editing a caption template (the
``text`` stream) does not move the geometry (the ``params`` stream).
"""

from __future__ import annotations

import zlib

import numpy as np

PURPOSES = ("params", "style", "text")


def _word(text: str) -> int:
    # crc32 is stable across processes and Python versions, unlike hash().
    return zlib.crc32(text.encode("utf-8"))


def stream(
    seed: int, generator: str, index: int, purpose: str, attempt: int = 0
) -> np.random.Generator:
    """Return the random stream of one purpose for sample ``index`` of a run with ``seed``."""
    if seed < 0 or index < 0:
        raise ValueError("seed and index must be non-negative")
    entropy = [seed, _word(generator), index, _word(purpose), attempt]
    return np.random.default_rng(np.random.SeedSequence(entropy))
