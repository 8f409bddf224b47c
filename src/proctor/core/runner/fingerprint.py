"""Stable fingerprints of values, so caches can tell "same inputs" across processes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any


def fingerprint(value: Any) -> str:
    """A hash of the value: its canonical JSON when it has one, else its pickle."""
    try:
        data = json.dumps(value, sort_keys=True, separators=(",", ":")).encode()
    except (TypeError, ValueError):
        import cloudpickle

        data = cloudpickle.dumps(value)
    return hashlib.sha256(data).hexdigest()


def fingerprints(values: Mapping[str, Any]) -> dict[str, str]:
    return {key: fingerprint(value) for key, value in values.items()}


__all__ = ["fingerprint", "fingerprints"]
