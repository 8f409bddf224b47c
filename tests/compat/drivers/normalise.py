"""What both drivers report about a flow run, in one engine-neutral JSON shape.

Imported by the driver scripts in both interpreters (Proctor's and the 1.x reference's), so
it imports neither engine: it only reads states by duck typing (`type(state).__name__`,
`state.result`, `state.map_states`).

A task run's key is `NAME#N` (the N-th task of that name added to the flow, counted from 1,
in the order both engines number their slugs) and `NAME#N[i]` for the i-th mapped child.
The tasks an engine adds by itself to carry a plain value or a collection into a task (1.x
`Constant`, `List`, `Tuple`, `Dict`, `Set`; Proctor's `ToList`, ...) are left out on both
sides (each driver says which they are): their values reach the tasks they feed, whose
results are compared. 1.x also folds a user's `Constant` task into its consumer, so
`Constant` tasks are left out on both sides too.

An exception result is recorded as its class name and arguments, marked `engine` when the
engine raised it (a signal such as TRIGGERFAIL, whose message is the engine's own wording).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from typing import Any

ENGINES = frozenset({"prefect", "proctor"})
TIMEOUT_SECONDS = float(os.environ.get("COMPAT_DRIVER_TIMEOUT", "90"))


def slug_number(slug: str) -> int:
    """The counter at the end of a slug: `inc` 1 (Proctor's first), `inc-2` 2, `inc-1` 1."""
    _, _, number = slug.rpartition("-")
    return int(number) if number.isdigit() else 1


def value(result: Any) -> Any:
    """A JSON-able picture of a result that two engines producing equal values agree on."""
    if isinstance(result, BaseException):
        kind = type(result)
        return {
            "exception": kind.__name__,
            "args": [value(arg) for arg in result.args],
            "engine": kind.__module__.partition(".")[0] in ENGINES,
        }
    if type(result) in (list, tuple) and any(isinstance(item, BaseException) for item in result):
        # A mapped task's values with a signal among them (a skipped child's SKIP).
        return [value(item) for item in result]
    try:
        return json.loads(json.dumps(result, sort_keys=True))
    except Exception:  # not JSON (sets, objects, keys that do not sort): its repr then
        text = repr(result)
        if " at 0x" in text:  # an object's identity means nothing across engines
            return {"object": type(result).__name__}
        return {"repr": text}


def state_record(state: Any) -> dict[str, Any]:
    return {"state": type(state).__name__, "result": value(state.result)}


def task_runs(
    results: dict[Any, Any],
    name_and_slug: Callable[[Any], tuple[str, str]],
    is_helper: Callable[[Any], bool],
) -> dict[str, Any]:
    """Every task run of a flow run's `{task: state}`, by key, mapped children included."""
    numbered: dict[str, list[tuple[int, Any]]] = {}
    for task, state in results.items():
        if is_helper(task):
            continue
        name, slug = name_and_slug(task)
        numbered.setdefault(name, []).append((slug_number(slug), state))
    runs: dict[str, Any] = {}
    for name, states in numbered.items():
        for occurrence, (_, state) in enumerate(sorted(states, key=lambda item: item[0]), 1):
            add_runs(runs, f"{name}#{occurrence}", state)
    return dict(sorted(runs.items()))


def add_runs(runs: dict[str, Any], key: str, state: Any) -> None:
    """The task run's record under `key`, and its mapped children's under `key[i]`."""
    runs[key] = state_record(state)
    for index, child in enumerate(getattr(state, "map_states", None) or []):
        runs[f"{key}[{index}]"] = state_record(child)


def find_flow(namespace: dict[str, Any]) -> Any:
    """The corpus file's flow: the module-level `flow`, else its one Flow object."""
    if "flow" in namespace:
        return namespace["flow"]
    flows = [
        item
        for item in namespace.values()
        if type(item).__name__ == "Flow" and callable(getattr(item, "run", None))
    ]
    if len(flows) != 1:
        raise LookupError(f"expected one flow at module level, found {len(flows)}")
    return flows[0]


def first_error_line(error: BaseException) -> str:
    lines = traceback.format_exception_only(type(error), error)
    return lines[-1].strip() if lines else type(error).__name__


def run_each(files: Iterable[str], out_dir: str, run_one: Callable[[str], dict[str, Any]]) -> None:
    """Run each file in a forked child (the engine is imported once, in the parent) and
    write `OUT_DIR/<stem>.json`; the child's output goes to `OUT_DIR/<stem>.log`.

    A child that raises is recorded as `{"error": first line}`; one that runs longer than
    TIMEOUT_SECONDS is killed and recorded as timed out, so a hang fails one file only.
    """
    for path in files:
        stem = os.path.splitext(os.path.basename(path))[0]
        target = os.path.join(out_dir, stem + ".json")
        log = os.path.join(out_dir, stem + ".log")
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: run one corpus file, write its record, leave at once
            code = 0
            try:
                descriptor = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                os.dup2(descriptor, 1)
                os.dup2(descriptor, 2)
                try:
                    record = run_one(path)
                except BaseException as error:
                    traceback.print_exc()
                    record = {"error": first_error_line(error)}
                with open(target, "w", encoding="utf-8") as handle:
                    json.dump(record, handle, indent=1, sort_keys=True)
            except BaseException:
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while True:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                with open(target, "w", encoding="utf-8") as handle:
                    json.dump({"error": f"timed out after {TIMEOUT_SECONDS:.0f} s"}, handle)
                break
            time.sleep(0.02)
        if not os.path.exists(target):
            with open(target, "w", encoding="utf-8") as handle:
                json.dump({"error": "the driver's child process died without a record"}, handle)
