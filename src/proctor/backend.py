"""1.x path `prefect.backend`: `FlowRunView`/`TaskRunView` read a Proctor server; the
hosted-only key-value store and artifacts raise `NotOfferedError` when called."""

from proctor.compat import backend as _source
from proctor.compat.backend import *  # noqa: F403

__all__ = list(_source.__all__)
