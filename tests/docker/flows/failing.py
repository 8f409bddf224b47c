"""A containerised flow whose task fails."""

from proctor import flow, task
from proctor.run_configs import DockerRun


@task
def breaks() -> None:
    raise ValueError("broken inside the container")


@flow
def failing_boxed():
    breaks()


failing_boxed.run_config = DockerRun(image="proctor-test-run:local")
