"""Every example in examples/ runs, as a user would run it, and does what it says."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ALL_EXAMPLES = sorted(path.name for path in EXAMPLES.glob("*.py"))


def run_example(name: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EXAMPLE_RESULTS_DIR": str(cwd / "results")}
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,  # no terminal: flow.run() must not ask to approve a pause
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_there_are_at_least_six_examples():
    assert len(ALL_EXAMPLES) >= 6


EXPECTED_OUTPUT = {
    "approval.py": ["first run: Paused", "after approval: deployed (release 1.0.0 built)"],
    "artifacts.py": [
        "table loaded-tables: {'columns': ['table', 'rows'], 'rows': [['orders', 120],",
        "markdown nightly-report: {'markdown': '# Nightly load\\n\\n**137** rows in 3 tables.'}",
        "link dashboard: {'link': 'https://example.com/dashboards/etl', 'text': 'ETL dashboard'}",
    ],
    "branching.py": ["processed 42 rows at once", "split 420 rows into 5 chunks"],
    "cached.py": ["train_model: Cached computed accuracy: 0.91"],
    "dask_flow.py": ["sum of squares: 328350"],
    "etl.py": ["rows loaded: 12"],
    "persisted_results.py": [
        "sales saved at persisted_results/sales/north-0.json",
        "'stores': 3, 'total': 3222",
    ],
    "scheduled.py": [
        "next run: 2026-03-27T06:30:00+01:00",
        "next run: 2026-03-30T06:30:00+02:00",
    ],
}


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_example_runs(name, tmp_path):
    assert name in EXPECTED_OUTPUT, f"add the expected output of {name} to this test"
    completed = run_example(name, tmp_path)
    assert completed.returncode == 0, completed.stderr
    for line in EXPECTED_OUTPUT[name]:
        assert line in completed.stdout


def test_cached_example_is_cached_across_processes(tmp_path):
    first = run_example("cached.py", tmp_path)
    second = run_example("cached.py", tmp_path)
    assert "train_model: Cached computed" in first.stdout
    assert "train_model: Cached reused" in second.stdout


def test_persisted_results_example_writes_json_files(tmp_path):
    assert run_example("persisted_results.py", tmp_path).returncode == 0
    saved = tmp_path / "results" / "persisted_results" / "sales" / "north-2.json"
    assert saved.read_text() == '{"store": 3, "total": 1111}'


@pytest.mark.parametrize("name", ["etl.py", "branching.py", "persisted_results.py"])
def test_example_runs_with_run_local(name, tmp_path):
    import json

    env = {**os.environ, "EXAMPLE_RESULTS_DIR": str(tmp_path / "results")}
    completed = subprocess.run(
        [sys.executable, "-m", "proctor", "run-local", str(EXAMPLES / name), "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout)
    assert report["state"] == "Success"
    assert all(task["state"] in {"Success", "Mapped", "Skipped"} for task in report["tasks"])
