# mypy: disable-error-code="untyped-decorator"
# (strawberry's field decorators are not typed; the resolvers themselves are.)
"""`TaskRun.result`: where a task run's persisted result is, and what it is.

The engine records each result it persists (location, size, serializer, result class:
`proctor.core.results.info`) in the state it reports; the history row keeps it. The server
reads the value itself only for JSON and text results under a folder it was configured to
read (`PROCTOR_SERVER_RESULT_PREVIEW_DIRS`, none by default), never pickles, and never a
result on the users' infrastructure: then the page shows the location and the code that
loads it with the client, on a machine that can reach it.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from urllib.parse import urlparse

import sqlalchemy as sa
import strawberry

from proctor.core.results.info import ResultInfo
from proctor.server.api.loaders import ctx
from proctor.server.database.models import TaskRunState

#: Largest result the server previews, and how much of it it shows.
PREVIEW_MAX_BYTES = 64_000
PREVIEW_CHARS = 4_000
_PREVIEWABLE = frozenset({"json", "text"})


@strawberry.type(description="A task run's persisted result: where, how large, what kind.")
class ResultDetails:
    location: str = strawberry.field(description="Full path or URL of the result.")
    size: float | None = strawberry.field(description="Bytes, when the engine could tell.")
    serializer: str | None = strawberry.field(description="pickle, json, text, ...")
    result_type: str | None = strawberry.field(description="The result store's class.")
    preview: str | None = strawberry.field(
        description="The start of a JSON or text result the server may read."
    )
    preview_note: str = strawberry.field(description="Why there is a preview, or not.")
    load_snippet: str = strawberry.field(description="Python that loads the value.")


def _local_path(location: str) -> Path | None:
    parsed = urlparse(location)
    if parsed.scheme == "file":
        return Path(parsed.path)
    if parsed.scheme == "" and os.path.isabs(location):
        return Path(location)
    return None


def _readable(path: Path, folders: list[str]) -> bool:
    """Whether `path` (links resolved) lies inside one of the configured folders."""
    try:
        real = path.resolve(strict=True)
    except OSError:
        return False
    for folder in folders:
        try:
            base = Path(folder).expanduser().resolve(strict=True)
        except OSError:
            continue
        if real.is_relative_to(base):
            return True
    return False


def preview(info: ResultInfo, folders: list[str]) -> tuple[str | None, str]:
    """The start of the result's text, or None, and a sentence saying why."""
    if info.serializer not in _PREVIEWABLE:
        return None, (
            f"No preview: the result is stored with the {info.serializer or 'unknown'} "
            "serializer, which the server never reads."
        )
    path = _local_path(info.location)
    if path is None or not folders or not _readable(path, folders):
        return None, (
            "No preview: the result is on your infrastructure, which the server does not "
            "read. Load it with the client from a machine that can reach it."
        )
    try:
        size = path.stat().st_size
        if size > PREVIEW_MAX_BYTES:
            return (
                None,
                f"No preview: the result is {size:,} bytes (at most {PREVIEW_MAX_BYTES:,}).",
            )
        with path.open("rb") as handle:
            text = handle.read(PREVIEW_MAX_BYTES).decode("utf-8", errors="replace")
    except OSError as exc:
        return None, f"No preview: the server cannot read the file ({exc.strerror or exc})."
    cut = len(text) > PREVIEW_CHARS
    return text[:PREVIEW_CHARS], "Preview of the first 4,000 characters." if cut else "Preview."


def load_snippet(flow_run_id: str, task_slug: str, map_index: int) -> str:
    index = "" if map_index < 0 else f", map_index={map_index}"
    return (
        "from proctor.client import Client\n\n"
        "with Client() as client:\n"
        f"    value = client.load_result({flow_run_id!r}, {task_slug!r}{index})\n"
    )


async def _recorded(info: strawberry.Info, task_run_id: uuid.UUID, location: str) -> ResultInfo:
    """What the engine recorded with the newest state that has this location."""
    context = ctx(info)
    statement = (
        sa.select(TaskRunState.data)
        .where(
            TaskRunState.tenant_id == context.tenant_id,
            TaskRunState.task_run_id == task_run_id,
            TaskRunState.result_location == location,
        )
        .order_by(TaskRunState.timestamp.desc())
        .limit(5)
    )
    async with context.db.session() as session:
        for data in (await session.scalars(statement)).all():
            if isinstance(data, dict) and isinstance(data.get("result_info"), dict):
                return ResultInfo.from_dict(data["result_info"])
    return ResultInfo(location=location, size=None, serializer="", result_type="")


def _folders(info: strawberry.Info) -> list[str]:
    connection = ctx(info).connection
    settings = getattr(connection.app.state, "settings", None) if connection else None
    if settings is None:
        from proctor.settings import get_settings

        settings = get_settings()
    return list(settings.server.result_preview_dirs)


async def task_run_result(
    info: strawberry.Info,
    task_run_id: str,
    location: str | None,
    flow_run_id: str = "",
    task_slug: str = "",
    map_index: int = -1,
) -> ResultDetails | None:
    if not location:
        return None
    recorded = await _recorded(info, uuid.UUID(str(task_run_id)), location)
    text, note = preview(recorded, _folders(info))
    return ResultDetails(
        location=recorded.location or location,
        size=None if recorded.size is None else float(recorded.size),
        serializer=recorded.serializer or None,
        result_type=recorded.result_type or None,
        preview=text,
        preview_note=note,
        load_snippet=load_snippet(flow_run_id, task_slug, map_index),
    )


__all__ = ["PREVIEW_MAX_BYTES", "ResultDetails", "load_snippet", "preview", "task_run_result"]
