"""Results: a task whose target already exists is not run again: its state is Cached."""

import tempfile

import cloudpickle
from prefect import Flow, task
from prefect.engine.results import LocalResult

DIRECTORY = tempfile.mkdtemp(prefix="corpus-cached-")
with open(f"{DIRECTORY}/answer.pkl", "wb") as handle:
    handle.write(cloudpickle.dumps(42))

CALLS = []


@task(result=LocalResult(dir=DIRECTORY), target="answer.pkl", checkpoint=True)
def answer():
    CALLS.append(1)
    return 0


@task
def read(value):
    return [value, len(CALLS)]


with Flow("results-cached-target") as flow:
    read(answer())
