"""1.x path `prefect.tasks.templates`."""

from proctor.compat.tasks.templates import JinjaTemplate, StringFormatter

__all__ = ["JinjaTemplate", "StringFormatter"]
