"""`Remote` storage: a flow file at an fsspec URL (``s3://``, ``gs://``, ``https://``, ...)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from proctor.core.errors import StorageError
from proctor.core.storage.base import Storage, check_json, storage_home, write_atomically

if TYPE_CHECKING:
    from proctor.core.flow import Flow

__all__ = ["Remote"]


class Remote(Storage):
    """A single flow file anywhere fsspec can read, downloaded before each load.

    Args:
        url: the file's URL, e.g. ``s3://bucket/flows/etl.py`` (the backend package, such
            as s3fs, must be installed where the flow runs).
        storage_options: keyword arguments for the fsspec filesystem. They are part of
            `to_dict`, so prefer credentials from the environment over secrets here.

    The file is saved under ``$PROCTOR_HOME/storage/remote/<hash of url>/`` with its own
    name, then executed. Only that one file is fetched: modules beside it are not.
    """

    type_name = "remote"
    _fields = {"url": ((str,), True), "storage_options": ((dict, type(None)), False)}

    def __init__(self, url: str, storage_options: dict[str, Any] | None = None) -> None:
        if not isinstance(url, str) or not url.strip():
            raise StorageError(f"Remote storage needs the URL of a flow file, got {url!r}.")
        if storage_options is not None and not isinstance(storage_options, dict):
            raise StorageError(
                f"storage_options must be a dict, got {type(storage_options).__name__}."
            )
        self.url = url
        self.storage_options: dict[str, Any] = dict(storage_options or {})

    @property
    def cache_file(self) -> Path:
        """Where the downloaded file is kept."""
        import hashlib

        key = hashlib.sha256(self.url.encode()).hexdigest()[:24]
        name = self.url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0] or "flow.py"
        return storage_home() / "remote" / key / name

    def fetch(self) -> Path:
        """Download the file and return its local path."""
        try:
            from fsspec.core import url_to_fs

            fs, path = url_to_fs(self.url, **self.storage_options)
            data = fs.cat_file(path)
        except FileNotFoundError:
            raise StorageError(
                f"No flow file at {self.url!r}. Check the URL, and that the file was uploaded."
            ) from None
        except IsADirectoryError:
            raise StorageError(
                f"{self.url!r} is a folder; Remote storage needs a file URL."
            ) from None
        except ImportError as exc:
            raise StorageError(
                f"Cannot open {self.url!r}: {exc}. Install the fsspec backend for this "
                "protocol where the flow runs (for example s3fs for s3://)."
            ) from exc
        except Exception as exc:
            raise StorageError(
                f"Cannot download {self.url!r}: {type(exc).__name__}: {exc}. Check the URL, "
                "network access, credentials and storage_options."
            ) from exc
        file = self.cache_file
        try:
            write_atomically(file, bytes(data))
        except OSError as exc:
            raise StorageError(f"Cannot save {self.url!r} to {file}: {exc}.") from exc
        return file

    def load_flow(self, flow_name: str | None = None) -> Flow:
        from proctor.core.loader import load_flows_from_path, select_flow

        file = self.fetch()
        return select_flow(load_flows_from_path(file), flow_name, self.url)

    def to_dict(self) -> dict[str, Any]:
        check_json(self.storage_options, f"Remote({self.url!r})")
        return self._describe()

    def _describe(self) -> dict[str, Any]:
        return {
            "type": self.type_name,
            "url": self.url,
            "storage_options": dict(self.storage_options),
        }

    @classmethod
    def _from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(data["url"], storage_options=data.get("storage_options"))
