"""The build's one step beyond pyproject.toml: the top-level ``templates/`` folder ships
inside the wheel as ``mavis_engine/templates`` (package data cannot live outside its
package, and the project keeps templates beside ``mavis_engine/``, not in it)."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

TEMPLATES = Path(__file__).parent / "templates"


class BuildPyWithTemplates(build_py):
    """``build_py`` that also copies ``templates/**`` into the built package."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "mavis_engine" / "templates"
        for source in sorted(TEMPLATES.rglob("*.j2")):
            self.mkpath(str(target / source.parent.relative_to(TEMPLATES)))
            self.copy_file(str(source), str(target / source.relative_to(TEMPLATES)))


setup(cmdclass={"build_py": BuildPyWithTemplates})
