"""Validation of the FlowSpec JSON a client registers (`flow.serialize()` output).

Mirrors `proctor.core.spec.FlowSpec` as strict pydantic models: the server never
imports the user's code, so this JSON is all it knows about a flow, and anything
malformed is refused with a message naming the field before anything is stored.
The fingerprint is recomputed here (the same way the engine computes it), so a client
cannot make two different flows look identical.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from proctor.core.spec import SPEC_VERSION
from proctor.server.errors import InvalidInput

Name = Annotated[str, Field(min_length=1, max_length=500)]
MAX_TASKS = 100_000


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", populate_by_name=True)


class TaskSpecModel(_Strict):
    slug: Name
    name: Name
    type: str = ""
    mapped: bool = False
    tags: list[str] = Field(default_factory=list)
    retries: int = Field(default=0, ge=0)
    retry_delay: float | None = None
    timeout: float | None = None
    trigger: str = ""
    cache_for: float | None = None
    checkpoint: bool | None = None
    target: str | None = None
    description: str | None = None
    is_parameter: bool = False
    is_reference: bool = False


class EdgeSpecModel(_Strict):
    upstream: Name
    downstream: Name
    key: str | None = None
    mapped: bool = False
    flatten: bool = False


class ParameterSpecModel(_Strict):
    name: Name
    required: bool = False
    default: Any = None
    description: str | None = None
    json_schema: dict[str, Any] = Field(default_factory=dict, alias="schema")


class FlowSpecModel(_Strict):
    spec_version: int
    name: Annotated[str, Field(min_length=1, max_length=200)]
    description: str | None = None
    tasks: list[TaskSpecModel] = Field(default_factory=list, max_length=MAX_TASKS)
    edges: list[EdgeSpecModel] = Field(default_factory=list)
    parameters: list[ParameterSpecModel] = Field(default_factory=list)
    parameter_schema: dict[str, Any] = Field(default_factory=dict)
    schedule: dict[str, Any] | None = None
    storage: dict[str, Any] | None = None
    result: dict[str, Any] | None = None
    labels: list[str] = Field(default_factory=list)
    run_config: dict[str, Any] = Field(default_factory=dict)
    fingerprint: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")

    @model_validator(mode="after")
    def _consistent(self) -> FlowSpecModel:
        if self.spec_version != SPEC_VERSION:
            raise ValueError(
                f"spec_version {self.spec_version} is not supported "
                f"(this server reads version {SPEC_VERSION})"
            )
        slugs = [task.slug for task in self.tasks]
        if len(set(slugs)) != len(slugs):
            duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
            raise ValueError(f"task slugs must be unique; repeated: {duplicates[:5]}")
        known = set(slugs)
        for edge in self.edges:
            for end in (edge.upstream, edge.downstream):
                if end not in known:
                    raise ValueError(f"edge {edge.upstream} -> {edge.downstream}: no task {end!r}")
        names = [p.name for p in self.parameters]
        if len(set(names)) != len(names):
            raise ValueError("parameter names must be unique")
        # Imported here (~0.1 s): only registrations need it, not the server's start-up.
        from jsonschema import Draft202012Validator
        from jsonschema.exceptions import SchemaError

        try:
            Draft202012Validator.check_schema(self.parameter_schema)
        except SchemaError as exc:
            raise ValueError(
                f"parameter_schema is not a valid JSON schema: {exc.message}"
            ) from None
        return self


def _field_path(location: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in location) or "spec"


def parse_flow_spec(spec: Any) -> FlowSpecModel:
    """Validate `spec`; `InvalidInput` lists every problem with its path."""
    if not isinstance(spec, dict):
        raise InvalidInput("spec must be a FlowSpec object (flow.serialize())")
    try:
        return FlowSpecModel.model_validate(spec)
    except ValidationError as exc:
        problems = [
            {"field": _field_path(error["loc"]), "message": error["msg"]}
            for error in exc.errors(include_url=False, include_input=False)
        ]
        summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems[:5])
        raise InvalidInput(f"Invalid FlowSpec: {summary}", details={"errors": problems}) from None


def spec_document(model: FlowSpecModel) -> dict[str, Any]:
    """The spec as stored: JSON-ready, with the server-computed fingerprint."""
    document = model.model_dump(mode="json", by_alias=True, exclude={"fingerprint"})
    document["fingerprint"] = fingerprint(document)
    return document


def fingerprint(document: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of everything but the fingerprint (as the engine)."""
    content = {k: v for k, v in document.items() if k != "fingerprint"}
    canonical = json.dumps(content, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


__all__ = [
    "EdgeSpecModel",
    "FlowSpecModel",
    "ParameterSpecModel",
    "TaskSpecModel",
    "fingerprint",
    "parse_flow_spec",
    "spec_document",
]
