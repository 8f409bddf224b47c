"""The task cache: reuse a task's earlier result instead of running it again.

Entries live in this process's memory; when the task has a result store, the entry's
record (expiry and fingerprints) and its value are also written there, so another process
(a later `flow.run`, an agent's run) finds them.
"""

from __future__ import annotations

import copy
import hashlib
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from proctor.core.cache_validators import CacheRecord, duration_only
from proctor.core.errors import ProctorError
from proctor.core.runner.fingerprint import fingerprints
from proctor.core.runner.templates import render

if TYPE_CHECKING:
    from proctor.core.context import TaskRunContext
    from proctor.core.results import Result
    from proctor.core.task import Task

_memory: dict[str, CacheRecord] = {}
_lock = threading.Lock()


def cache_key(task: Task, context: TaskRunContext, inputs: dict[str, Any]) -> str:
    """The entry's name: the task's `cache_key` template, or flow + task (+ map index)."""
    if task.cache_key is not None:
        return render(task.cache_key, context, inputs, what=f"cache_key of task {task.name!r}")
    key = f"{context.flow_run.flow_name}/{context.task_slug}"
    return key if context.map_index is None else f"{key}[{context.map_index}]"


def _record_location(key: str) -> str:
    return f".proctor-cache/{hashlib.sha256(key.encode()).hexdigest()}.record"


def lookup(
    task: Task, key: str, inputs: dict[str, Any], parameters: dict[str, Any], store: Result | None
) -> CacheRecord | None:
    """A valid cached record for this run, or None."""
    validator: Callable[..., bool] = task.cache_validator or duration_only
    with _lock:
        record = _memory.get(key)
    if record is None and store is not None:
        record = _load(store, key)
    if record is None:
        return None
    try:
        valid = validator(record, inputs, parameters)
    except Exception as exc:
        raise ProctorError(
            f"cache_validator of task {task.name!r} failed: {type(exc).__name__}: {exc}"
        ) from exc
    return record if valid else None


def save(
    task: Task,
    key: str,
    value: Any,
    inputs: dict[str, Any],
    parameters: dict[str, Any],
    store: Result | None,
    result_location: str | None,
) -> None:
    expires = None if task.cache_for is None else time.time() + task.cache_for
    record = CacheRecord(
        value,
        expires,
        fingerprints(inputs),
        fingerprints(parameters),
        result_location=result_location,
    )
    with _lock:
        _memory[key] = record
    if store is not None and result_location is not None:
        _records(store).write_at(_record_location(key), record.to_dict())


def _records(store: Result) -> Result:
    # Cache records are always JSON, whatever serializer the task's values use.
    from proctor.core.results import JSONSerializer

    records = copy.copy(store)
    records.serializer = JSONSerializer()
    return records


def _load(store: Result, key: str) -> CacheRecord | None:
    location = _record_location(key)
    if not store.exists(location):
        return None
    data = _records(store).read(location)
    record = CacheRecord.from_dict(data)
    if record.result_location is None or not store.exists(record.result_location):
        return None
    record.value = store.read(record.result_location)
    with _lock:
        _memory[key] = record
    return record


def clear_memory_cache() -> None:
    """Forget every in-process cache entry (persisted entries stay)."""
    with _lock:
        _memory.clear()


__all__ = ["cache_key", "clear_memory_cache", "lookup", "save"]
