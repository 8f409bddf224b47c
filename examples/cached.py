"""A cached expensive step: computed once, reused for an hour (across processes too).

The result store makes the cache hold across processes: run this file twice and the
second run reports the step as reused. As in 1.x, a task with `cache_for` finishes
`Cached` both times: the first run computed and stored the value, the second reused it.
"""

from __future__ import annotations

import os
import time
from datetime import timedelta

from proctor import flow, task
from proctor.cache_validators import all_inputs
from proctor.results import LocalResult

RESULTS = LocalResult(dir=os.environ.get("EXAMPLE_RESULTS_DIR", ".proctor-example-results"))


@task(cache_for=timedelta(hours=1), cache_validator=all_inputs, result=RESULTS)
def train_model(dataset: str, epochs: int) -> dict:
    """Pretend to train: slow the first time, free while the cache holds."""
    time.sleep(0.5)
    return {"dataset": dataset, "epochs": epochs, "accuracy": 0.9 + epochs / 1000}


@task
def evaluate(model: dict) -> float:
    return model["accuracy"]


@flow
def cached(dataset: str = "iris", epochs: int = 10):
    """Train (cached) then evaluate."""
    evaluate(train_model(dataset, epochs))


if __name__ == "__main__":
    state = cached.run()
    assert state.is_successful(), state
    step = state.result["train_model"]
    how = "reused" if step.reused else "computed"
    print("train_model:", step.name, how, "accuracy:", state.result["evaluate"].result)
