"""Tasks: task_run_name templates and callables name each run; task_args copies a task
with other options; a bare Task() joins branches; a task may be named `task`."""

from prefect import Flow, Task, task
from prefect import context


@task(task_run_name="item-{x}")
def item(x):
    return f"{context.get('task_run_name')}={x}"


def name_of(**kwargs):
    return f"double-{kwargs['x']}"


@task(task_run_name=name_of)
def double(x):
    return context.get("task_run_name")


@task(name="task")
def task_named_task(value):
    return value


with Flow("tasks-run-names") as flow:
    names = item.map([1, 2])
    doubled = double(3)
    copied = item(5, task_args={"name": "copied", "tags": ["x"]})
    joined = Task(name="join")(upstream_tasks=[names, doubled, copied])
    task_named_task(copied, upstream_tasks=[joined])
