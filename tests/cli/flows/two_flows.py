"""Two flows in one file: the CLI needs FILE:NAME to choose."""

from proctor import flow, task


@task
def hello(who: str) -> str:
    return f"hello {who}"


@flow
def first(who: str = "first"):
    hello(who)


@flow
def second(who: str = "second"):
    hello(who)
