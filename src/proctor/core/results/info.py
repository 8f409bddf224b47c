"""`ResultInfo`: what the engine knows about a result it persisted, for people to see.

The value stays where it was written (the user's infrastructure); the server and the UI
get only this: where, how large, and in which format, so a task-run page can say what a
result is and how to load it without ever reading it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ResultInfo:
    """A persisted result: its full location (a path or URL), size in bytes (None when
    the store cannot tell cheaply), serializer name and result class."""

    location: str
    size: int | None
    serializer: str
    result_type: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "location": self.location,
            "size": self.size,
            "serializer": self.serializer,
            "result_type": self.result_type,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ResultInfo:
        size = data.get("size")
        return cls(
            location=str(data.get("location") or ""),
            size=size if isinstance(size, int) and not isinstance(size, bool) else None,
            serializer=str(data.get("serializer") or ""),
            result_type=str(data.get("result_type") or ""),
        )


__all__ = ["ResultInfo"]
