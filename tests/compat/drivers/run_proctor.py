"""Run migrated corpus files under Proctor: `python run_proctor.py OUT_DIR FILE...`.

The files were rewritten by `proctor migrate` first; this driver never imports prefect.
It reports in the same shape as `run_prefect1.py` (see `normalise`).
"""

from __future__ import annotations

import runpy
import sys
from typing import Any

from normalise import find_flow, run_each, task_runs

import proctor  # imported once here; each file then runs in a forked child

# The tasks Proctor adds by itself to carry a collection into a task, and `Constant`
# (1.x folds a Constant task into the task it feeds).
HELPERS = frozenset({"ToList", "ToTuple", "ToSet", "ToDict", "Constant"})


def run_one(path: str) -> dict[str, Any]:
    namespace = runpy.run_path(path, run_name="__corpus__")
    flow = find_flow(namespace)
    state = flow.run(parameters=namespace.get("PARAMETERS", {}))
    results = state.result if isinstance(state.result, dict) else {}
    return {
        "engine": f"proctor {proctor.__version__}",
        "flow": type(state).__name__,
        "tasks": task_runs(
            results,
            lambda node: (node.name, node.slug),
            lambda node: type(node.task).__name__ in HELPERS,
        ),
    }


if __name__ == "__main__":
    run_each(sys.argv[2:], sys.argv[1], run_one)
