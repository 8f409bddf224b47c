"""A containerised flow that sleeps (cancel and crash tests); it never checks for
cancellation itself."""

import time

from proctor import flow, get_run_logger, task
from proctor.run_configs import DockerRun


@task
def nap(seconds: float) -> float:
    get_run_logger().info("napping for %s s", seconds)
    time.sleep(seconds)
    return seconds


@flow
def napping(seconds: float = 120.0):
    nap(seconds)


napping.run_config = DockerRun(image="proctor-test-run:local")
