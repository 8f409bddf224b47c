"""Public import path for `proctor.core.storage`: `from proctor.storage import ...`."""

from proctor.core import storage as _source
from proctor.core.storage import *  # noqa: F403

__all__ = list(_source.__all__)
