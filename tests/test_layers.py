"""Nothing imports upward, and no two modules import each other (directly or in a ring).

Every ``import`` in dsbuild/ counts, the lazy ones inside functions too. A module's layer is its
first matching prefix in ``LAYERS``; a module may import its own layer or a lower one.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "dsbuild"

# Lowest first. Prefixes are dotted module names without the leading "dsbuild.".
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("__init__", "lean_imports", "errors", "fs", "jsonio", "textnorm", "timeparse", "hashing", "counters",
              "table", "records", "sinks.layout", "sinks.jsonl", "sinks.card_merge", "samples",
              "jsondepth", "interrupt", "safepaths", "secret")),
    ("config", ("config",)),
    ("domain", ("convocore", "stages", "targets", "tokens")),
    ("output", ("report", "sinks")),
    ("engine", ("process", "engines")),
    ("steps", ("steps",)),
    ("pipeline", ("pipeline",)),
    ("app", ("make", "summary", "load", "smoke_model")),
    ("cli", ("cli", "cli_progress", "__main__")),
]


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" and len(rel.parts) > 1 else rel.parts
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports(path: Path, known: set[str]) -> set[str]:
    """dsbuild modules imported by ``path`` (``from pkg import mod`` counts as ``pkg.mod``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}".removeprefix("dsbuild.")
                     in known else node.module for a in node.names]
        for name in names:
            if name == "dsbuild" or name.startswith("dsbuild."):
                found.add(name.removeprefix("dsbuild").removeprefix(".") or "__init__")
    return found


def layer_of(module: str) -> int:
    for rank, (_, prefixes) in enumerate(LAYERS):
        if any(module == p or module.startswith(f"{p}.") for p in prefixes):
            return rank
    raise AssertionError(f"dsbuild.{module} is in no layer: add it to LAYERS")


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {m: imports(p, set(mods)) - {m} for m, p in mods.items()}


def test_no_module_imports_a_higher_layer() -> None:
    upward = [f"dsbuild.{m} ({LAYERS[layer_of(m)][0]}) imports dsbuild.{d} ({LAYERS[layer_of(d)][0]})"
              for m, deps in graph().items() for d in sorted(deps) if layer_of(d) > layer_of(m)]
    assert upward == [], "\n".join(upward)


def test_no_import_cycles() -> None:
    g = graph()
    # A package's __init__ may re-export its submodules; a submodule importing its own package
    # __init__ back would be a ring and is caught below.
    state: dict[str, int] = {}
    rings: list[list[str]] = []

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for d in sorted(g.get(m, ())):
            if state.get(d) == 1:
                rings.append(path[path.index(d):] + [d] if d in path else [m, d])
            elif d not in state:
                visit(d, [*path, d])
        state[m] = 2

    for m in sorted(g):
        if m not in state:
            visit(m, [m])
    assert rings == [], rings


def test_the_named_upward_imports_are_gone() -> None:
    g = graph()
    assert not g["config"] & {"convocore.client", "sinks.layout", "targets"}
    assert "sinks.outdir" not in g["convocore.cache"]
    assert "load" not in g["sinks.hub_files"]
    assert "convocore.shards" not in g["convocore.export_file"]


def test_pipeline_functions_are_short() -> None:
    """The build reads as a list of steps: no function in the composition over 40 lines."""
    tree = ast.parse((PACKAGE / "pipeline.py").read_text(encoding="utf-8"))
    long = [(n.name, n.end_lineno - n.lineno + 1) for n in ast.walk(tree)
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.end_lineno
            and n.end_lineno - n.lineno + 1 > 40]
    assert long == []
