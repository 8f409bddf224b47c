"""Tasks: indexing a task's output (`rec["k"]`, `pair[1]`) gives a task for the item."""

from prefect import Flow, task


@task
def record():
    return {"name": "ada", "scores": [3, 5, 8]}


@task
def show(name, last):
    return f"{name}:{last}"


with Flow("tasks-getitem") as flow:
    rec = record()
    show(rec["name"], rec["scores"][-1])
