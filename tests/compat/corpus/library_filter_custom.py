"""Task library: FilterTask with a custom filter function."""

from prefect import Flow, task
from prefect.tasks.control_flow.filter import FilterTask


@task
def numbers():
    return [1, 2, 3, 4, 5, 6]


evens = FilterTask(name="evens", filter_func=lambda x: x % 2 == 0)

with Flow("library-filter-custom") as flow:
    evens(numbers())
