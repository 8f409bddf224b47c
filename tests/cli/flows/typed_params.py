"""Typed parameters: a required int, a str, a list and a bool, echoed back by one task."""

from proctor import flow, task


@task
def echo(n: int, label: str, tags: list[str], loud: bool) -> dict[str, object]:
    return {"n": n, "label": label, "tags": tags, "loud": loud}


@flow
def typed(n: int, label: str = "none", tags: list[str] = [], loud: bool = False):  # noqa: B006
    echo(n, label, tags, loud)
