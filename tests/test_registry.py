"""Registry: explicit registration, duplicates refused, plugins through entry points."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mavis_engine import PlaneGeometry, registry

EXAMPLE_PLUGIN = Path(__file__).parents[1] / "examples" / "plugin"


def test_builtin_is_registered():
    assert registry.get("plane-geometry") is PlaneGeometry
    with pytest.raises(KeyError, match="unknown generator"):
        registry.get("nope")


def test_duplicate_names_are_refused():
    class Other(PlaneGeometry):
        name = "plane-geometry"

    with pytest.raises(ValueError, match="already registered"):
        registry.register(Other)
    with pytest.raises(TypeError):
        registry.register(int)


def test_example_plugin_is_found_through_its_entry_point(tmp_path, monkeypatch):
    # Install the example plugin the way pip would: a dist-info with entry_points.txt.
    dist = tmp_path / "mavis_example_plugin-0.1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: mavis-example-plugin\nVersion: 0.1.0\n"
    )
    (dist / "entry_points.txt").write_text(
        "[mavis_engine.generators]\nquadrilaterals = mavis_example_plugin:Quadrilaterals\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.syspath_prepend(str(EXAMPLE_PLUGIN))
    monkeypatch.setattr(registry, "_plugins_loaded", False)
    monkeypatch.setattr(registry, "_generators", dict(registry._generators))
    assert "quadrilaterals" in registry.names()
    gen = registry.get("quadrilaterals")()
    sample = gen.sample(0, 1)
    kinds = {s["kind"] for s in sample.figure["shapes"]} - {"inscribed_circle"}
    assert kinds <= {"square", "rectangle", "parallelogram", "rhombus", "trapezoid"}
    sys.modules.pop("mavis_example_plugin", None)


def test_a_broken_plugin_is_skipped_with_a_warning(tmp_path, monkeypatch):
    dist = tmp_path / "broken-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: broken\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[mavis_engine.generators]\nbroken = no_such_mod:X\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(registry, "_plugins_loaded", False)
    monkeypatch.setattr(registry, "_generators", dict(registry._generators))
    with pytest.warns(UserWarning, match="skipping generator plugin 'broken'"):
        names = registry.names()
    assert "broken" not in names and "plane-geometry" in names


def test_a_domain_is_imported_only_when_asked_for():
    # A run of one domain should not pay for importing the others (start-up is a tenth of
    # a short run); the package's names still resolve, lazily.
    code = (
        "import sys; from mavis_engine import registry; registry.get('plane-geometry');"
        "print(sorted(m for m in sys.modules if m.startswith('mavis_engine.') and "
        "m.split('.')[1] in ('analytic', 'functions', 'solid', 'plane', 'mix')));"
        "import mavis_engine; assert mavis_engine.SolidGeometry.name == 'solid-geometry'"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = eval(out.stdout)  # a printed list of module names
    assert "mavis_engine.plane.generator" in loaded
    assert not [m for m in loaded if not m.startswith("mavis_engine.plane")]
    assert "all" in registry.names() and "solid-geometry" in registry.names()


def test_a_plugin_may_not_take_a_builtin_name():
    class Impostor(PlaneGeometry):
        name = "solid-geometry"

    with pytest.raises(ValueError, match="already registered"):
        registry.register(Impostor)
