"""Mutation testing of the code that decides access, with mutmut (not part of CI).

    .venv/bin/python benchmarks/mutation.py [--workdir DIR] [--children 2] [--only PATH ...]

mutmut's settings are `[tool.mutmut]` in pyproject.toml (the modules, the focused tests).
This script runs it in a copy of the tree, so the working tree is never touched and no
`mutants/` directory is left in it, and prints one JSON line per module (killed, survived,
no tests, timeouts, score) and one for the total.

mutmut only mutates code inside functions: the permission table itself (module-level
dicts) is mutated by `benchmarks/permission_table_mutants.py` instead.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests"}
TIMEOUTS = {-24, 24, 36, 152, 255}


def prepare(workdir: Path, only: list[str]) -> None:
    """A fresh copy of the tree in `workdir` (mutmut writes its `mutants/` there); `only`
    narrows `only_mutate` to some of its modules in that copy."""
    if workdir.exists():
        shutil.rmtree(workdir)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    workdir.mkdir(parents=True)
    shutil.copytree(ROOT / "src", workdir / "src", ignore=ignore)
    shutil.copytree(ROOT / "tests", workdir / "tests", ignore=ignore)
    settings = (ROOT / "pyproject.toml").read_text()
    if only:
        chosen = "".join(f'    "{path}",\n' for path in only)
        settings = re.sub(
            r"only_mutate = \[\n.*?\]", f"only_mutate = [\n{chosen}]", settings, flags=re.S
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
    parser.add_argument("--children", type=int, default=2)
    parser.add_argument("--only", nargs="*", default=[], help="mutate only these modules")
    parser.add_argument(
        "--report-only", action="store_true", help="print the scores of the last run"
    )
    args = parser.parse_args()
    if not args.report_only:
        prepare(args.workdir, args.only)
        # The console script, not `python -m mutmut`: run as __main__, mutmut's module would
        # be imported a second time by the mutants' trampolines and fail.
        executable = Path(sys.executable).parent / "mutmut"
        mutmut = [str(executable), "run", "--max-children", str(args.children)]
        done = subprocess.run(mutmut, cwd=args.workdir, check=False)
        if done.returncode != 0:
            print(json.dumps({"error": f"mutmut exited with {done.returncode}"}))
            return done.returncode
    for row in scores(args.workdir):
        print(json.dumps(row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
