"""Context: map_index tells a mapped child which one it is."""

import prefect
from prefect import Flow, task


@task
def where(x):
    return [x, prefect.context.map_index]


@task
def unmapped_index():
    return prefect.context.get("map_index")


with Flow("context-map-index") as flow:
    where.map(["a", "b", "c"])
    unmapped_index()
