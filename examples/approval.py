"""Human approval: a task that waits (`Paused`) until somebody approves it.

Locally, resume by passing the paused run's states back with `resume=[...]`; under the
server, approve it from the UI.
"""

from __future__ import annotations

from proctor import flow, task
from proctor.triggers import manual_only


@task
def prepare_release(version: str) -> str:
    return f"release {version} built"


@task(trigger=manual_only)
def deploy(build: str) -> str:
    return f"deployed ({build})"


@flow
def approval(version: str = "1.0.0"):
    deploy(prepare_release(version))


if __name__ == "__main__":
    first = approval.run()
    print("first run:", first.name, "-", first.message)
    (deploy_node,) = approval.get_tasks(name="deploy")
    second = approval.run(task_states=first.result, resume=[deploy_node])
    assert second.is_successful(), second
    print("after approval:", second.result[deploy_node].result)
