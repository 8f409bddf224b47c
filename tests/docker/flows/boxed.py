"""A flow whose runs start in a container: it says where it ran and what it was given."""

import os
from pathlib import Path

from proctor import flow, get_run_logger, task
from proctor.run_configs import DockerRun


@task
def where(part: int) -> str:
    inside = Path("/.dockerenv").exists()
    get_run_logger().info("part %d in a container: %s", part, inside)
    print(f"printed by part {part}")  # stdout of the task, not a log record
    return "container" if inside else "host"


@task
def given() -> str:
    values = f"GREETING={os.environ.get('GREETING')} EXTRA={os.environ.get('EXTRA')}"
    get_run_logger().info("environment: %s", values)
    return values


@task
def numbers(parts: int) -> list[int]:
    return list(range(parts))


@flow
def boxed(parts: int = 3):
    where.map(numbers(parts))
    given()


boxed.run_config = DockerRun(
    image="proctor-test-run:local", env={"GREETING": "hello"}, memory="512m", cpu=1
)
