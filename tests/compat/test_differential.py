"""Differential test: every corpus flow gives the same states and results on Proctor as on 1.x.

Each file in `corpus/` is a 1.x flow file, written as 1.x projects write them. It runs
under the reference engine (Prefect 1.4.1, in its own virtualenv, see `drivers/harness.py`)
and, after `proctor migrate` rewrote a copy of it, under Proctor. The test compares the flow
run's state class and, for every task run (mapped children included), its state class and
its result. Files waiting for a feature live in `corpus_pending/` (not collected here;
`python tests/compat/run_pending.py` shows which of them pass today).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from drivers.harness import (
    CORPUS,
    PENDING,
    corpus_files,
    differences,
    last_log_lines,
    run_proctor,
    run_reference,
)

FILES = corpus_files(CORPUS)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, dict[str, Any]]]:
    """Both engines' records of the whole corpus: each engine starts once for all files."""
    work = tmp_path_factory.mktemp("differential")
    return {"reference": run_reference(FILES, work), "proctor": run_proctor(FILES, work)}


def test_the_corpus_covers_the_1x_concepts() -> None:
    # Pending files count: they are the same corpus, waiting for a feature.
    names = {path.stem for path in FILES} | {path.stem for path in corpus_files(PENDING)}
    assert len(names) >= 40, sorted(names)
    sections = {name.split("_")[0] for name in names}
    assert sections >= {
        "tasks",
        "flows",
        "mapping",
        "signals",
        "triggers",
        "results",
        "caching",
        "schedules",
        "executors",
        "imperative",
        "operators",
        "control",
        "context",
        "retries",
        "library",
        "state",
    }, sorted(sections)


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_proctor_matches_1x(path: Path, runs: dict[str, dict[str, dict[str, Any]]]) -> None:
    reference = runs["reference"][path.stem]
    proctor = runs["proctor"][path.stem]
    assert "error" not in reference, last_log_lines(reference)
    # The reference must have run something, or the comparison below proves nothing.
    assert reference["tasks"], "the 1.x run of this corpus file reported no task runs"
    found = differences(reference, proctor, path.read_text())
    assert not found, "\n".join([*found, "--- Proctor's output:", last_log_lines(proctor)])
