"""`Local` storage: a flow file on the agent's own machine."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from proctor.core.errors import StorageError
from proctor.core.storage.base import Storage

if TYPE_CHECKING:
    from proctor.core.flow import Flow

__all__ = ["Local"]


class Local(Storage):
    """A ``.py`` file at a path that exists on the machine running the flow.

    The path is made absolute when the storage is built, so register from any folder.
    """

    type_name = "local"
    _fields = {"path": ((str,), True)}

    def __init__(self, path: str | os.PathLike[str]) -> None:
        if not isinstance(path, (str, os.PathLike)) or not os.fspath(path):
            raise StorageError(f"Local storage needs the path of a flow file, got {path!r}.")
        self.path = os.path.abspath(os.path.expanduser(os.fspath(path)))

    def fetch(self) -> Path:
        """The flow file's path, once checked to exist here."""
        file = Path(self.path)
        if not file.is_file():
            raise StorageError(
                f"Flow file {file} does not exist on this machine. Local storage reads the "
                "file from the agent's own disk: copy it there, or use Git or Remote storage."
            )
        return file

    def load_flow(self, flow_name: str | None = None) -> Flow:
        from proctor.core.loader import load_flows_from_path, select_flow

        file = self.fetch()
        return select_flow(load_flows_from_path(file), flow_name, str(file))

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type_name, "path": self.path}

    @classmethod
    def _from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(data["path"])
