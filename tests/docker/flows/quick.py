"""One trivial containerised task: what the many-runs test starts."""

from proctor import flow, task
from proctor.run_configs import DockerRun


@task
def one() -> int:
    return 1


@flow
def quick():
    one()


quick.run_config = DockerRun(image="proctor-test-run:local")
