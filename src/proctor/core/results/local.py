"""`LocalResult`: results kept as files in a folder on the machine running the task."""

from __future__ import annotations

import contextlib
import os
from dataclasses import replace
from pathlib import Path
from typing import Any, Self

from proctor.core.errors import ResultError
from proctor.core.results.base import (
    Location,
    Result,
    _check_fields,
    _common_from_dict,
    check_relative,
    proctor_home,
)
from proctor.core.results.info import ResultInfo
from proctor.core.results.serializers import Serializer

__all__ = ["LocalResult"]


class LocalResult(Result):
    """Results stored as files under a local folder.

    Args:
        dir: the base folder. When omitted, ``$PROCTOR_HOME/results`` (``~/.proctor/results``
            by default), looked up each time the result is used rather than when it is built.
        location: template or function giving the file's path relative to `dir` (an
            absolute path is used as is). Missing parent folders are created.
        serializer: how values become bytes; `PickleSerializer()` when omitted.

    A write goes to a hidden temporary file next to the target, which is then renamed over
    it, so a process killed mid-write never leaves a partial file at the final location.
    """

    type_name = "local"

    def __init__(
        self,
        dir: str | os.PathLike[str] | None = None,
        location: Location | None = None,
        serializer: Serializer | None = None,
    ) -> None:
        super().__init__(location, serializer)
        if dir is not None and not isinstance(dir, (str, os.PathLike)):
            raise ResultError(f"LocalResult dir must be a path, got {type(dir).__name__}.")
        self.dir: str | None = (
            None if dir is None else os.path.abspath(os.path.expanduser(os.fspath(dir)))
        )

    @property
    def base_dir(self) -> Path:
        """The folder relative locations are resolved against."""
        if self.dir is None:
            return proctor_home() / "results"
        return Path(self.dir)

    def path_for(self, location: str) -> Path:
        """The absolute file path of a location."""
        if not isinstance(location, str) or not location:
            raise ResultError(f"A result location must be a non-empty str, got {location!r}.")
        if os.path.isabs(location):
            return Path(location)
        return self.base_dir / check_relative(location)

    def describe(self, location: str) -> ResultInfo:
        info = super().describe(location)
        try:
            return replace(info, location=str(self.path_for(location)))
        except ResultError:
            return info

    def _size(self, location: str) -> int | None:
        try:
            return self.path_for(location).stat().st_size
        except (OSError, ResultError):
            return None

    def _write(self, location: str, value: Any) -> None:
        path = self.path_for(location)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ResultError(
                f"Cannot create the folder {path.parent} for result {location!r}: "
                f"{exc.strerror or exc}. Check the path and its permissions."
            ) from exc
        temp = path.with_name(f".{path.name}.{os.urandom(6).hex()}.tmp")
        try:
            # 0o666 lets the process umask decide the final permissions, as open() would.
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o666)
            with os.fdopen(fd, "wb") as file:
                self._dump(value, file, location)
            os.replace(temp, path)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise ResultError(
                    f"Cannot write the result to {path}: {exc.strerror or exc}."
                ) from exc
            raise

    def _read_bytes(self, location: str) -> bytes:
        path = self.path_for(location)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise ResultError(
                f"No result at {location!r} (looked for {path}). Was it written on this "
                "machine, with the same result folder?"
            ) from None
        except OSError as exc:
            raise ResultError(
                f"Cannot read the result at {location!r} ({path}): {exc.strerror or exc}."
            ) from exc

    def exists(self, location: str) -> bool:
        return self.path_for(location).is_file()

    def delete(self, location: str) -> bool:
        path = self.path_for(location)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise ResultError(
                f"Cannot delete the result at {location!r} ({path}): {exc.strerror or exc}."
            ) from exc
        return True

    def to_dict(self) -> dict[str, Any]:
        return {**self._base_dict(), "dir": self.dir}

    @classmethod
    def _from_dict(cls, data: dict[str, Any]) -> Self:
        _check_fields(
            data,
            {
                "location": (str, type(None)),
                "serializer": (str, type(None)),
                "dir": (str, type(None)),
            },
            "local",
        )
        location, serializer = _common_from_dict(data)
        return cls(dir=data.get("dir"), location=location, serializer=serializer)

    def _repr_items(self) -> list[tuple[str, Any]]:
        return [("dir", self.dir), *super()._repr_items()]


_O_BINARY: int = getattr(os, "O_BINARY", 0)
