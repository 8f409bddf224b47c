"""A flow for local agents only: a Docker agent must refuse it."""

from proctor import flow, task
from proctor.run_configs import LocalRun


@task
def here() -> int:
    return 1


@flow
def local_only():
    here()


local_only.run_config = LocalRun()
