"""A one-task flow registered with labels (`gpu`, `ux`) in the agent-match tests."""

from proctor import flow, task


@task
def render() -> str:
    return "frame"


@flow
def gpu_work():
    render()
