"""Results: a templated `target` names the file a task's result is written to."""

import os
import tempfile

from prefect import Flow, task
from prefect.engine.results import LocalResult

DIRECTORY = tempfile.mkdtemp(prefix="corpus-target-")


@task(result=LocalResult(dir=DIRECTORY), target="{task_name}.out", checkpoint=True)
def compute():
    return 41


@task
def listing(value):
    return [value + 1, sorted(os.listdir(DIRECTORY))]


with Flow("results-target") as flow:
    listing(compute())
