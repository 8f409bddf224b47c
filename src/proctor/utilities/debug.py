"""1.x path `prefect.utilities.debug`: `raise_on_exception`."""

from proctor.compat.debug import raise_on_exception

__all__ = ["raise_on_exception"]
