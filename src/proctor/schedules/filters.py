"""1.x path `prefect.schedules.filters`."""

from proctor.core.schedules import filters as _source
from proctor.core.schedules.filters import *  # noqa: F403

__all__ = list(_source.__all__)
