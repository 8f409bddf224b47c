"""Public import path for `proctor.core.states`."""

from proctor.core import states as _source
from proctor.core.states import *  # noqa: F403

__all__ = list(_source.__all__)
