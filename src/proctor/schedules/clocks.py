"""1.x path `prefect.schedules.clocks`."""

from proctor.core.schedules import clocks as _source
from proctor.core.schedules.clocks import *  # noqa: F403

__all__ = list(_source.__all__)
