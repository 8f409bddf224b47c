"""Public import path for `proctor.core.results`: `from proctor.results import ...`."""

from proctor.core import results as _source
from proctor.core.results import *  # noqa: F403

__all__ = list(_source.__all__)
