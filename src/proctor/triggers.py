"""Public import path for `proctor.core.triggers`."""

from proctor.core import triggers as _source
from proctor.core.triggers import *  # noqa: F403

__all__ = list(_source.__all__)
