"""1.x path `prefect.tasks.control_flow.filter`."""

from proctor.compat.tasks.control_flow import FilterTask

__all__ = ["FilterTask"]
