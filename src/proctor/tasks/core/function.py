"""1.x path `prefect.tasks.core.function`."""

from proctor.core.task import FunctionTask

__all__ = ["FunctionTask"]
