"""Find the flows defined in a Python file or module.

Used by `proctor run-local`, `proctor register` and by flow storage when an agent's run
process loads a registered flow. Loading a file executes it (that is how Python defines
things), so errors in the user's file are reported with the file name and the original
message rather than a bare traceback.
"""

from __future__ import annotations

import importlib
import runpy
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from proctor.core.errors import FlowLoadError

if TYPE_CHECKING:
    from proctor.core.flow import Flow


def _flows_in_namespace(namespace: dict[str, Any]) -> dict[str, Flow]:
    from proctor.core.flow import Flow

    flows: dict[str, Flow] = {}
    for value in namespace.values():
        if isinstance(value, Flow):
            flows.setdefault(value.name, value)
    return flows


def load_flows_from_path(path: str | Path) -> dict[str, Flow]:
    """Execute a Python file and return the flows it defines, keyed by flow name."""
    file = Path(path)
    if not file.is_file():
        raise FlowLoadError(f"No such flow file: {file}. Check the path and try again.")
    # The file's own folder goes first on sys.path so it can import its sibling modules.
    folder = str(file.resolve().parent)
    added = folder not in sys.path
    if added:
        sys.path.insert(0, folder)
    try:
        namespace = runpy.run_path(str(file), run_name="__proctor_flow__")
    except SyntaxError as exc:
        raise FlowLoadError(
            f"{file} has a syntax error at line {exc.lineno}: {exc.msg}. Fix the file and retry."
        ) from exc
    except FlowLoadError:
        raise
    except Exception as exc:
        raise FlowLoadError(
            f"Loading {file} failed: {type(exc).__name__}: {exc}. Fix the error in the file."
        ) from exc
    finally:
        if added and folder in sys.path:
            sys.path.remove(folder)
    flows = _flows_in_namespace(namespace)
    if not flows:
        raise FlowLoadError(
            f"{file} defines no flow. Define one with `@flow` or `with Flow(...) as flow:`."
        )
    return flows


def load_flows_from_module(module_name: str) -> dict[str, Flow]:
    """Import a module by dotted name and return the flows it defines."""
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise FlowLoadError(
            f"Cannot import module {module_name!r}: {exc}. "
            "Is it installed in this environment, or on PYTHONPATH?"
        ) from exc
    except Exception as exc:
        raise FlowLoadError(
            f"Importing {module_name!r} failed: {type(exc).__name__}: {exc}."
        ) from exc
    flows = _flows_in_namespace(vars(module))
    if not flows:
        raise FlowLoadError(f"Module {module_name!r} defines no flow.")
    return flows


def select_flow(flows: dict[str, Flow], name: str | None, source: str) -> Flow:
    """Pick one flow by name; with no name, the only flow there is."""
    if name is not None:
        try:
            return flows[name]
        except KeyError:
            known = ", ".join(sorted(flows))
            raise FlowLoadError(
                f"{source} has no flow named {name!r}. Flows found: {known}."
            ) from None
    if len(flows) == 1:
        return next(iter(flows.values()))
    known = ", ".join(sorted(flows))
    raise FlowLoadError(f"{source} defines several flows ({known}); choose one with {source}:NAME.")
