"""1.x path `prefect.utilities.logging`: `get_logger(name)`."""

from proctor.compat.logging import get_logger

__all__ = ["get_logger"]
