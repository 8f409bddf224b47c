"""The layout of `proctor.server.services` (issue 15): the package is a table of contents
that imports none of its modules, its modules import each other directly and without
cycles, plumbing stays behind the services' edge, and every module says what it is.

Imports are read from the source with `ast`, not from the modules' attributes, so the
rules hold for imports inside functions and under TYPE_CHECKING too.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import proctor

SRC = Path(proctor.__file__).parent.parent
SERVICES = SRC / "proctor" / "server" / "services"
PLUMBING = "proctor.server.services.plumbing"
# Outside services/, only these speak plumbing's records, checks and batch inputs: the
# API at the services' edge, auth (ids and names checked like every other argument) and
# the background jobs that drive the scheduler and retention.
MAY_USE_PLUMBING = (
    "proctor.server.services",
    "proctor.server.api",
    "proctor.server.auth",
    "proctor.server.background",
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_modules() -> dict[str, Path]:
    return {module_name(p): p for p in (SRC / "proctor").rglob("*.py")}


def imported_names(node: ast.AST, package: str) -> Iterator[str]:
    """Every module an import statement names: `from a import b` names `a` and `a.b`."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            base = f"{anchor}.{base}" if base else anchor
        yield base
        yield from (f"{base}.{alias.name}" for alias in node.names)


def package_of(name: str, path: Path) -> str:
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def is_type_checking(node: ast.stmt) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(test or node)


def import_time_imports(path: Path, name: str) -> set[str]:
    """What a module imports when it is imported: module-level statements (inside `try`
    and plain `if` too), not function bodies nor TYPE_CHECKING blocks."""
    found: set[str] = set()
    stack: list[ast.stmt] = list(ast.parse(path.read_text()).body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.update(imported_names(node, package_of(name, path)))
        elif isinstance(node, ast.If) and not is_type_checking(node):
            stack.extend(node.body + node.orelse)
        elif isinstance(node, ast.Try):
            stack.extend(node.body + node.orelse + node.finalbody)
            for handler in node.handlers:
                stack.extend(handler.body)
    return found


def with_parents(name: str) -> set[str]:
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts) + 1)}


def expected_closure(start: str) -> set[str]:
    """The proctor modules importing `start` must load: its imports, theirs, and the
    packages on the way, each package's own __init__ imports included."""
    modules = source_modules()
    seen: set[str] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        for candidate in with_parents(name):
            if candidate in seen or candidate not in modules:
                continue
            seen.add(candidate)
            todo.extend(
                imported
                for imported in import_time_imports(modules[candidate], candidate)
                if imported in modules
            )
    return seen


def loaded_in_fresh_interpreter(module: str) -> set[str]:
    code = (
        "import importlib, json, sys\n"
        f"importlib.import_module({module!r})\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('proctor.'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(out.stdout))


def services_only(names: set[str]) -> set[str]:
    return {n for n in names if n.startswith("proctor.server.services")}


@pytest.mark.parametrize(
    "module", ["proctor.server.services.attempts", "proctor.server.services.projects"]
)
def test_importing_one_services_module_loads_only_what_it_imports(module):
    loaded = services_only(loaded_in_fresh_interpreter(module))
    assert module in loaded
    # Nothing beyond the module's own import chain: no package __init__ drags in siblings.
    assert loaded <= services_only(expected_closure(module)), sorted(
        loaded - expected_closure(module)
    )
    # Named by hand: big domain modules neither of these two uses.
    for unrelated in ("flow_runs", "task_runs", "agents", "secrets", "alerting"):
        assert f"proctor.server.services.{unrelated}" not in loaded


def test_the_services_package_imports_none_of_its_modules():
    tree = ast.parse((SERVICES / "__init__.py").read_text())
    statements = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    assert statements == []


def test_plumbing_is_reached_only_from_the_services_edge():
    offenders = []
    for name, path in source_modules().items():
        if name.startswith(MAY_USE_PLUMBING):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            for imported in imported_names(node, package_of(name, path)):
                if imported == PLUMBING or imported.startswith(PLUMBING + "."):
                    offenders.append(f"{name} imports {imported}")
    assert offenders == []


def test_every_services_module_has_a_docstring():
    missing = [
        str(path.relative_to(SERVICES))
        for path in sorted(SERVICES.rglob("*.py"))
        if not (ast.get_docstring(ast.parse(path.read_text())) or "").strip()
    ]
    assert missing == []


def test_the_table_of_contents_names_every_module_and_only_those():
    doc = ast.get_docstring(ast.parse((SERVICES / "__init__.py").read_text())) or ""
    listed = set(re.findall(r"^    (\w+/?)  ", doc, flags=re.M))
    present = {p.stem for p in SERVICES.glob("*.py") if p.name != "__init__.py"} | {
        f"{p.name}/" for p in SERVICES.iterdir() if (p / "__init__.py").exists()
    }
    assert listed == present


def test_services_modules_import_each_other_without_cycles():
    modules = {n: p for n, p in source_modules().items() if n.startswith("proctor.server.services")}
    graph = {
        name: {i for i in import_time_imports(path, name) if i in modules and i != name}
        for name, path in modules.items()
    }
    cycles: list[list[str]] = []
    state: dict[str, str] = {}

    def walk(name: str, path: list[str]) -> None:
        state[name] = "open"
        for imported in sorted(graph[name]):
            if state.get(imported) == "open":
                cycles.append([*path[path.index(imported) :], imported])
            elif imported not in state:
                walk(imported, [*path, imported])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            walk(name, [name])
    assert cycles == []
