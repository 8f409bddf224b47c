"""Task library: FilterTask drops the None and failed results of a map."""

from prefect import Flow, task
from prefect.tasks.control_flow.filter import FilterTask


@task
def parse(text):
    if text == "bad":
        raise ValueError(text)
    return None if text == "" else int(text)


keep = FilterTask(name="keep")

with Flow("library-filter-task") as flow:
    keep(parse.map(["1", "", "bad", "4"]))
