"""1.x path `prefect.engine.task_runner`."""

from proctor.compat.names import lazy_names

__getattr__ = lazy_names({"TaskRunner": "proctor.compat.runners"}, __name__)

__all__ = ["TaskRunner"]  # noqa: F822
