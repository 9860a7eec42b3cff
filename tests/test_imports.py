"""Import structure: no cycles among spinlens modules, and a command line that starts
without loading the models, the store or the web stack."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import spinlens

SOURCE = Path(spinlens.__file__).parent
HEAVY = ("spacy", "onnxruntime", "sqlalchemy", "trafilatura", "fastapi", "pyarrow", "numpy")
"""Libraries that `spinlens --help` (or any command's --help) must not import."""
HELP_ARGS = [
    ["--help"],
    ["analyze", "--help"],
    ["search", "--help"],
    ["show", "--help"],
    ["export", "--help"],
    ["serve", "--help"],
    ["techniques", "classify", "--help"],
    ["claims", "score", "--help"],
    ["eval", "--help"],
    ["eval", "ptc", "--help"],
    ["eval", "attribution", "--help"],
    ["eval", "claims", "--help"],
    ["eval", "semeval23", "--help"],
]


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in SOURCE.rglob("*.py")}


def top_level_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """Imports run when the module loads: outside functions and classes' methods, and
    not under `if TYPE_CHECKING:`."""
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
            pending += node.orelse if name == "TYPE_CHECKING" else node.body + node.orelse
        elif isinstance(node, ast.Try):
            pending += node.body + node.orelse + node.finalbody
            pending += [stmt for handler in node.handlers for stmt in handler.body]
        elif isinstance(node, ast.With | ast.ClassDef):
            pending += node.body


def loaded_with(target: str, importer: str) -> set[str]:
    """What importing `target` from `importer` may run: the module and the packages above
    it (their __init__ runs first), less those above `importer`, already loaded by then."""
    parts = target.split(".")
    above = {".".join(parts[:i]) for i in range(1, len(parts))}
    return ({target} | {p for p in above if not importer.startswith(p + ".")}) & set(MODULES)


def imported_modules(module: str, path: Path) -> set[str]:
    """The spinlens modules that loading `module` imports directly."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in top_level_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found |= loaded_with(alias.name, module)
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join([*anchor, *([base] if base else [])])
        found |= loaded_with(base, module)
        for alias in node.names:
            found |= loaded_with(f"{base}.{alias.name}", module)
    return found - {module}


def import_graph() -> dict[str, set[str]]:
    return {module: imported_modules(module, path) for module, path in MODULES.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def describe(component: list[str], graph: dict[str, set[str]]) -> str:
    """The imports that close a cycle, as `a -> b` pairs."""
    members = set(component)
    return ", ".join(f"{a} -> {b}" for a in component for b in sorted(graph[a] & members))


def test_graph_has_the_imports_run_at_load_time():
    graph = import_graph()
    assert "spinlens.readers.base" in graph["spinlens.readers"]
    assert "spinlens.cli_options" in graph["spinlens.web.cli"]
    assert "spinlens.web.app" not in graph["spinlens.web.cli"]  # imported inside serve()
    assert "spinlens.workers" not in graph["spinlens.cli"]  # under TYPE_CHECKING


def test_graph_has_package_inits_run_by_an_import():
    graph = import_graph()
    assert "spinlens.evaluation" in graph["spinlens.attribution.cli"]
    # A sibling's import cannot run the package's __init__: it ran before either.
    assert "spinlens.readers" not in graph["spinlens.readers.jsonl"]
    assert "spinlens.readers.html" in graph["spinlens.readers.jsonl"]


def test_cycles_are_found():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycles():
    graph = import_graph()
    found = cycles(graph)
    assert not found, "import cycles: " + "; ".join(describe(c, graph) for c in found)


def test_help_imports_nothing_heavy():
    script = (
        "import json, sys\n"
        "from spinlens.cli import main\n"
        f"for args in {HELP_ARGS!r}:\n"
        "    assert main(args, standalone_mode=False) == 0, args\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    path = [str(SOURCE.parent), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env
    )
    assert json.loads(done.stdout.splitlines()[-1]) == []


def test_tests_import_their_helpers_by_module_name():
    """`make test` runs pytest with the tests folder on the path, not the repository:
    `from tests.x import …` works only under `python -m pytest`."""
    here = Path(__file__).parent
    offenders = [
        p.name
        for p in here.glob("*.py")
        if any(
            line.startswith(("from tests.", "import tests")) for line in p.read_text().splitlines()
        )
    ]
    assert offenders == []
