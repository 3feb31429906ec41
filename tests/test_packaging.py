"""The wheel ships what an installed engine needs: the top-level templates/ folder as
mavis_engine/templates (setup.py maps it), the solved formula table."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_the_wheel_carries_every_template(tmp_path):
    # Built from a clean copy: setuptools builds in the source tree and would leave a build/
    # folder behind, whose stale files a later wheel would carry.
    source = tmp_path / "source"
    skip = shutil.ignore_patterns(".git", "build", "dist", "*.egg-info", "__pycache__", "*.png")
    shutil.copytree(ROOT, source, ignore=skip)
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet"]
    subprocess.run(
        [*pip, str(source), "--wheel-dir", str(tmp_path)],
        check=True,
        cwd=tmp_path,
    )
    (wheel,) = tmp_path.glob("mavis_engine-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "templates").rglob("*.j2"))
    assert len(templates) > 20
    missing = [t for t in templates if f"mavis_engine/{t}" not in names]
    assert not missing
    assert "mavis_engine/plane/solved_formulas.json" in names
    assert not [n for n in names if n.startswith("templates/")]  # not a top-level package
