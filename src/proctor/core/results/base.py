"""The `Result` base class: where a task's output is kept, and in what format.

A result has a *location*: a template such as ``"{flow_name}/{parameters[day]}.json"``,
rendered with `str.format` against the run context, or a function called with the context
as keyword arguments. Subclasses decide where a rendered location lives (a folder, an
fsspec URL) and how bytes get there; they all write atomically.
"""

from __future__ import annotations

import json
import os
import posixpath
import string
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, ClassVar, Self

from proctor.core.errors import ResultError
from proctor.core.results.info import ResultInfo
from proctor.core.results.serializers import PickleSerializer, Serializer, serializer_from_name

__all__ = ["DEFAULT_LOCATION", "Result", "proctor_home", "result_from_dict"]

#: Used when a result has no location of its own. `flow_run_id` makes it unique per run,
#: `task_slug` per task in the flow, and `map_suffix` (``""`` or ``"-<map index>"``) per
#: mapped child.
DEFAULT_LOCATION = "{flow_name}/{flow_run_id}/{task_slug}{map_suffix}.{ext}"

Location = str | Callable[..., str]

_REGISTRY: dict[str, type[Result]] = {}
_FORMATTER = string.Formatter()


def proctor_home() -> Path:
    """Proctor's own folder: ``$PROCTOR_HOME``, or ``~/.proctor`` when that is unset."""
    home = os.environ.get("PROCTOR_HOME") or "~/.proctor"
    return Path(home).expanduser()


def _template_fields(template: str) -> list[str]:
    """The root names used by a format template (``"parameters"`` for ``{parameters[x]}``)."""
    roots: list[str] = []
    for _, field, spec, _ in _FORMATTER.parse(template):
        if field is None:
            continue
        root = field.split(".", 1)[0].split("[", 1)[0]
        if root == "" or root.isdigit():
            raise ResultError(
                f"Result location {template!r} uses a positional field {{{field}}}; "
                "name the context value instead, e.g. {flow_name} or {parameters[x]}."
            )
        roots.append(root)
        if spec:  # a nested field such as {x:{width}}
            roots.extend(_template_fields(spec))
    return roots


def _check_template(template: str) -> None:
    if not template.strip():
        raise ResultError("A result location template cannot be empty.")
    try:
        _template_fields(template)
    except ValueError as exc:
        raise ResultError(
            f"Result location {template!r} is not a valid template: {exc}. "
            "Write fields as {name} and double literal braces: {{ and }}."
        ) from None


def check_relative(location: str) -> str:
    """Normalise a relative location; refuse one that climbs out of the base with ``..``."""
    normal = posixpath.normpath(location.replace("\\", "/"))
    if normal == ".." or normal.startswith("../"):
        raise ResultError(
            f"Result location {location!r} points outside the result's base folder. "
            "Use an absolute location to write elsewhere."
        )
    if normal in ("", "."):
        raise ResultError(f"Result location {location!r} does not name a file.")
    return normal


class Result(ABC):
    """Where and how a task's return value is persisted.

    Args:
        location: a `str.format` template rendered against the run context, or a function
            called with the context as keyword arguments that returns the location. When
            omitted, `DEFAULT_LOCATION` is used.
        serializer: how values become bytes; `PickleSerializer()` when omitted.

    Instances are cheap to build (no I/O), compare by value and pickle with both `pickle`
    and `cloudpickle` (the former only when the location is not a lambda or local function).
    """

    #: The ``"type"`` stored by `to_dict` and understood by `result_from_dict`.
    type_name: ClassVar[str] = ""

    location: Location | None
    serializer: Serializer

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Only a class that names its own type: a user's subclass of LocalResult must not
        # take "local" over from it for every result read back in this process.
        if cls.__dict__.get("type_name"):
            _REGISTRY[cls.type_name] = cls

    def __init__(
        self, location: Location | None = None, serializer: Serializer | None = None
    ) -> None:
        if isinstance(location, os.PathLike):
            location = os.fspath(location)
        if isinstance(location, str):
            _check_template(location)
        elif location is not None and not callable(location):
            raise ResultError(
                f"A result location must be a template string or a function returning one, "
                f"got {type(location).__name__}."
            )
        if serializer is None:
            serializer = PickleSerializer()
        elif isinstance(serializer, type) and issubclass(serializer, Serializer):
            raise ResultError(
                f"Pass a serializer instance, not the class: serializer={serializer.__name__}()."
            )
        elif not isinstance(serializer, Serializer):
            raise ResultError(
                f"serializer must be a Serializer such as JSONSerializer(), "
                f"got {type(serializer).__name__}."
            )
        self.location = location
        self.serializer = serializer

    # -- locations -----------------------------------------------------------------------

    def _context(self, context: dict[str, Any]) -> dict[str, Any]:
        full: dict[str, Any] = {
            "ext": self.serializer.extension,
            "map_index": None,
            "today": datetime.now(UTC).date().isoformat(),
        }
        full.update(context)
        if "map_suffix" not in context:
            index = full["map_index"]
            full["map_suffix"] = "" if index is None else f"-{index}"
        return full

    def format_location(self, /, **context: Any) -> str:
        """Render this result's location for one task run.

        Besides the keys given, the context always has `ext` (the serializer's file
        extension), `map_index` (``None`` unless given), `map_suffix` (``""``, or
        ``"-<map_index>"`` for a mapped child) and `today` (the UTC date, ``YYYY-MM-DD``).
        """
        ctx = self._context(context)
        location = DEFAULT_LOCATION if self.location is None else self.location
        if isinstance(location, str):
            rendered = self._render_template(location, ctx)
        else:
            rendered = self._call_location(location, ctx)
        if not rendered.strip():
            raise ResultError(f"Result location {location!r} rendered to an empty string.")
        return rendered

    @staticmethod
    def _render_template(template: str, ctx: dict[str, Any]) -> str:
        available = ", ".join(sorted(ctx))
        for root in _template_fields(template):
            if root not in ctx:
                raise ResultError(
                    f"Result location {template!r} uses {{{root}}}, which is not in the run "
                    f"context. Available keys: {available}."
                )
        try:
            return template.format(**ctx)
        except (KeyError, IndexError) as exc:
            raise ResultError(
                f"Result location {template!r} could not be rendered: no key "
                f"{exc.args[0]!r} in a context value. Available keys: {available}."
            ) from None
        except (AttributeError, TypeError, ValueError) as exc:
            raise ResultError(
                f"Result location {template!r} could not be rendered: {exc}."
            ) from None

    @staticmethod
    def _call_location(function: Callable[..., Any], ctx: dict[str, Any]) -> str:
        name = getattr(function, "__qualname__", repr(function))
        try:
            rendered = function(**ctx)
        except ResultError:
            raise
        except TypeError as exc:
            raise ResultError(
                f"Result location function {name} failed: {exc}. It is called with the run "
                "context as keyword arguments, so give it a **context parameter."
            ) from exc
        except Exception as exc:
            raise ResultError(
                f"Result location function {name} raised {type(exc).__name__}: {exc}."
            ) from exc
        if isinstance(rendered, os.PathLike):
            rendered = os.fspath(rendered)
        if not isinstance(rendered, str):
            raise ResultError(
                f"Result location function {name} returned {type(rendered).__name__}; "
                "it must return a str."
            )
        return rendered

    # -- storage -------------------------------------------------------------------------

    def write(self, value: Any, /, **context: Any) -> str:
        """Serialize `value`, store it atomically and return its location.

        The returned location is what `read`, `exists` and `delete` take.
        """
        location = self.format_location(**context)
        self._write(location, value)
        return location

    def write_at(self, location: str, value: Any) -> str:
        """Like `write`, to a location already rendered (taken literally, braces and all)."""
        if not isinstance(location, str) or not location.strip():
            raise ResultError(f"A result location must be a non-empty str, got {location!r}.")
        self._write(location, value)
        return location

    def describe(self, location: str) -> ResultInfo:
        """What a person may know of the result at `location` without reading it: its
        full location, size (when cheap to learn) and format. Never raises."""
        return ResultInfo(location, self._size(location), self.serializer.name, type(self).__name__)

    def _size(self, location: str) -> int | None:
        """The stored size in bytes, or None where asking costs a remote call."""
        return None

    def read(self, location: str) -> Any:
        """Return the value stored at `location`."""
        data = self._read_bytes(location)
        try:
            return self.serializer.loads(data)
        except Exception as exc:
            raise ResultError(
                f"The result at {location!r} could not be read with the "
                f"{self.serializer.name!r} serializer: {type(exc).__name__}: {exc}. "
                "The data is corrupt or was written with a different serializer."
            ) from exc

    @abstractmethod
    def exists(self, location: str) -> bool:
        """Whether a result is stored at `location`."""

    @abstractmethod
    def delete(self, location: str) -> bool:
        """Remove the result at `location`; False when there was none."""

    @abstractmethod
    def _write(self, location: str, value: Any) -> None:
        """Store `value` at `location` atomically."""

    @abstractmethod
    def _read_bytes(self, location: str) -> bytes:
        """The bytes at `location`; a ResultError naming it when there are none."""

    def _dump(self, value: Any, file: IO[bytes], location: str) -> None:
        """Serialize into `file`, turning any failure into a ResultError."""
        try:
            self.serializer.dump(value, file)
        except ResultError as exc:
            raise ResultError(f"Cannot write the result to {location!r}: {exc}") from exc
        except Exception as exc:
            raise ResultError(
                f"Cannot write the result to {location!r}: the {self.serializer.name!r} "
                f"serializer failed on a value of type {type(value).__name__}: "
                f"{type(exc).__name__}: {exc}."
            ) from exc

    # -- description ---------------------------------------------------------------------

    def with_location(self, location: Location | None) -> Self:
        """A copy of this result with another location."""
        copy = self.__class__.__new__(self.__class__)
        copy.__dict__.update(self.__dict__)
        Result.__init__(copy, location, self.serializer)
        return copy

    def _base_dict(self) -> dict[str, Any]:
        return {
            "type": self.type_name,
            "location": self.location if isinstance(self.location, str) else None,
            "serializer": self.serializer.name,
        }

    @abstractmethod
    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable description. A function location is stored as ``None``."""

    @classmethod
    @abstractmethod
    def _from_dict(cls, data: dict[str, Any]) -> Self:
        """Build an instance from a validated `to_dict` output."""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Result):
            return NotImplemented
        return type(self) is type(other) and vars(self) == vars(other)

    def __hash__(self) -> int:
        return hash((type(self), json.dumps(vars(self), sort_keys=True, default=repr)))

    def __repr__(self) -> str:
        args = [f"{k}={v!r}" for k, v in self._repr_items() if v is not None]
        return f"{type(self).__name__}({', '.join(args)})"

    def _repr_items(self) -> list[tuple[str, Any]]:
        return [("location", self.location), ("serializer", self.serializer)]


def _check_fields(data: dict[str, Any], allowed: dict[str, tuple[type, ...]], kind: str) -> None:
    extra = sorted(set(data) - set(allowed) - {"type"})
    if extra:
        raise ResultError(
            f"Unknown key(s) {', '.join(map(repr, extra))} in a {kind!r} result description. "
            f"Expected: type, {', '.join(allowed)}."
        )
    for key, types in allowed.items():
        if key in data and not isinstance(data[key], types):
            expected = " or ".join("null" if t is type(None) else t.__name__ for t in types)
            raise ResultError(
                f"Key {key!r} of a {kind!r} result description must be {expected}, "
                f"got {type(data[key]).__name__}."
            )


def result_from_dict(data: Any) -> Result:
    """Rebuild a result from `Result.to_dict` output."""
    if not isinstance(data, dict):
        raise ResultError(f"A result description must be a dict, got {type(data).__name__}.")
    kind = data.get("type")
    cls = _REGISTRY.get(kind) if isinstance(kind, str) else None
    if cls is None:
        known = ", ".join(sorted(_REGISTRY))
        raise ResultError(f"Unknown result type {kind!r}. Known types: {known}.")
    return cls._from_dict(data)


def _common_from_dict(data: dict[str, Any]) -> tuple[str | None, Serializer]:
    name = data.get("serializer")
    serializer = PickleSerializer() if name is None else serializer_from_name(name)
    location: str | None = data.get("location")
    return location, serializer
