"""1.x result classes: `LocalResult`, `PrefectResult`, and the cloud ones as fsspec results.

`S3Result(bucket=...)`, `GCSResult(bucket=...)` and `AzureResult(container=...)` are
Proctor's `FSSpecResult` on `s3://`, `gs://` and `az://` (the fsspec package of each,
s3fs, gcsfs or adlfs, must be installed where the flow runs; credentials come from the
environment as those packages read them). `PrefectResult` keeps a small JSON value in the
state itself, as 1.x did: the location *is* the JSON text, so it travels to the server with
the state. Use it for small values only.
"""

from __future__ import annotations

import json
import os
from typing import Any, Self

from proctor.core.errors import ResultError
from proctor.core.results.base import Location, Result
from proctor.core.results.fsspec import FSSpecResult
from proctor.core.results.local import LocalResult as _LocalResult
from proctor.core.results.serializers import JSONSerializer, Serializer


class LocalResult(_LocalResult):
    """Proctor's `LocalResult`, also taking 1.x's `validate_dir` (the folder is made on write)."""

    def __init__(
        self,
        dir: str | os.PathLike[str] | None = None,
        validate_dir: bool = True,
        location: Location | None = None,
        serializer: Serializer | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(dir=dir, location=location, serializer=serializer)
        if validate_dir and self.dir is not None:
            try:
                os.makedirs(self.dir, exist_ok=True)
            except OSError as exc:
                raise ResultError(f"LocalResult dir {self.dir} cannot be created: {exc}.") from exc


class PrefectResult(Result):
    """A JSON value kept in the state's location itself (no file, no bucket)."""

    type_name = "inline-json"

    def __init__(self, location: Location | None = None, **kwargs: Any) -> None:
        super().__init__(None, JSONSerializer())

    def write(self, value: Any, /, **context: Any) -> str:
        return self.serializer.dumps(value).decode("utf-8")

    def write_at(self, location: str, value: Any) -> str:
        return self.write(value)

    def _write(self, location: str, value: Any) -> None:  # the location holds the value
        return None

    def _read_bytes(self, location: str) -> bytes:
        return location.encode("utf-8")

    def exists(self, location: str) -> bool:
        try:
            json.loads(location)
        except (TypeError, ValueError):
            return False
        return True

    def delete(self, location: str) -> bool:
        return False

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type_name}

    @classmethod
    def _from_dict(cls, data: dict[str, Any]) -> Self:
        return cls()


class _BucketResult(FSSpecResult):
    scheme = ""

    def __init__(
        self,
        bucket: str,
        location: Location | None = None,
        serializer: Serializer | None = None,
        **kwargs: Any,
    ) -> None:
        if not isinstance(bucket, str) or not bucket.strip("/"):
            raise ResultError(f"{type(self).__name__} needs a bucket name, got {bucket!r}.")
        super().__init__(f"{self.scheme}://{bucket.strip('/')}", location, serializer)


class S3Result(_BucketResult):
    """`S3Result(bucket="b")`: `FSSpecResult("s3://b")` (needs s3fs)."""

    scheme = "s3"


class GCSResult(_BucketResult):
    """`GCSResult(bucket="b")`: `FSSpecResult("gs://b")` (needs gcsfs)."""

    scheme = "gs"


class AzureResult(_BucketResult):
    """`AzureResult(container="c")`: `FSSpecResult("az://c")` (needs adlfs)."""

    scheme = "az"

    def __init__(
        self,
        container: str,
        location: Location | None = None,
        serializer: Serializer | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(container, location, serializer)


# Descriptions are rebuilt with Proctor's own classes: the 1.x ones only widen how a result
# is built and name no kind of their own, so they take no kind from them. The inline JSON
# result is new, and registered under its own.


__all__ = ["AzureResult", "GCSResult", "LocalResult", "PrefectResult", "S3Result"]
