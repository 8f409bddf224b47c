"""Serializers turn a task's return value into bytes and back.

A `Result` pairs a serializer with a place to keep the bytes. Three come built in:

* `PickleSerializer` (name ``"pickle"``): any Python object cloudpickle can handle. The default.
* `JSONSerializer` (name ``"json"``): JSON values only; readable by other tools.
* `TextSerializer` (name ``"text"``): `str` values only, stored as UTF-8.

A serializer of your own subclasses `Serializer`, sets a unique `name` and implements
`dumps` and `loads`; defining the class registers the name for `serializer_from_name`.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from typing import IO, Any, ClassVar

from proctor.core.errors import ResultError

__all__ = [
    "JSONSerializer",
    "PickleSerializer",
    "Serializer",
    "TextSerializer",
    "serializer_from_name",
]

_REGISTRY: dict[str, type[Serializer]] = {}


class Serializer(ABC):
    """Turns values into bytes (`dumps`) and bytes back into values (`loads`).

    Subclasses set `name` (stored in a result's `to_dict`, so it must be unique) and
    `extension` (the file extension used by the default location template, no dot).
    Serializers hold no state, so they pickle cheaply and compare equal by class.
    """

    name: ClassVar[str] = ""
    extension: ClassVar[str] = "bin"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Only a class that names itself: a subclass of a built-in keeps its own name.
        if cls.__dict__.get("name"):
            _REGISTRY[cls.name] = cls

    @abstractmethod
    def dumps(self, value: Any) -> bytes:
        """Return `value` as bytes."""

    @abstractmethod
    def loads(self, data: bytes) -> Any:
        """Return the value stored in `data`."""

    def dump(self, value: Any, file: IO[bytes]) -> None:
        """Write `value` to a binary file. Override to stream large values."""
        file.write(self.dumps(value))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Serializer):
            return NotImplemented
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class PickleSerializer(Serializer):
    """Any Python object, via cloudpickle (lambdas and locally defined classes included).

    Only read results you trust: unpickling runs code chosen by whoever wrote the bytes.
    """

    name = "pickle"
    extension = "pickle"

    def dumps(self, value: Any) -> bytes:
        import cloudpickle

        data: bytes = cloudpickle.dumps(value)
        return data

    def dump(self, value: Any, file: IO[bytes]) -> None:
        import cloudpickle

        cloudpickle.dump(value, file)

    def loads(self, data: bytes) -> Any:
        import pickle

        return pickle.loads(data)


class JSONSerializer(Serializer):
    """JSON values: dict (with str keys), list, str, int, float, bool and None.

    Tuples come back as lists. Anything else is refused with a `ResultError`.
    """

    name = "json"
    extension = "json"

    def dumps(self, value: Any) -> bytes:
        try:
            text = json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError) as exc:
            raise ResultError(
                f"A value of type {type(value).__name__} is not JSON-serialisable ({exc}). "
                "Return plain dicts, lists, strings, numbers, booleans or None, or use "
                "PickleSerializer() to store any Python object."
            ) from exc
        return text.encode("utf-8")

    def loads(self, data: bytes) -> Any:
        return json.loads(data.decode("utf-8"))


class TextSerializer(Serializer):
    """A `str` value, stored as UTF-8 text."""

    name = "text"
    extension = "txt"

    def dumps(self, value: Any) -> bytes:
        if not isinstance(value, str):
            raise ResultError(
                f"TextSerializer stores str values only, got {type(value).__name__}. "
                "Convert the value with str(), or use JSONSerializer() or PickleSerializer()."
            )
        return value.encode("utf-8")

    def loads(self, data: bytes) -> Any:
        return data.decode("utf-8")


def serializer_from_name(name: str) -> Serializer:
    """Return a new serializer registered under `name` (``"pickle"``, ``"json"``, ``"text"``)."""
    try:
        cls = _REGISTRY[name]
    except (KeyError, TypeError):
        known = ", ".join(sorted(_REGISTRY))
        raise ResultError(
            f"Unknown serializer {name!r}. Known serializers: {known}. A custom serializer "
            "is known once the module defining its class has been imported."
        ) from None
    return cls()
