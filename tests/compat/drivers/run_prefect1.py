"""Run corpus files under the 1.x reference engine: `python run_prefect1.py OUT_DIR FILE...`.

Runs in the reference interpreter (the Prefect 1.4.1 venv) and never imports proctor. The
caller sets PREFECT__FLOWS__CHECKPOINTING=true (results kept in states) and
PREFECT__FLOWS__RUN_ON_SCHEDULE=false (a flow with a schedule runs once, now).
"""

from __future__ import annotations

import runpy
import sys
from typing import Any

import prefect  # imported once here; each file then runs in a forked child
from normalise import find_flow, run_each, task_runs
from prefect.tasks.core.collections import Dict, List, Set, Tuple
from prefect.tasks.core.constants import Constant

# The tasks 1.x adds by itself to carry a value or a collection into a task.
HELPERS = (Constant, List, Tuple, Dict, Set)


def run_one(path: str) -> dict[str, Any]:
    namespace = runpy.run_path(path, run_name="__corpus__")
    flow = find_flow(namespace)
    state = flow.run(parameters=namespace.get("PARAMETERS", {}))
    results = state.result if isinstance(state.result, dict) else {}
    slugs = flow.slugs
    return {
        "engine": f"prefect {prefect.__version__}",
        "flow": type(state).__name__,
        "tasks": task_runs(
            results,
            lambda task: (task.name, slugs.get(task, task.name)),
            lambda task: isinstance(task, HELPERS),
        ),
    }


if __name__ == "__main__":
    run_each(sys.argv[2:], sys.argv[1], run_one)
