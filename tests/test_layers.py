"""The layering of DESIGN.md, checked statically by the import contracts in pyproject.toml.

`import-linter` reads every import statement of the package (module level, inside
functions, under TYPE_CHECKING), so an upward import that only runs when a function is
called breaks the suite as surely as one at the top of a module. The runtime checks in
tests/test_public_api.py (what `import proctor` loads) stay: they see what a process
actually pulls in, these see what the code could pull in.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
PYPROJECT = REPOSITORY / "pyproject.toml"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(package_parent: Path, workdir: Path) -> subprocess.CompletedProcess[str]:
    """Run the contracts of pyproject.toml against the `proctor` package in package_parent."""
    environment = dict(os.environ, PYTHONPATH=str(package_parent))
    return subprocess.run(
        # No cache: it would be written into the working directory and could hide an edit.
        [str(LINT_IMPORTS), "--no-cache", str(PYPROJECT)],
        cwd=workdir,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_layer_contracts_hold() -> None:
    result = _lint_imports(REPOSITORY / "src", REPOSITORY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout, result.stdout


def test_an_upward_import_inside_a_function_breaks_the_core_contract(tmp_path: Path) -> None:
    # A copy of the package with one import that runs only when a function is called.
    copy = tmp_path / "src"
    shutil.copytree(
        REPOSITORY / "src" / "proctor",
        copy / "proctor",
        ignore=shutil.ignore_patterns("__pycache__", "ui_dist"),
    )
    states = copy / "proctor" / "core" / "states.py"
    states.write_text(
        states.read_text()
        + "\n\ndef _reaches_up() -> None:\n    import proctor.server.app  # noqa: F401\n"
    )

    result = _lint_imports(copy, tmp_path)

    assert result.returncode != 0, result.stdout
    assert "proctor.core is not allowed to import proctor.server" in result.stdout
    assert "proctor.core.states -> proctor.server.app" in result.stdout
