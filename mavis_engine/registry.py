"""Registry of generators: explicit registration, duplicates refused, plugins by entry point.

The built-in generators are registered by the package (``mavis_engine/__init__.py``), so
this module depends on nothing but the Generator base. A third-party package makes its
generator available to ``mavis-engine`` by declaring it in the ``mavis_engine.generators``
entry-point group (see ``examples/plugin``).
"""

from __future__ import annotations

import warnings
from importlib.metadata import entry_points

from mavis_engine.generator import Generator

ENTRY_POINT_GROUP = "mavis_engine.generators"

_generators: dict[str, type[Generator]] = {}
_plugins_loaded = False


def register(cls: type[Generator]) -> type[Generator]:
    """Register a Generator subclass under its ``name`` (usable as a class decorator)."""
    if not (isinstance(cls, type) and issubclass(cls, Generator)):
        raise TypeError(f"{cls!r} is not a Generator subclass")
    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not name:
        raise ValueError(f"{cls.__name__} needs a non-empty class attribute 'name'")
    if name in _generators and _generators[name] is not cls:
        raise ValueError(f"a generator named {name!r} is already registered")
    _generators[name] = cls
    return cls


def _load_plugins() -> None:
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            cls = ep.load()
            if getattr(cls, "name", None) != ep.name:
                raise ValueError(f"entry point {ep.name!r} loads a generator named {cls.name!r}")
            register(cls)
        except Exception as exc:  # a broken plugin must not take the engine down
            warnings.warn(f"skipping generator plugin {ep.name!r}: {exc}", stacklevel=2)


def get(name: str) -> type[Generator]:
    """The generator class registered as ``name``."""
    _load_plugins()
    try:
        return _generators[name]
    except KeyError:
        known = ", ".join(sorted(_generators)) or "none"
        raise KeyError(f"unknown generator {name!r}; registered: {known}") from None


def names() -> list[str]:
    """Names of all registered generators, sorted."""
    _load_plugins()
    return sorted(_generators)
