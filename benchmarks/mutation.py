"""Mutation testing with mutmut (not part of CI): the code that decides access, or the engine.

    .venv/bin/python benchmarks/mutation.py
        [--suite auth|engine|orchestration|invitations|users|api_keys]
        [--workdir DIR] [--children 2] [--only PATH ...]

The `auth` suite is `[tool.mutmut]` in pyproject.toml as it stands (the modules, the
focused tests). The `engine` suite (`ENGINE` below) mutates triggers, the runners, cache
validators and states, and runs the engine's tests in `tests/core`; its subprocesses
(the cross-process cache tests, process executors started fresh) import the mutated copy
too, so a mutant that only shows in another process is killed there. The `invitations`,
`users` and `api_keys` suites each mutate that one auth module and judge it with its own
in-process tests (SQLite), the way docs/security.md's scores were measured. The
`orchestration` suite mutates the transition engine (rules, slot ledger, evaluate, policy,
effects, states) and judges it with the in-process tests of state changes.
This script runs mutmut in a copy of the tree, so the working tree is never touched and no
`mutants/` directory is left in it, and prints one JSON line per module (killed, survived,
no tests, timeouts, score) and one for the total.

mutmut only mutates code inside functions: the permission table itself (module-level
dicts) is mutated by `benchmarks/permission_table_mutants.py` instead.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Suite:
    """What a run mutates and which tests judge it, in place of `[tool.mutmut]`'s lists."""

    modules: tuple[str, ...]
    tests: tuple[str, ...]
    # Whether processes the tests start import the mutated copy (PYTHONPATH), not the
    # checkout the venv points at.
    subprocesses_see_mutants: bool
    pytest_args: tuple[str, ...]


ENGINE = Suite(
    modules=(
        "src/proctor/core/triggers.py",
        "src/proctor/core/runner/*",
        "src/proctor/core/cache_validators.py",
        "src/proctor/core/states.py",
        "src/proctor/core/clock.py",
    ),
    tests=tuple(
        f"tests/core/{name}.py"
        for name in (
            "test_triggers",
            "test_running",
            "test_retries_and_timeouts",
            "test_requeue_and_flow_retries",
            "test_caching_and_results",
            "test_results",
            "test_mapped_dependencies",
            "test_cancel_and_progress",
            "test_task_gates",
            "test_log_stdout_lines",
            "test_building",
            "test_executors_process",
            "test_visualize_states",
            "test_states",
            "test_cache_validators",
            "test_runner_edges",
            "test_walk",
            "test_walk_mutants",
            "test_task_runner_mutants",
            "test_runner_module_mutants",
        )
    ),
    subprocesses_see_mutants=True,
    # A mutant that makes a test raise inside pytest's own temporary-directory walk leaves
    # an unclosed iterator; reported at exit under -W error, it would stop mutmut itself.
    # mutation_forkserver (this folder, on PYTHONPATH): no false kills by the fork server.
    pytest_args=(
        "-p",
        "no:cacheprovider",
        "-p",
        "no:xdist",
        "-p",
        "no:unraisableexception",
        "-p",
        "mutation_forkserver",
    ),
)


# The tests that run in this process on SQLite: slow tests start a server process, which
# imports the unmutated package, and PostgreSQL runs the same rules at twice the time.
IN_PROCESS_SQLITE = (
    "-p",
    "no:cacheprovider",
    "-p",
    "no:xdist",
    "-p",
    "no:unraisableexception",
    "-k",
    "not postgresql and not real_server",
    "-m",
    "not slow",
)


def _auth_module(module: str, *tests: str) -> Suite:
    """One auth service module judged by its fast in-process tests only (on SQLite), so a
    module's score takes minutes, not the hour of the whole `[tool.mutmut]` run."""
    return Suite(
        modules=(f"src/proctor/server/auth/{module}.py",),
        tests=tuple(f"tests/server/auth/{name}.py" for name in tests),
        subprocesses_see_mutants=False,
        pytest_args=IN_PROCESS_SQLITE,
    )


INVITATIONS = _auth_module(
    "invitations",
    "test_invitation_accept_rules",
    "test_invitation_rules",
    "test_teams",
)
USERS = _auth_module(
    "users",
    "test_email_rules",
    "test_change_password_rules",
    "test_user_rules",
    "test_login",
    "test_invitation_accept_rules",
)
API_KEYS = _auth_module(
    "api_keys",
    "test_api_keys",
    "test_api_key_lineage",
    "test_api_key_rules",
)
# The transition engine (issue 14 asks rules.py to stay above 90%): the pure rules and
# slot ledger with the in-process tests of state changes on SQLite.
ORCHESTRATION = Suite(
    modules=tuple(
        f"src/proctor/server/orchestration/{name}.py"
        for name in ("rules", "concurrency_limits", "evaluate", "policy", "effects", "states")
    ),
    tests=(
        "tests/server/test_orchestration_rules.py",
        "tests/server/test_orchestration_rule_answers.py",
        "tests/server/test_orchestration_evaluate.py",
        "tests/server/test_orchestration_effects.py",
        "tests/server/test_orchestration_manual.py",
        "tests/server/test_orchestration_mutants.py",
        "tests/server/test_concurrency_limit_rule.py",
        "tests/server/concurrency/test_slots_taken_by_state.py",
        "tests/server/concurrency/test_limit_services.py",
        "tests/server/test_task_runs.py",
        "tests/server/test_flow_runs.py",
    ),
    subprocesses_see_mutants=False,
    pytest_args=IN_PROCESS_SQLITE,
)
SUITES: dict[str, Suite | None] = {
    "auth": None,
    "engine": ENGINE,
    "orchestration": ORCHESTRATION,
    "invitations": INVITATIONS,
    "users": USERS,
    "api_keys": API_KEYS,
}
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests"}
TIMEOUTS = {-24, 24, 36, 152, 255}


def _listed(paths: list[str] | tuple[str, ...]) -> str:
    return "".join(f'    "{path}",\n' for path in paths)


def prepare(workdir: Path, only: list[str], suite: Suite | None = None) -> None:
    """A fresh copy of the tree in `workdir` (mutmut writes its `mutants/` there); `suite`
    replaces the modules and tests of `[tool.mutmut]`, `only` narrows the modules."""
    if workdir.exists():
        shutil.rmtree(workdir)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    workdir.mkdir(parents=True)
    shutil.copytree(ROOT / "src", workdir / "src", ignore=ignore)
    shutil.copytree(ROOT / "tests", workdir / "tests", ignore=ignore)
    settings = (ROOT / "pyproject.toml").read_text()
    modules = only or (list(suite.modules) if suite else [])
    if modules:
        settings = re.sub(
            r"only_mutate = \[\n.*?\]",
            lambda _: f"only_mutate = [\n{_listed(modules)}]",
            settings,
            flags=re.S,
        )
    if suite is not None:
        settings = re.sub(
            r"pytest_add_cli_args = \[.*?\]\n",
            lambda _: f"pytest_add_cli_args = {json.dumps(list(suite.pytest_args))}\n",
            settings,
            count=1,
        )
        # A suite may name a test file not written yet: judge with those that exist.
        tests = [test for test in suite.tests if (ROOT / test.split("::")[0]).exists()]
        settings = re.sub(
            r"pytest_add_cli_args_test_selection = \[\n.*?\]",
            lambda _: f"pytest_add_cli_args_test_selection = [\n{_listed(tests)}]",
            settings,
            flags=re.S,
        )
    (workdir / "pyproject.toml").write_text(settings)


def status_of(code: int | None) -> str:
    if code is None:
        return "not checked"
    if code in TIMEOUTS:
        return "timeout"
    return STATUS.get(code, f"exit {code}")


def scores(workdir: Path) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    total: Counter[str] = Counter()
    for meta in sorted((workdir / "mutants" / "src").rglob("*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        counted = Counter(status_of(code) for code in codes.values())
        total.update(counted)
        module = str(meta.relative_to(workdir / "mutants"))[: -len(".meta")]
        rows.append({"module": module, **counted, "score": score(counted)})
    rows.append({"module": "total", **total, "score": score(total)})
    return rows


def score(counted: Counter[str]) -> float:
    """Killed (timeouts count as killed) out of all mutants the tests reach."""
    judged = counted["killed"] + counted["timeout"] + counted["survived"]
    return round(100 * (counted["killed"] + counted["timeout"]) / judged, 1) if judged else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "proctor-mutation"
    )
    parser.add_argument("--suite", choices=sorted(SUITES), default="auth")
    parser.add_argument("--children", type=int, default=2)
    parser.add_argument("--only", nargs="*", default=[], help="mutate only these modules")
    parser.add_argument(
        "--report-only", action="store_true", help="print the scores of the last run"
    )
    args = parser.parse_args()
    suite = SUITES[args.suite]
    if not args.report_only:
        prepare(args.workdir, args.only, suite)
        env = dict(os.environ)
        if suite is not None and suite.subprocesses_see_mutants:
            mutated = args.workdir.resolve() / "mutants" / "src"
            # Made before mutmut starts: a PYTHONPATH entry missing at start-up is cached
            # as "nothing here" for the whole process, hiding mutmut's own copy from it.
            mutated.mkdir(parents=True, exist_ok=True)
            env["PYTHONPATH"] = os.pathsep.join((str(mutated), str(ROOT / "benchmarks")))
        # The console script, not `python -m mutmut`: run as __main__, mutmut's module would
        # be imported a second time by the mutants' trampolines and fail.
        executable = Path(sys.executable).parent / "mutmut"
        mutmut = [str(executable), "run", "--max-children", str(args.children)]
        done = subprocess.run(mutmut, cwd=args.workdir, env=env, check=False)
        if done.returncode != 0:
            print(json.dumps({"error": f"mutmut exited with {done.returncode}"}))
            return done.returncode
    for row in scores(args.workdir):
        print(json.dumps(row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
