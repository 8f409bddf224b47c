"""`FSSpecResult`: results kept on any filesystem fsspec knows (memory, local, S3, GCS, ...).

fsspec is imported when a result is first written or read, never at import time.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Self

from proctor.core.errors import ResultError
from proctor.core.results.base import Location, Result, _check_fields, _common_from_dict
from proctor.core.results.base import check_relative as _check_relative
from proctor.core.results.info import ResultInfo
from proctor.core.results.serializers import Serializer

if TYPE_CHECKING:
    from fsspec import AbstractFileSystem

__all__ = ["FSSpecResult"]

# Object stores publish an object only once its upload completes, so a single put is
# already atomic there, and a rename would be a full server-side copy.
_ATOMIC_PUT_PROTOCOLS = frozenset(
    {"s3", "s3a", "gs", "gcs", "az", "abfs", "abfss", "adl", "oss", "r2"}
)


class FSSpecResult(Result):
    """Results stored under an fsspec URL such as ``s3://bucket/results`` or ``memory://x``.

    Args:
        url: the base URL; locations are joined to it with ``/``.
        location: template or function giving the path relative to `url`. A full URL
            (``proto://...``) or an absolute path on the same filesystem is used as is.
        serializer: how values become bytes; `PickleSerializer()` when omitted.
        storage_options: keyword arguments for the fsspec filesystem (endpoint, profile, ...).
            They are part of `to_dict`, so prefer credentials from the environment over
            secrets here.

    The value is serialized in memory first, so a failing serializer never touches storage.
    On object stores (s3, gs, az, ...) the bytes go up in one put, which those stores make
    atomic; elsewhere they go to a temporary path that is then moved onto the final one.
    """

    type_name = "fsspec"

    def __init__(
        self,
        url: str,
        location: Location | None = None,
        serializer: Serializer | None = None,
        storage_options: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(location, serializer)
        if not isinstance(url, str) or not url.strip():
            raise ResultError(
                f"FSSpecResult needs a base URL such as 's3://bucket/x', got {url!r}."
            )
        if storage_options is not None and not isinstance(storage_options, dict):
            raise ResultError(
                f"storage_options must be a dict, got {type(storage_options).__name__}."
            )
        self.url = url
        self.storage_options: dict[str, Any] = dict(storage_options or {})

    def url_for(self, location: str) -> str:
        """The full URL of a location."""
        if not isinstance(location, str) or not location:
            raise ResultError(f"A result location must be a non-empty str, got {location!r}.")
        if "://" in location:
            return location
        if location.startswith("/"):
            protocol, sep, _ = self.url.partition("://")
            return f"{protocol}://{location}" if sep else location
        return f"{self.url.rstrip('/')}/{_check_relative(location)}"

    def _filesystem(self, location: str) -> tuple[AbstractFileSystem, str]:
        url = self.url_for(location)
        try:
            from fsspec.core import url_to_fs

            fs, path = url_to_fs(url, **self.storage_options)
        except ImportError as exc:
            raise ResultError(
                f"Cannot open {url!r}: {exc}. Install the fsspec backend for this protocol "
                "(for example s3fs for s3://, gcsfs for gs://)."
            ) from exc
        except Exception as exc:
            raise ResultError(
                f"Cannot open {url!r}: {type(exc).__name__}: {exc}. Check the URL and "
                "storage_options."
            ) from exc
        return fs, path

    def describe(self, location: str) -> ResultInfo:
        info = super().describe(location)
        try:
            return replace(info, location=self.url_for(location))
        except ResultError:
            return info

    def _size(self, location: str) -> int | None:
        # Only where asking is local: a remote store's size costs a request per result.
        if self.url.partition("://")[0] not in ("file", "memory", "local"):
            return None
        try:
            fs, path = self._filesystem(location)
            size = fs.size(path)
        except Exception:  # a description never fails the task run
            return None
        return size if isinstance(size, int) else None

    def _write(self, location: str, value: Any) -> None:
        buffer = io.BytesIO()
        self._dump(value, buffer, location)
        data = buffer.getvalue()
        fs, path = self._filesystem(location)
        protocols = {fs.protocol} if isinstance(fs.protocol, str) else set(fs.protocol)
        try:
            if protocols & _ATOMIC_PUT_PROTOCOLS:
                fs.pipe_file(path, data)
            else:
                self._write_via_temp(fs, path, data)
        except ResultError:
            raise
        except Exception as exc:
            raise ResultError(
                f"Cannot write the result to {self.url_for(location)!r}: "
                f"{type(exc).__name__}: {exc}."
            ) from exc

    @staticmethod
    def _write_via_temp(fs: AbstractFileSystem, path: str, data: bytes) -> None:
        parent, _, name = path.rpartition("/")
        if parent:
            fs.makedirs(parent, exist_ok=True)
        temp = f"{parent}/.{name}.{os.urandom(6).hex()}.tmp"
        moved = False
        try:
            fs.pipe_file(temp, data)
            try:
                fs.mv(temp, path)
                moved = True
            except NotImplementedError:
                # No rename on this filesystem: fall back to writing in place.
                fs.pipe_file(path, data)
        finally:
            if not moved:
                with contextlib.suppress(Exception):
                    fs.rm_file(temp)

    def _read_bytes(self, location: str) -> bytes:
        fs, path = self._filesystem(location)
        try:
            data = fs.cat_file(path)
        except FileNotFoundError:
            raise ResultError(
                f"No result at {location!r} (looked for {self.url_for(location)!r})."
            ) from None
        except Exception as exc:
            raise ResultError(
                f"Cannot read the result at {self.url_for(location)!r}: "
                f"{type(exc).__name__}: {exc}."
            ) from exc
        if not isinstance(data, bytes):
            data = bytes(data)
        return data

    def exists(self, location: str) -> bool:
        fs, path = self._filesystem(location)
        try:
            return bool(fs.isfile(path))
        except Exception as exc:
            raise ResultError(
                f"Cannot check the result at {self.url_for(location)!r}: "
                f"{type(exc).__name__}: {exc}."
            ) from exc

    def delete(self, location: str) -> bool:
        fs, path = self._filesystem(location)
        try:
            if not fs.isfile(path):
                return False
            fs.rm_file(path)
        except FileNotFoundError:
            return False
        except Exception as exc:
            raise ResultError(
                f"Cannot delete the result at {self.url_for(location)!r}: "
                f"{type(exc).__name__}: {exc}."
            ) from exc
        return True

    def to_dict(self) -> dict[str, Any]:
        try:
            json.dumps(self.storage_options)
        except (TypeError, ValueError) as exc:
            raise ResultError(
                f"The storage_options of FSSpecResult({self.url!r}) are not JSON-serialisable "
                f"({exc}), so this result cannot be described to the server. Pass only "
                "strings, numbers, booleans, lists and dicts."
            ) from None
        return {
            **self._base_dict(),
            "url": self.url,
            "storage_options": dict(self.storage_options),
        }

    @classmethod
    def _from_dict(cls, data: dict[str, Any]) -> Self:
        _check_fields(
            data,
            {
                "location": (str, type(None)),
                "serializer": (str, type(None)),
                "url": (str,),
                "storage_options": (dict, type(None)),
            },
            "fsspec",
        )
        if "url" not in data:
            raise ResultError("An 'fsspec' result description needs a 'url'.")
        location, serializer = _common_from_dict(data)
        return cls(
            data["url"],
            location=location,
            serializer=serializer,
            storage_options=data.get("storage_options"),
        )

    def _repr_items(self) -> list[tuple[str, Any]]:
        options = self.storage_options or None
        return [("url", self.url), *super()._repr_items(), ("storage_options", options)]
