"""1.x path `prefect.schedules.adjustments`."""

from proctor.core.schedules import adjustments as _source
from proctor.core.schedules.adjustments import *  # noqa: F403

__all__ = list(_source.__all__)
