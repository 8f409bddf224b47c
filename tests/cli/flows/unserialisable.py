"""A task whose value is not JSON: `--json` must show its repr instead."""

from proctor import flow, task


class Token:
    def __repr__(self) -> str:
        return "<Token abc>"


@task
def make() -> Token:
    return Token()


@flow
def tokens():
    make()
