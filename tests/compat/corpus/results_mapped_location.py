"""Results: a templated LocalResult location per mapped child; a reduce reads the values."""

import tempfile

from prefect import Flow, task
from prefect.engine.results import LocalResult

DIRECTORY = tempfile.mkdtemp(prefix="corpus-mapped-results-")


@task(result=LocalResult(dir=DIRECTORY, location="square-{map_index}.json"), checkpoint=True)
def square(x):
    return x * x


@task
def total(values):
    return sum(values)


with Flow("results-mapped-location") as flow:
    total(square.map([1, 2, 3, 4]))
