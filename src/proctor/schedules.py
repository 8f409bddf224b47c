"""Public import path for `proctor.core.schedules`: `from proctor.schedules import ...`."""

from proctor.core import schedules as _source
from proctor.core.schedules import *  # noqa: F403

__all__ = list(_source.__all__)
