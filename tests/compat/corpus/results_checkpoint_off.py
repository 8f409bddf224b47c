"""Results: checkpoint=False leaves a task's value unpersisted; the run is the same."""

import tempfile

from prefect import Flow, task
from prefect.engine.results import LocalResult

RESULTS = LocalResult(dir=tempfile.mkdtemp(prefix="corpus-checkpoint-"))


@task(checkpoint=False)
def secret_value():
    return "not written"


@task(result=RESULTS, checkpoint=True)
def written(value):
    return value.upper()


with Flow("results-checkpoint-off", result=RESULTS) as flow:
    written(secret_value())
