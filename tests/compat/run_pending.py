"""Run the corpus files that wait for a feature and say which of them pass today.

    .venv/bin/python tests/compat/run_pending.py [FILE_OR_DIRECTORY ...]

With no argument it runs every file in `tests/compat/corpus_pending/` under the 1.x
reference and under Proctor (as `test_differential.py` does) and prints PASS or FAIL per
file, with the first difference. A file that passes can be moved to `corpus/`, where the
differential test keeps it passing. Exit code 0 when every file passed, 1 otherwise.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from drivers.harness import PENDING, corpus_files, differences, run_proctor, run_reference


def main(arguments: list[str]) -> int:
    targets = [Path(argument) for argument in arguments] or [PENDING]
    files: list[Path] = []
    for target in targets:
        files.extend(corpus_files(target) if target.is_dir() else [target])
    if not files:
        print("no corpus files to run")
        return 0
    with tempfile.TemporaryDirectory(prefix="proctor-pending-") as directory:
        work = Path(directory)
        reference = run_reference(files, work)
        proctor = run_proctor(files, work)
    failed = 0
    for path in files:
        found = differences(reference[path.stem], proctor[path.stem], path.read_text())
        if found:
            failed += 1
            more = f" (+{len(found) - 1} more)" if len(found) > 1 else ""
            print(f"FAIL {path.name}: {found[0]}{more}")
        else:
            print(f"PASS {path.name}")
    print(f"{len(files) - failed} of {len(files)} pass")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
