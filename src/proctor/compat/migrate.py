"""Rewrite the imports of 1.x flow files for Proctor, with a real parser.

The rule is one mechanical rename of the top-level module, `prefect` -> `proctor`, in
import lines and in the names those imports bind:

- `from prefect.x import y` -> `from proctor.x import y` (the names it binds are unchanged);
- `import prefect.x as p` -> `import proctor.x as p` (the alias is unchanged);
- `import prefect` / `import prefect.x` -> `import proctor` / `import proctor.x`, and every
  use of the name `prefect` that this import binds (`prefect.context.get(...)`) becomes
  `proctor` too. Scope analysis decides which uses those are, so a parameter or a local
  variable that happens to be called `prefect` is left alone.

Nothing else changes: strings, comments, blank lines and formatting are kept byte for byte
(libcst keeps the concrete syntax tree), so the rewrite is idempotent and a second pass has
nothing to do. The same pass lists every use of a 1.x API that Proctor does not offer (the
table in `proctor.compat.not_offered`).

This module only plans and applies rewrites; the `proctor migrate` command prints them.
"""

from __future__ import annotations

import ast
import difflib
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import libcst as cst
from libcst.metadata import (
    MetadataWrapper,
    PositionProvider,
    QualifiedName,
    QualifiedNameProvider,
    ScopeProvider,
)

from proctor.compat.not_offered import NOT_OFFERED, NotOffered

OLD = "prefect"
NEW = "proctor"

# Directories that hold someone else's code or tooling, never the project's flows.
SKIPPED_DIRECTORIES = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", "__pycache__", "node_modules", "site-packages"}
)
PYTHON_SUFFIXES = frozenset({".py", ".pyi"})


class MigrateError(Exception):
    """A path that does not exist or a file that does not parse: nothing is written."""


@dataclass(frozen=True)
class UnsupportedUse:
    """One use of a 1.x API that Proctor does not offer, where it is, and what to use."""

    path: Path
    line: int
    column: int
    name: str
    instead: str


@dataclass
class FileMigration:
    """What migrating one file means: its text before and after, and what is not offered."""

    path: Path
    before: str
    after: str
    unsupported: list[UnsupportedUse] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def changed_lines(self) -> list[int]:
        """The 1-based line numbers (in the original) that the rewrite changes."""
        lines: list[int] = []
        matcher = difflib.SequenceMatcher(
            a=self.before.splitlines(), b=self.after.splitlines(), autojunk=False
        )
        for tag, start, end, _, _ in matcher.get_opcodes():
            if tag != "equal":
                lines.extend(range(start + 1, end + 1))
        return lines

    def diff(self) -> str:
        """A unified diff of the rewrite (empty when nothing changes)."""
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                fromfile=f"a/{self.path}",
                tofile=f"b/{self.path}",
            )
        )


@dataclass
class MigrationPlan:
    """Every file found under the given paths, and the paths ignored (not Python)."""

    files: list[FileMigration]
    ignored: list[Path]

    @property
    def to_rewrite(self) -> list[FileMigration]:
        return [item for item in self.files if item.changed]

    @property
    def unsupported(self) -> list[UnsupportedUse]:
        return [use for item in self.files for use in item.unsupported]

    def write(self) -> list[Path]:
        """Write the rewritten files; return the paths written."""
        written: list[Path] = []
        for item in self.to_rewrite:
            # newline="" keeps the file's own line endings: the text came in untranslated.
            with item.path.open("w", encoding="utf-8", newline="") as handle:
                handle.write(item.after)
            written.append(item.path)
        return written


def _top_binding(alias: cst.ImportAlias) -> str | None:
    """The name an `import a.b.c` alias binds when it has no `as`: `a`."""
    if alias.asname is not None:
        return None
    node: cst.BaseExpression = alias.name
    while isinstance(node, cst.Attribute):
        node = node.value
    return node.value if isinstance(node, cst.Name) else None


def _leftmost_name(node: cst.CSTNode) -> cst.Name | None:
    while isinstance(node, cst.Attribute):
        node = node.value
    return node if isinstance(node, cst.Name) else None


def _renamed_module(node: cst.Attribute | cst.Name) -> cst.Attribute | cst.Name:
    """`prefect.x.y` -> `proctor.x.y`, `prefect` -> `proctor`; anything else unchanged."""
    if isinstance(node, cst.Name):
        return node.with_changes(value=NEW) if node.value == OLD else node
    inner = node.value
    if isinstance(inner, cst.Name | cst.Attribute):
        return node.with_changes(value=_renamed_module(inner))
    return node


def _only_the_1x_client(node: cst.ImportFrom) -> bool:
    """`from prefect.client import Client [as C]`, and nothing else from that module."""
    module = node.module
    if not (
        isinstance(module, cst.Attribute)
        and isinstance(module.value, cst.Name)
        and module.value.value == OLD
        and module.attr.value == "client"
    ):
        return False
    if isinstance(node.names, cst.ImportStar):
        return False
    return all(
        isinstance(alias.name, cst.Name) and alias.name.value == "Client" for alias in node.names
    )


class _Renamer(cst.CSTTransformer):
    """Renames the module in imports and the names that `import prefect[...]` binds."""

    def __init__(self, bound_names: set[int]) -> None:
        super().__init__()
        self._bound_names = bound_names  # id() of the Name nodes that refer to the import

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom:
        module = updated_node.module
        if module is None or updated_node.relative:
            return updated_node
        if _only_the_1x_client(updated_node):
            # `proctor.client.Client` is Proctor's own client; the 1.x one is proctor's.
            return updated_node.with_changes(module=cst.Name(NEW))
        return updated_node.with_changes(module=_renamed_module(module))

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> cst.Import:
        names = [
            alias.with_changes(name=_renamed_module(alias.name)) for alias in updated_node.names
        ]
        return updated_node.with_changes(names=names)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        if id(original_node) in self._bound_names:
            return updated_node.with_changes(value=NEW)
        return updated_node


def _bound_name_uses(wrapper: MetadataWrapper) -> set[int]:
    """The Name nodes whose value is the module that `import prefect[...]` bound."""
    found: set[int] = set()
    scopes = wrapper.resolve(ScopeProvider)
    for scope in {id(scope): scope for scope in scopes.values() if scope is not None}.values():
        for assignment in scope.assignments:
            node = getattr(assignment, "node", None)
            if not isinstance(node, cst.Import):
                continue
            binds_old = any(_top_binding(alias) == OLD for alias in node.names)
            if not binds_old or assignment.name.split(".")[0] != OLD:
                continue
            for reference in assignment.references:
                name = _leftmost_name(reference.node)
                if name is not None and name.value == OLD:
                    found.add(id(name))
    return found


class _UnsupportedFinder(cst.CSTVisitor):
    """Collects uses of names in the not-offered table, by their qualified names."""

    METADATA_DEPENDENCIES = (QualifiedNameProvider, PositionProvider)

    def __init__(self, path: Path, table: Sequence[NotOffered]) -> None:
        super().__init__()
        self.path = path
        self.table = table
        self.uses: list[UnsupportedUse] = []
        self._reported: set[tuple[int, str]] = set()

    def _match(self, qualified: str) -> NotOffered | None:
        root, _, rest = qualified.partition(".")
        if root not in (OLD, NEW):
            return None
        as_old = f"{OLD}.{rest}" if rest else OLD
        for entry in self.table:
            if as_old == entry.name or as_old.startswith(entry.name + "."):
                if root == NEW and not entry.after_migration:
                    continue
                return entry
        return None

    def _check(self, node: cst.CSTNode) -> bool:
        names = cast(
            "set[QualifiedName]",
            self.get_metadata(QualifiedNameProvider, node, set()),
        )
        for qualified in sorted(names, key=lambda q: q.name):
            entry = self._match(qualified.name)
            if entry is None:
                continue
            position = self.get_metadata(PositionProvider, node).start
            if (position.line, entry.name) not in self._reported:
                self._reported.add((position.line, entry.name))
                self.uses.append(
                    UnsupportedUse(
                        self.path, position.line, position.column + 1, entry.name, entry.instead
                    )
                )
            return True
        return False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        # The outermost match is the one to report: `prefect.backend.set_key_value` once,
        # not again for `prefect.backend`.
        return not self._check(node)

    def visit_Name(self, node: cst.Name) -> None:
        self._check(node)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return False
        module = cst.Module([]).code_for_node(node.module)
        for alias in node.names:
            imported = cst.Module([]).code_for_node(alias.name)
            entry = self._match(f"{module}.{imported}")
            if entry is not None:
                position = self.get_metadata(PositionProvider, alias).start
                self._reported.add((position.line, entry.name))
                self.uses.append(
                    UnsupportedUse(
                        self.path, position.line, position.column + 1, entry.name, entry.instead
                    )
                )
        return False  # the names it binds are checked where they are used

    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            entry = self._match(cst.Module([]).code_for_node(alias.name))
            if entry is not None:
                position = self.get_metadata(PositionProvider, alias).start
                self._reported.add((position.line, entry.name))
                self.uses.append(
                    UnsupportedUse(
                        self.path, position.line, position.column + 1, entry.name, entry.instead
                    )
                )
        return False


def migrate_source(
    source: str, path: Path | None = None, table: Sequence[NotOffered] = NOT_OFFERED
) -> FileMigration:
    """Plan the rewrite of one file's text. Raises `MigrateError` when it does not parse."""
    shown = path if path is not None else Path("<source>")
    try:
        # Python's own parser words syntax errors best (line, column, what is wrong).
        ast.parse(source, filename=str(shown))
    except SyntaxError as error:
        raise MigrateError(
            f"{shown}:{error.lineno}:{error.offset}: not valid Python ({error.msg}); "
            "fix the file and run proctor migrate again"
        ) from None
    except ValueError as error:  # NUL bytes in the source
        raise MigrateError(f"{shown}: not valid Python ({error}); fix the file first") from None
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        raise MigrateError(
            f"{shown}:{error.raw_line}:{error.raw_column + 1}: cannot be parsed "
            f"({error.message.rstrip('.')}); fix the file and run proctor migrate again"
        ) from None
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    finder = _UnsupportedFinder(shown, table)
    wrapper.visit(finder)
    rewritten = wrapper.module.visit(_Renamer(_bound_name_uses(wrapper)))
    return FileMigration(shown, source, rewritten.code, finder.uses)


def _is_skipped_directory(name: str) -> bool:
    return name in SKIPPED_DIRECTORIES or (name.startswith(".") and name not in (".", ".."))


def _walk(directory: Path) -> Iterator[Path]:
    for root, directories, files in os.walk(directory):
        directories[:] = sorted(name for name in directories if not _is_skipped_directory(name))
        for name in sorted(files):
            if Path(name).suffix in PYTHON_SUFFIXES:
                yield Path(root) / name


def find_files(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """The Python files under `paths` (in order, once each), and the paths ignored.

    A file given by name that is not Python is ignored, not an error: a shell glob such as
    `flows/*` may well include a README. A path that does not exist is an error.
    """
    files: list[Path] = []
    ignored: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if not path.exists():
            raise MigrateError(f"{path}: no such file or directory; give files or directories")
        found = list(_walk(path)) if path.is_dir() else [path]
        for item in found:
            if item.suffix not in PYTHON_SUFFIXES:
                ignored.append(item)
                continue
            key = item.resolve()
            if key not in seen:
                seen.add(key)
                files.append(item)
    return files, ignored


def read_source(path: Path) -> str:
    """A file's text, line endings untouched. Raises `MigrateError` if it is not UTF-8 text."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return handle.read()
    except UnicodeDecodeError:
        raise MigrateError(f"{path}: not UTF-8 text; save it as UTF-8 first") from None
    except OSError as error:
        raise MigrateError(f"{path}: cannot read it ({error.strerror})") from None


def plan_migration(
    paths: Iterable[Path], table: Sequence[NotOffered] = NOT_OFFERED
) -> MigrationPlan:
    """Read and plan every file under `paths`; raise `MigrateError` at the first bad one.

    Nothing is written here, so one file that does not parse leaves every file as it was.
    """
    files, ignored = find_files(paths)
    return MigrationPlan(
        [migrate_source(read_source(path), path, table) for path in files], ignored
    )


__all__ = [
    "FileMigration",
    "MigrateError",
    "MigrationPlan",
    "UnsupportedUse",
    "find_files",
    "migrate_source",
    "plan_migration",
    "read_source",
]
