"""Cache validators: decide whether a cached task result may be reused.

A validator is `(record, inputs, parameters) -> bool`, where `record` is the
`CacheRecord` saved when the result was computed. Tasks use `duration_only` unless told
otherwise.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from proctor.core.runner.fingerprint import fingerprints

Validator = Callable[["CacheRecord", Mapping[str, Any], Mapping[str, Any]], bool]


class CacheRecord:
    """What the cache knows of one stored result: when it expires and what produced it."""

    __slots__ = ("created", "expires", "inputs", "parameters", "result_location", "value")

    def __init__(
        self,
        value: Any,
        expires: float | None,
        inputs: dict[str, str],
        parameters: dict[str, str],
        *,
        result_location: str | None = None,
        created: float | None = None,
    ) -> None:
        self.value = value
        self.expires = expires
        self.inputs = inputs
        self.parameters = parameters
        self.result_location = result_location
        self.created = time.time() if created is None else created

    def to_dict(self) -> dict[str, Any]:
        """The record without its value (which lives at `result_location`)."""
        return {
            "expires": self.expires,
            "inputs": self.inputs,
            "parameters": self.parameters,
            "result_location": self.result_location,
            "created": self.created,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], value: Any = None) -> CacheRecord:
        return cls(
            value,
            data.get("expires"),
            dict(data.get("inputs") or {}),
            dict(data.get("parameters") or {}),
            result_location=data.get("result_location"),
            created=data.get("created"),
        )


def never_use(
    record: CacheRecord, inputs: Mapping[str, Any], parameters: Mapping[str, Any]
) -> bool:
    """Never reuse a cached result."""
    return False


def duration_only(
    record: CacheRecord, inputs: Mapping[str, Any], parameters: Mapping[str, Any]
) -> bool:
    """Reuse while the entry has not expired (the default)."""
    return record.expires is None or time.time() < record.expires


def all_inputs(
    record: CacheRecord, inputs: Mapping[str, Any], parameters: Mapping[str, Any]
) -> bool:
    """Reuse while unexpired and every input equals the cached run's inputs."""
    return duration_only(record, inputs, parameters) and record.inputs == fingerprints(inputs)


def all_parameters(
    record: CacheRecord, inputs: Mapping[str, Any], parameters: Mapping[str, Any]
) -> bool:
    """Reuse while unexpired and the flow's parameters equal the cached run's."""
    return duration_only(record, inputs, parameters) and record.parameters == fingerprints(
        parameters
    )


def _subset(saved: Mapping[str, str], current: Mapping[str, Any], keys: Iterable[str]) -> bool:
    now = fingerprints({key: current[key] for key in keys if key in current})
    return all(saved.get(key) == now.get(key) for key in keys)


def partial_inputs_only(validate_on: Iterable[str]) -> Validator:
    """Reuse while unexpired and the named inputs equal the cached run's."""
    keys = tuple(validate_on)

    def validator(
        record: CacheRecord, inputs: Mapping[str, Any], parameters: Mapping[str, Any]
    ) -> bool:
        return duration_only(record, inputs, parameters) and _subset(record.inputs, inputs, keys)

    validator.__name__ = f"partial_inputs_only({list(keys)})"
    return validator


def partial_parameters_only(validate_on: Iterable[str]) -> Validator:
    """Reuse while unexpired and the named parameters equal the cached run's."""
    keys = tuple(validate_on)

    def validator(
        record: CacheRecord, inputs: Mapping[str, Any], parameters: Mapping[str, Any]
    ) -> bool:
        return duration_only(record, inputs, parameters) and _subset(
            record.parameters, parameters, keys
        )

    validator.__name__ = f"partial_parameters_only({list(keys)})"
    return validator


__all__ = [
    "CacheRecord",
    "Validator",
    "all_inputs",
    "all_parameters",
    "duration_only",
    "never_use",
    "partial_inputs_only",
    "partial_parameters_only",
]
