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


# A skipped test is a test that did not run: every skip fails the session unless its
# reason is listed here (with why it may skip). Nothing is allowed to skip today.
ALLOWED_SKIPS: dict[str, str] = {}
_unallowed_skips: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else ""
        if not any(allowed in reason for allowed in ALLOWED_SKIPS):
            _unallowed_skips.append(f"{report.nodeid}: {reason}")


def pytest_sessionfinish(session, exitstatus):
    if _unallowed_skips and session.exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter):
    if _unallowed_skips:
        terminalreporter.write_line("skips that are not allowed (tests/conftest.py):", red=True)
        for line in _unallowed_skips:
            terminalreporter.write_line(f"  {line}", red=True)
