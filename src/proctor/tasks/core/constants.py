"""1.x path `prefect.tasks.core.constants`."""

from proctor.compat.tasks.core import Constant

__all__ = ["Constant"]
