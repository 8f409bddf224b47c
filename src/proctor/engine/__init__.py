"""1.x path `prefect.engine`: `signals`, `state`, `FlowRunner`, `TaskRunner` (loaded on use)."""

from __future__ import annotations

import importlib
from typing import Any

_SUBMODULES = ("signals", "state", "results", "serializers", "cache_validators")


def __getattr__(name: str) -> Any:
    if name in ("FlowRunner", "TaskRunner"):
        return getattr(importlib.import_module("proctor.compat.runners"), name)
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["FlowRunner", "TaskRunner", "signals", "state"]
