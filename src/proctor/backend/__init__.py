"""1.x path `prefect.backend`: `FlowRunView`/`TaskRunView` read a Proctor server, the
artifact functions publish Proctor artifacts; the hosted-only key-value store raises
`NotOfferedError` when called, and `FlowView`/`TenantView` when imported."""

from typing import Any

from proctor.compat import backend as _source
from proctor.compat.backend import *  # noqa: F403

__all__ = list(_source.__all__)

_NOT_OFFERED = {"FlowView": "prefect.backend.FlowView", "TenantView": "prefect.backend.TenantView"}


def __getattr__(name: str) -> Any:
    if name in _NOT_OFFERED:
        from proctor.compat.errors import not_offered
        from proctor.compat.not_offered import entry

        raise not_offered(_NOT_OFFERED[name], entry(_NOT_OFFERED[name]).instead)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
