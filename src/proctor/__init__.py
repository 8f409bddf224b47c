"""Proctor: workflow orchestration in plain Python.

from proctor import task, flow

@task(retries=2)
def extract(day: str) -> list[int]: ...

@flow
def etl(day: str = "2026-01-01"):
    load(transform.map(extract(day)))

state = etl.run(day="2026-11-24")
"""

from proctor import signals
from proctor._version import __version__
from proctor.core.branching import case, merge
from proctor.core.flow import Flow, flow
from proctor.core.graph import flatten, unmapped
from proctor.core.logs import get_run_logger
from proctor.core.parameter import Parameter
from proctor.core.secrets import Secret
from proctor.core.task import Task, exponential_backoff, task

__all__ = [
    "Flow",
    "Parameter",
    "Secret",
    "Task",
    "__version__",
    "case",
    "exponential_backoff",
    "flatten",
    "flow",
    "get_run_logger",
    "merge",
    "signals",
    "task",
    "unmapped",
]
