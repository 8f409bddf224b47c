"""A flow that cannot finish on its own: its last task waits for manual approval."""

from proctor import flow, task
from proctor.triggers import manual_only


@task
def prepare() -> int:
    return 1


@task(trigger=manual_only)
def deploy(x: int) -> int:
    return x


@flow
def gated():
    deploy(prepare())
