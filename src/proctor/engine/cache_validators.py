"""1.x path `prefect.engine.cache_validators`."""

from proctor.core import cache_validators as _source
from proctor.core.cache_validators import *  # noqa: F403

__all__ = list(_source.__all__)
