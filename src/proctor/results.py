"""Result persistence: where task outputs are written, and in what format.

See `proctor.core.results` and docs/results-and-storage.md.
"""

from __future__ import annotations

from proctor.core.results import (
    DEFAULT_LOCATION,
    FSSpecResult,
    JSONSerializer,
    LocalResult,
    PickleSerializer,
    Result,
    Serializer,
    TextSerializer,
    result_from_dict,
    serializer_from_name,
)

__all__ = [
    "DEFAULT_LOCATION",
    "FSSpecResult",
    "JSONSerializer",
    "LocalResult",
    "PickleSerializer",
    "Result",
    "Serializer",
    "TextSerializer",
    "result_from_dict",
    "serializer_from_name",
]
