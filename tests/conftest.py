from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def plane():
    from mavis_engine import PlaneGeometry

    return PlaneGeometry()


@pytest.fixture(scope="session")
def deep_plane():
    """Crowded figures (6-8 shapes), where overlaps and label clashes are likeliest."""
    from mavis_engine import PlaneGeometry

    return PlaneGeometry(depth=(6, 8))
