"""1.x path `prefect.engine.serializers`."""

from proctor.compat.not_offered import names_getattr
from proctor.core.results.serializers import (
    JSONSerializer,
    PickleSerializer,
    Serializer,
    TextSerializer,
)

# DateTimeSerializer, CompressedSerializer, PandasSerializer: NotOfferedError.
__getattr__ = names_getattr("prefect.engine.serializers")

__all__ = ["JSONSerializer", "PickleSerializer", "Serializer", "TextSerializer"]
