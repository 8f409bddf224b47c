"""1.x path `prefect.tasks.control_flow.case`."""

from proctor.core.branching import case

__all__ = ["case"]
