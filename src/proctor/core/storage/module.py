"""`Module` storage: a flow defined in a module importable on the agent's machine."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from proctor.core.errors import StorageError
from proctor.core.storage.base import Storage

if TYPE_CHECKING:
    from proctor.core.flow import Flow

__all__ = ["Module"]


class Module(Storage):
    """A dotted module name, such as ``"my_package.flows"``.

    The module must be installed, or on ``PYTHONPATH``, wherever the flow runs. Nothing is
    imported until `load_flow`.
    """

    type_name = "module"
    _fields = {"name": ((str,), True)}

    def __init__(self, name: str) -> None:
        if not isinstance(name, str) or not all(part.isidentifier() for part in name.split(".")):
            raise StorageError(
                f"Module storage needs a dotted module name such as 'my_package.flows', "
                f"got {name!r}."
            )
        self.name = name

    def load_flow(self, flow_name: str | None = None) -> Flow:
        import importlib.util

        from proctor.core.loader import load_flows_from_module, select_flow

        found, reason = True, ""
        try:
            found = importlib.util.find_spec(self.name) is not None
        except ModuleNotFoundError as exc:  # a parent package is missing
            found, reason = False, f" ({exc})"
        except Exception:
            pass  # a parent package failed to import: the loader reports that error
        if not found:
            raise StorageError(
                f"Module {self.name!r} cannot be found on this machine{reason}. Install the "
                "package that provides it in the agent's environment, or add its folder to "
                "PYTHONPATH."
            )
        return select_flow(load_flows_from_module(self.name), flow_name, self.name)

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type_name, "name": self.name}

    @classmethod
    def _from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(data["name"])
