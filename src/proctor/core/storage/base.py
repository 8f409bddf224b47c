"""The `Storage` base class: a reference to where a flow's code lives.

Registering a flow sends only this reference (`to_dict`) to the server; an agent's run
process rebuilds it with `storage_from_dict` and calls `load_flow` to get the flow back.
"""

from __future__ import annotations

import json
import os
from abc import ABC, abstractmethod
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Self

from proctor.core.errors import StorageError

if TYPE_CHECKING:
    from proctor.core.flow import Flow

__all__ = ["Storage", "storage_from_dict", "storage_home"]

_REGISTRY: dict[str, type[Storage]] = {}


def storage_home() -> Path:
    """``$PROCTOR_HOME/storage`` (``~/.proctor/storage`` by default), read at call time."""
    home = os.environ.get("PROCTOR_HOME") or "~/.proctor"
    return Path(home).expanduser() / "storage"


class Storage(ABC):
    """Where an agent finds a flow's code. Subclasses are small, JSON-describable values."""

    #: The ``"type"`` stored by `to_dict` and understood by `storage_from_dict`.
    type_name: ClassVar[str] = ""
    #: Keys of `to_dict` besides ``"type"``: name -> (allowed types, required).
    _fields: ClassVar[dict[str, tuple[tuple[type, ...], bool]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.type_name:
            _REGISTRY[cls.type_name] = cls

    @abstractmethod
    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable description, with a ``"type"`` key."""

    @classmethod
    @abstractmethod
    def _from_dict(cls, data: dict[str, Any]) -> Self:
        """Build an instance from a validated description."""

    @abstractmethod
    def load_flow(self, flow_name: str | None = None) -> Flow:
        """Fetch the code if needed and return the flow called `flow_name`.

        With no name, the file or module must define exactly one flow.
        """

    def build(self, flow: Flow) -> Storage:
        """Make the flow's code available before it is registered; returns the storage to
        register. Most storages point at code that is already there (self); `Docker`
        builds an image."""
        return self

    def run_config_for(self, run_config: Mapping[str, Any]) -> dict[str, Any]:
        """The run config to register with this storage (`Docker` names its image)."""
        return dict(run_config)

    def _describe(self) -> dict[str, Any]:
        """`to_dict` without its checks, for comparing and printing."""
        return self.to_dict()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Storage):
            return NotImplemented
        return self._describe() == other._describe()

    def __hash__(self) -> int:
        return hash(json.dumps(self._describe(), sort_keys=True, default=repr))

    def __repr__(self) -> str:
        items = [f"{k}={v!r}" for k, v in self._describe().items() if k != "type" and v]
        return f"{type(self).__name__}({', '.join(items)})"


def storage_from_dict(data: Any) -> Storage:
    """Rebuild a storage from `Storage.to_dict` output; a bad description is a StorageError."""
    if not isinstance(data, dict):
        raise StorageError(f"A storage description must be a dict, got {type(data).__name__}.")
    kind = data.get("type")
    cls = _REGISTRY.get(kind) if isinstance(kind, str) else None
    if cls is None:
        known = ", ".join(sorted(_REGISTRY))
        raise StorageError(f"Unknown storage type {kind!r}. Known types: {known}.")
    extra = sorted(set(data) - set(cls._fields) - {"type"})
    if extra:
        raise StorageError(
            f"Unknown key(s) {', '.join(map(repr, extra))} in a {kind!r} storage description. "
            f"Expected: {', '.join(cls._fields)}."
        )
    for key, (types, required) in cls._fields.items():
        if key not in data:
            if required:
                raise StorageError(f"A {kind!r} storage description needs a {key!r} key.")
            continue
        if not isinstance(data[key], types):
            expected = " or ".join("null" if t is type(None) else t.__name__ for t in types)
            raise StorageError(
                f"Key {key!r} of a {kind!r} storage description must be {expected}, "
                f"got {type(data[key]).__name__}."
            )
    return cls._from_dict(data)


def check_json(options: dict[str, Any], owner: str) -> None:
    """Refuse storage options that could not travel to the server as JSON."""
    try:
        json.dumps(options)
    except (TypeError, ValueError) as exc:
        raise StorageError(
            f"The storage_options of {owner} are not JSON-serialisable ({exc}). Pass only "
            "strings, numbers, booleans, lists and dicts."
        ) from None


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file through a temporary sibling and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")
    try:
        temp.write_bytes(data)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
