"""1.x path `prefect.utilities.edges`."""

from proctor.compat.utilities import mapped
from proctor.core.graph import flatten, unmapped

__all__ = ["flatten", "mapped", "unmapped"]
