"""1.x path `prefect.tasks.templates.jinja2`."""

from proctor.compat.tasks.templates import JinjaTemplate

__all__ = ["JinjaTemplate"]
