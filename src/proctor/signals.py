"""Public import path for `proctor.core.signals`."""

from proctor.core import signals as _source
from proctor.core.signals import *  # noqa: F403

__all__ = list(_source.__all__)
