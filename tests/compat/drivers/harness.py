"""The differential harness: run corpus files under the 1.x reference and under Proctor.

Used by `test_differential.py` (the corpus) and `run_pending.py` (the files waiting for a
feature). The reference engine, Prefect 1.4.1, lives in its own virtual environment, made
once per machine in `~/.cache/proctor-tests/prefect-1.4.1` (or reused from
PROCTOR_PREFECT1_PYTHON); each engine runs the files through its driver script in a
subprocess, so Proctor never imports prefect and the reference never imports proctor.
The Proctor side runs copies of the files after `proctor migrate` rewrote them.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

PREFECT_VERSION = "1.4.1"
# What 1.4.1 ran with in its time: pendulum 3 (2023) breaks its schedules (`pendulum.tz`).
REFERENCE_REQUIREMENTS = (f"prefect=={PREFECT_VERSION}", "pendulum<3")
HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "corpus"
PENDING = HERE.parent / "corpus_pending"
INSTALL_TIMEOUT = 600
RUN_TIMEOUT = 1800


def corpus_files(directory: Path) -> list[Path]:
    return sorted(path for path in directory.glob("*.py") if not path.name.startswith("_"))


def _cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "proctor-tests"


def _is_reference(python: Path) -> bool:
    """Prefect 1.4.1 with a pendulum older than 3 (see REFERENCE_REQUIREMENTS)."""
    check = subprocess.run(
        [
            str(python),
            "-c",
            "import pendulum, prefect; print(prefect.__version__, pendulum.__version__)",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    versions = check.stdout.split()
    return (
        check.returncode == 0
        and len(versions) == 2
        and versions[0] == PREFECT_VERSION
        and int(versions[1].split(".")[0]) < 3
    )


def reference_python() -> Path:
    """The interpreter of a virtualenv with Prefect 1.4.1, made (once) if there is none."""
    given = os.environ.get("PROCTOR_PREFECT1_PYTHON")
    if given:
        python = Path(given)
        if not _is_reference(python):
            raise RuntimeError(
                f"PROCTOR_PREFECT1_PYTHON={given} is not an interpreter with "
                f"{' and '.join(REFERENCE_REQUIREMENTS)}; unset it to let the tests make their own"
            )
        return python
    root = _cache_root()
    root.mkdir(parents=True, exist_ok=True)
    venv = root / f"prefect-{PREFECT_VERSION}"
    python = venv / "bin" / "python"
    ready = venv / ".ready"
    with (root / f"prefect-{PREFECT_VERSION}.lock").open("w") as lock:
        # Test workers may ask at the same time: one builds, the others wait and reuse it.
        fcntl.flock(lock, fcntl.LOCK_EX)
        wanted = "\n".join(REFERENCE_REQUIREMENTS)
        if ready.exists() and ready.read_text() == wanted and python.exists():
            return python
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                *REFERENCE_REQUIREMENTS,
            ],
            check=True,
            timeout=INSTALL_TIMEOUT,
        )
        if not _is_reference(python):
            raise RuntimeError(f"prefect {PREFECT_VERSION} did not install into {venv}")
        ready.write_text(wanted)
    return python


def _clean_environment(work: Path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PREFECT_", "PROCTOR_", "PYTHON"))
    }
    environment["PYTHONWARNINGS"] = "ignore"
    environment["PROCTOR_HOME"] = str(work / "proctor-home")
    return environment


def _read_records(out_dir: Path, files: list[Path]) -> dict[str, dict[str, Any]]:
    records: dict[str, dict[str, Any]] = {}
    for path in files:
        target = out_dir / f"{path.stem}.json"
        if target.exists():
            records[path.stem] = json.loads(target.read_text())
        else:
            records[path.stem] = {"error": "the driver wrote no record"}
        log = out_dir / f"{path.stem}.log"
        records[path.stem]["log"] = log.read_text(errors="replace") if log.exists() else ""
    return records


def run_reference(files: list[Path], work: Path) -> dict[str, dict[str, Any]]:
    """Run `files` under Prefect 1.4.1; return each file's record by stem."""
    out_dir = work / "reference"
    out_dir.mkdir(parents=True, exist_ok=True)
    environment = _clean_environment(work)
    environment |= {
        "PREFECT__FLOWS__CHECKPOINTING": "true",
        "PREFECT__FLOWS__RUN_ON_SCHEDULE": "false",
        "PREFECT__LOGGING__LEVEL": "WARNING",
        "PREFECT__HOME_DIR": str(work / "prefect-home"),
        "PREFECT__USER_CONFIG_PATH": str(work / "prefect-home" / "config.toml"),
        "PREFECT__BACKEND": "server",
    }
    subprocess.run(
        [
            str(reference_python()),
            str(HERE / "run_prefect1.py"),
            str(out_dir),
            *(str(path.resolve()) for path in files),
        ],
        env=environment,
        cwd=work,
        check=True,
        timeout=RUN_TIMEOUT,
    )
    return _read_records(out_dir, files)


def migrate_copies(files: list[Path], work: Path) -> list[Path]:
    """Copy `files` into `work/migrated` and rewrite them with `proctor migrate`."""
    target = work / "migrated"
    target.mkdir(parents=True, exist_ok=True)
    copies = []
    for path in files:
        copy = target / path.name
        shutil.copyfile(path, copy)
        copies.append(copy)
    migrate = subprocess.run(
        [sys.executable, "-m", "proctor.cli.main", "migrate", str(target)],
        env=_clean_environment(work),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # 1 means a file uses a 1.x API Proctor does not offer: the run below shows what happens.
    if migrate.returncode not in (0, 1):
        raise RuntimeError(f"proctor migrate failed: {migrate.stderr.strip()}")
    return copies


def run_proctor(files: list[Path], work: Path) -> dict[str, dict[str, Any]]:
    """Migrate copies of `files` and run them under Proctor; return records by stem."""
    copies = migrate_copies(files, work)
    out_dir = work / "proctor"
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, str(HERE / "run_proctor.py"), str(out_dir), *map(str, copies)],
        env=_clean_environment(work),
        cwd=work,
        check=True,
        timeout=RUN_TIMEOUT,
    )
    return _read_records(out_dir, copies)


def _same_result(expected: Any, got: Any, source: str) -> bool:
    """Equal results; for a signal the engine raised, equal unless the user wrote the message.

    A message the user wrote (`SKIP("negative")`) must come through unchanged; one the
    engine wrote (a trigger's explanation) is each engine's own wording, which Proctor
    writes itself: only the signal's class is compared then.
    """
    if expected == got:
        return True
    if isinstance(expected, list) and isinstance(got, list):
        return len(expected) == len(got) and all(
            _same_result(one, other, source) for one, other in zip(expected, got, strict=True)
        )
    if not (isinstance(expected, dict) and isinstance(got, dict)):
        return False
    if not (expected.get("engine") and got.get("engine")):
        return False
    if expected["exception"] != got["exception"]:
        return False
    written = [arg for arg in expected["args"] if isinstance(arg, str) and arg in source]
    return not written


def differences(reference: dict[str, Any], proctor: dict[str, Any], source: str = "") -> list[str]:
    """What Proctor's run of a file did differently from the reference's, one line each.

    `source` is the corpus file's text: it tells the messages the user wrote (compared)
    from the ones an engine wrote (not compared, see `_same_result`).
    """
    if "error" in reference:
        return [f"the 1.x reference could not run the file: {reference['error']}"]
    if "error" in proctor:
        return [f"Proctor could not run the file: {proctor['error']}"]
    found = []
    if reference["flow"] != proctor["flow"]:
        found.append(f"flow state: 1.x {reference['flow']}, Proctor {proctor['flow']}")
    expected, got = reference["tasks"], proctor["tasks"]
    for key in sorted(expected.keys() | got.keys()):
        if key not in got:
            found.append(f"{key}: in the 1.x run only ({expected[key]['state']})")
        elif key not in expected:
            found.append(f"{key}: in the Proctor run only ({got[key]['state']})")
        elif expected[key]["state"] != got[key]["state"]:
            found.append(f"{key}: state 1.x {expected[key]['state']}, Proctor {got[key]['state']}")
        elif not _same_result(expected[key]["result"], got[key]["result"], source):
            found.append(
                f"{key}: result 1.x {json.dumps(expected[key]['result'])}, "
                f"Proctor {json.dumps(got[key]['result'])}"
            )
    return found


def last_log_lines(record: dict[str, Any], count: int = 15) -> str:
    lines = record.get("log", "").strip().splitlines()
    return "\n".join(lines[-count:])
