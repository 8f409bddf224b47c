"""1.x path `prefect.tasks.templates.strings`."""

from proctor.compat.tasks.templates import StringFormatter

__all__ = ["StringFormatter"]
