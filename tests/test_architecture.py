"""The layer rule of docs/architecture.md, read from the imports (lazy ones included):
core <- services <- domains <- orchestration, domains never import each other, and no
import cycles in mavis_engine or mavis_train."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent

# Top-level names of mavis_engine, by layer (a module may import its own layer and below).
LAYERS = {
    "core": {
        "_version",
        "answers",
        "errors",
        "exact",
        "export",
        "figure",
        "generator",
        "manifest",
        "reading",
        "rng",
        "rowcheck",
    },
    "services": {"problem_rows", "render", "text"},
    "domains": {"analytic", "functions", "plane", "solid"},
    "orchestration": {
        "__init__",
        "card",
        "check_run",
        "cli",
        "cli_run",
        "mix",
        "pipeline",
        "ray_backend",
        "registry",
        "stats",
        "verify",
    },
}
RANK = {layer: rank for rank, layer in enumerate(LAYERS)}


def _modules(package: str) -> dict[str, Path]:
    out = {}
    for path in (ROOT / package).rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The project modules ``name`` imports, anywhere in its body; ``from pkg import x``
    counts as importing ``pkg.x`` when that is a module."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in known else base)
    return {m for m in found if m in known and m != name}


def _graph(package: str) -> dict[str, set[str]]:
    known = _modules(package)
    return {name: _imports(name, path, known) for name, path in known.items()}


def _layer(module: str) -> tuple[str, str]:
    top = module.split(".")[1] if "." in module else "__init__"
    for layer, names in LAYERS.items():
        if top in names:
            return layer, top
    raise AssertionError(f"{module} is in no layer: add it to LAYERS (and the docs)")


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    """Imports upward, or from one domain into another."""
    broken = []
    for module, imported in graph.items():
        layer, top = _layer(module)
        for target in imported:
            target_layer, target_top = _layer(target)
            upward = RANK[target_layer] > RANK[layer]
            sideways = layer == target_layer == "domains" and top != target_top
            if upward or sideways:
                broken.append(f"{module} ({layer}) imports {target} ({target_layer})")
    return sorted(broken)


def cycles(graph: dict[str, set[str]]) -> list[str]:
    """Import cycles, each written as the path that closes it."""
    found, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append(" -> ".join([*path[path.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_every_import_follows_the_layer_rule():
    assert not layer_violations(_graph("mavis_engine")), "\n".join(
        layer_violations(_graph("mavis_engine"))
    )


@pytest.mark.parametrize("package", ["mavis_engine", "mavis_train"])
def test_no_import_cycles(package):
    graph = _graph(package)
    # The package re-exports its modules; a module importing a sibling through it counts
    # as importing the sibling, so the package's own node is left out.
    graph.pop(package, None)
    assert not cycles(graph), "\n".join(cycles(graph))


def test_the_checks_catch_what_they_look_for():
    """On a made-up graph: an upward import, a domain importing another, and a cycle."""
    graph = {
        "mavis_engine.exact": {"mavis_engine.verify"},
        "mavis_engine.plane.build": {"mavis_engine.analytic.figures"},
        "mavis_engine.analytic.figures": {"mavis_engine.exact"},
        "mavis_engine.verify": {"mavis_engine.exact"},
    }
    assert layer_violations(graph) == [
        "mavis_engine.exact (core) imports mavis_engine.verify (orchestration)",
        "mavis_engine.plane.build (domains) imports mavis_engine.analytic.figures (domains)",
    ]
    assert cycles(graph) == ["mavis_engine.exact -> mavis_engine.verify -> mavis_engine.exact"]
    # Relative imports and `from package import module` resolve to the module.
    imported = _graph("mavis_engine")["mavis_engine.mix"]
    assert "mavis_engine.registry" in imported and "mavis_engine" not in imported
