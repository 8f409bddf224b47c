"""Artifacts: markdown, links and tables a task run publishes for people to read.

A task calls `create_markdown_artifact(...)` (or the link/table forms) while it runs. The
artifact is kept on the task run's context and, when the attempt ends, handed back with
its state (`State.artifacts`), so it travels the way states already travel: from thread,
process and Dask workers alike, to the flow runner and its observers. A local run keeps
them in the flow run's result (`flow_state.result[task].artifacts`); a run reported to the
server sends them with its task states, in the same batches.

Outside a task run there is nowhere to keep an artifact: it is returned, logged at debug
level, and dropped; never an error (a script tried without the engine keeps working).

Text is masked (`proctor.core.masking`) when the artifact is made: a secret read by the
run never reaches the server inside an artifact.
"""

from __future__ import annotations

import json
import logging
import math
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from proctor.core.context import current_task_run
from proctor.core.errors import ProctorError
from proctor.core.masking import has_secret_values, mask_secrets

logger = logging.getLogger("proctor.artifacts")

ArtifactType = Literal["markdown", "link", "table"]
ARTIFACT_TYPES: tuple[str, ...] = ("markdown", "link", "table")

#: Largest artifact (its data as JSON, in bytes) the engine and the server accept.
MAX_ARTIFACT_BYTES = 1_000_000
#: Longest key and description.
MAX_KEY_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 2_000


class ArtifactError(ProctorError, ValueError):
    """An artifact that cannot be published as given (too large, bad table, bad key)."""


@dataclass(frozen=True)
class Artifact:
    """One artifact as the task run published it.

    `data` is the JSON form the server stores: `{"markdown": text}`, `{"link": url,
    "text": label}` or `{"columns": [...], "rows": [[...], ...]}`. `deleted` marks a
    deletion of the artifact with this `id` (made by `delete_artifact`).
    """

    id: str
    type: str
    data: dict[str, Any]
    key: str | None = None
    description: str | None = None
    task_slug: str | None = None
    map_index: int | None = None
    deleted: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The wire form (`writeArtifacts` item, without the flow run id)."""
        item: dict[str, Any] = {"id": self.id, "type": self.type, "data": self.data}
        if self.key is not None:
            item["key"] = self.key
        if self.description is not None:
            item["description"] = self.description
        if self.task_slug is not None:
            item["taskSlug"] = self.task_slug
            item["mapIndex"] = -1 if self.map_index is None else self.map_index
        if self.deleted:
            item["deleted"] = True
        return item


# -- building the data ---------------------------------------------------------------------


def _masked(value: Any) -> Any:
    """`value` with secret values masked in every string inside it."""
    if isinstance(value, str):
        return mask_secrets(value)
    if isinstance(value, list):
        return [_masked(item) for item in value]
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    return value


def _cell(value: Any) -> Any:
    """A table cell as JSON: numbers, text, booleans and null as they are, others as text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    return str(value)


Table = Sequence[Mapping[str, Any]] | Sequence[Sequence[Any]] | Mapping[str, Sequence[Any]]


def _from_columns(table: Mapping[str, Sequence[Any]]) -> dict[str, Any]:
    names = [str(name) for name in table]
    height = max((len(values) for values in table.values()), default=0)
    rows = [
        [_cell(values[i]) if i < len(values) else None for values in table.values()]
        for i in range(height)
    ]
    return {"columns": names, "rows": rows}


def _from_records(
    records: list[Mapping[str, Any]], columns: Sequence[str] | None
) -> dict[str, Any]:
    names = [str(name) for name in columns] if columns is not None else []
    if columns is None:  # the keys in order of first appearance
        names = list(dict.fromkeys(str(key) for row in records for key in row))
    return {"columns": names, "rows": [[_cell(row.get(name)) for name in names] for row in records]}


def _from_rows(records: list[Any], columns: Sequence[str] | None) -> dict[str, Any]:
    rows: list[list[Any]] = []
    for number, row in enumerate(records):
        if isinstance(row, Mapping | str | bytes) or not isinstance(row, Sequence):
            raise ArtifactError(
                f"Row {number} of the table is a {type(row).__name__}: give every row as a "
                "dict, or every row as a list."
            )
        rows.append([_cell(value) for value in row])
    width = max((len(row) for row in rows), default=0)
    if columns is None:
        names = [str(i + 1) for i in range(width)]
    else:
        names = [str(name) for name in columns]
        if width > len(names):
            raise ArtifactError(f"The table has rows of {width} cells but {len(names)} columns.")
    return {"columns": names, "rows": [row + [None] * (len(names) - len(row)) for row in rows]}


def table_data(table: Table, columns: Sequence[str] | None = None) -> dict[str, Any]:
    """A table's `{"columns", "rows"}` form, from a list of dicts (columns: the keys in
    order of first appearance), a list of lists with `columns`, or a dict of columns."""
    if isinstance(table, Mapping):
        return _from_columns(table)
    if isinstance(table, str | bytes) or not isinstance(table, Sequence):
        raise ArtifactError(
            "A table artifact takes a list of dicts, a list of lists (with columns=) or a "
            f"dict of columns, not {type(table).__name__}."
        )
    records = list(table)
    if records and all(isinstance(row, Mapping) for row in records):
        return _from_records(records, columns)  # type: ignore[arg-type]
    return _from_rows(records, columns)


def _check_text(value: str | None, what: str, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ArtifactError(f"An artifact's {what} must be text, not {type(value).__name__}.")
    if len(value) > limit:
        raise ArtifactError(f"An artifact's {what} is {len(value)} characters; at most {limit}.")
    return value


def _size(data: dict[str, Any]) -> int:
    return len(json.dumps(data, separators=(",", ":")).encode())


def make_artifact(
    type_: str,
    data: dict[str, Any],
    *,
    key: str | None = None,
    description: str | None = None,
    artifact_id: str | None = None,
) -> Artifact:
    """A checked, masked artifact of the task run in progress (if any)."""
    key = _check_text(key, "key", MAX_KEY_LENGTH)
    description = _check_text(description, "description", MAX_DESCRIPTION_LENGTH)
    if has_secret_values():
        data = _masked(data)
        description = None if description is None else mask_secrets(description)
    size = _size(data)
    if size > MAX_ARTIFACT_BYTES:
        raise ArtifactError(
            f"The {type_} artifact{f' {key!r}' if key else ''} is {size:,} bytes as JSON; "
            f"artifacts are at most {MAX_ARTIFACT_BYTES:,}. Publish a summary, and a link "
            "to the full data."
        )
    context = current_task_run.get()
    return Artifact(
        id=artifact_id or str(uuid.uuid4()),
        type=type_,
        data=data,
        key=key,
        description=description,
        task_slug=None if context is None else context.task_slug,
        map_index=None if context is None else context.map_index,
    )


def publish(artifact: Artifact) -> Artifact:
    """Keep `artifact` with the task run in progress; outside a run, log and drop it."""
    context = current_task_run.get()
    if context is None:
        logger.debug("Artifact %s made outside a task run: not kept", artifact.key or artifact.id)
        return artifact
    if context.artifacts is None:
        context.artifacts = []
    context.artifacts.append(artifact)
    return artifact


def _merged(earlier: Artifact, update: Artifact) -> Artifact:
    """An update of `earlier`: its new data, the key and description it had if not given."""
    return replace(
        update,
        key=earlier.key if update.key is None else update.key,
        description=earlier.description if update.description is None else update.description,
    )


def collapse(changes: Sequence[Artifact]) -> tuple[Artifact, ...]:
    """One entry per artifact id, in order of first appearance: a later version replaces
    an earlier one; a deletion of an artifact made in the same list removes it."""
    latest: dict[str, Artifact] = {}
    made_here: set[str] = set()
    for change in changes:
        if change.deleted and change.id in made_here:
            latest.pop(change.id, None)
            made_here.discard(change.id)
            continue
        earlier = latest.get(change.id)
        if not change.deleted:
            made_here.add(change.id)
        merged = change if earlier is None or change.deleted else _merged(earlier, change)
        latest[change.id] = merged
    return tuple(latest.values())


# -- the public functions --------------------------------------------------------------------


def create_markdown_artifact(
    markdown: str, key: str | None = None, description: str | None = None
) -> str:
    """Publish `markdown` as an artifact of the task run in progress; returns its id."""
    if not isinstance(markdown, str):
        raise ArtifactError(f"Markdown must be text, not {type(markdown).__name__}.")
    return publish(
        make_artifact("markdown", {"markdown": markdown}, key=key, description=description)
    ).id


def _link_data(link: str, link_text: str | None) -> dict[str, Any]:
    if not isinstance(link, str) or not link.strip():
        raise ArtifactError("A link artifact needs the link as non-empty text.")
    data: dict[str, Any] = {"link": link.strip()}
    if link_text is not None:
        data["text"] = str(link_text)
    return data


def create_link_artifact(
    link: str,
    link_text: str | None = None,
    key: str | None = None,
    description: str | None = None,
) -> str:
    """Publish a link (shown with `link_text`, or the link itself); returns its id.

    The UI opens only http(s) links; any other scheme is shown as text.
    """
    data = _link_data(link, link_text)
    return publish(make_artifact("link", data, key=key, description=description)).id


def create_table_artifact(
    table: Table,
    columns: Sequence[str] | None = None,
    key: str | None = None,
    description: str | None = None,
) -> str:
    """Publish a table: a list of dicts, a list of lists with `columns`, or a dict of
    columns. Cells that are not numbers, text, booleans or None are shown as text."""
    data = table_data(table, columns)
    return publish(make_artifact("table", data, key=key, description=description)).id


def _known_id(artifact_id: str) -> str:
    """`artifact_id` as made by a `create_*` function (a UUID), or a clear error."""
    try:
        return str(uuid.UUID(str(artifact_id)))
    except ValueError:
        raise ArtifactError(
            f"{artifact_id!r} is not an artifact id: pass what create_*_artifact returned."
        ) from None


def update_artifact(artifact_id: str, type_: str, data: dict[str, Any]) -> None:
    """Replace the data of the artifact `artifact_id` (made earlier, in this run or another
    of the team's runs); the change travels with this task run's state."""
    publish(make_artifact(type_, data, artifact_id=_known_id(artifact_id)))


def update_markdown_artifact(artifact_id: str, markdown: str) -> None:
    """Replace the markdown of the artifact `artifact_id`."""
    update_artifact(artifact_id, "markdown", {"markdown": markdown})


def update_link_artifact(artifact_id: str, link: str, link_text: str | None = None) -> None:
    """Replace the link of the artifact `artifact_id`."""
    update_artifact(artifact_id, "link", _link_data(link, link_text))


def delete_artifact(artifact_id: str) -> None:
    """Delete the artifact `artifact_id`."""
    made = make_artifact("markdown", {}, artifact_id=_known_id(artifact_id))
    publish(replace(made, deleted=True))


__all__ = [
    "ARTIFACT_TYPES",
    "MAX_ARTIFACT_BYTES",
    "Artifact",
    "ArtifactError",
    "ArtifactType",
    "collapse",
    "create_link_artifact",
    "create_markdown_artifact",
    "create_table_artifact",
    "delete_artifact",
    "make_artifact",
    "publish",
    "table_data",
    "update_artifact",
    "update_link_artifact",
    "update_markdown_artifact",
]
