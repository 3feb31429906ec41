"""Registry of generators: explicit registration, duplicates refused, plugins by entry point.

The built-in generators are named here by module path and imported when first asked for, so
this module depends on nothing but the Generator base, and a run of one domain does not pay
for importing the others (a twentieth of a short run's CPU time in a fresh process). A
third-party package makes its generator available to ``mavis-engine`` by declaring it in
the ``mavis_engine.generators`` entry-point group (see ``examples/plugin``).
"""

from __future__ import annotations

import importlib
import warnings
from importlib.metadata import entry_points

from mavis_engine.generator import Generator

ENTRY_POINT_GROUP = "mavis_engine.generators"

BUILTINS = {
    "plane-geometry": "mavis_engine.plane.generator:PlaneGeometry",
    "function": "mavis_engine.functions.generator:FunctionPlot",
    "analytic-geometry": "mavis_engine.analytic.generator:AnalyticGeometry",
    "solid-geometry": "mavis_engine.solid.generator:SolidGeometry",
    "all": "mavis_engine.mix:AllDomains",
}

_generators: dict[str, type[Generator]] = {}
_plugins_loaded = False


def register(cls: type[Generator]) -> type[Generator]:
    """Register a Generator subclass under its ``name`` (usable as a class decorator)."""
    if not (isinstance(cls, type) and issubclass(cls, Generator)):
        raise TypeError(f"{cls!r} is not a Generator subclass")
    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not name:
        raise ValueError(f"{cls.__name__} needs a non-empty class attribute 'name'")
    builtin = BUILTINS.get(name, f"{cls.__module__}:{cls.__qualname__}")
    taken = name in _generators and _generators[name] is not cls
    if taken or builtin != f"{cls.__module__}:{cls.__qualname__}":
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
    if name not in _generators and name in BUILTINS:
        module, _, attr = BUILTINS[name].partition(":")
        register(getattr(importlib.import_module(module), attr))
    try:
        return _generators[name]
    except KeyError:
        known = ", ".join(names()) or "none"
        raise KeyError(f"unknown generator {name!r}; registered: {known}") from None


def names() -> list[str]:
    """Names of all registered generators, sorted."""
    _load_plugins()
    return sorted(set(_generators) | set(BUILTINS))
