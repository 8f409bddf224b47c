"""Result persistence: where task outputs are written, and how they are serialized.

from proctor.results import LocalResult, FSSpecResult, JSONSerializer

LocalResult(dir="/data/results", location="{flow_name}/{parameters[day]}.json",
            serializer=JSONSerializer())
"""

from __future__ import annotations

from proctor.core.results.base import DEFAULT_LOCATION, Result, proctor_home, result_from_dict
from proctor.core.results.fsspec import FSSpecResult
from proctor.core.results.local import LocalResult
from proctor.core.results.serializers import (
    JSONSerializer,
    PickleSerializer,
    Serializer,
    TextSerializer,
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
    "proctor_home",
    "result_from_dict",
    "serializer_from_name",
]
