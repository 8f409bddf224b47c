"""Results: a task with a LocalResult writes its value; the state still carries it."""

import tempfile

from prefect import Flow, task
from prefect.engine.results import LocalResult

RESULTS = LocalResult(dir=tempfile.mkdtemp(prefix="corpus-results-"))


@task(result=RESULTS, checkpoint=True)
def produce():
    return {"rows": 3}


@task
def consume(data):
    return data["rows"] * 2


with Flow("results-local", result=RESULTS) as flow:
    consume(produce())
