"""1.x path `prefect.engine.serializers`."""

from proctor.core.results.serializers import (
    JSONSerializer,
    PickleSerializer,
    Serializer,
    TextSerializer,
)

__all__ = ["JSONSerializer", "PickleSerializer", "Serializer", "TextSerializer"]
