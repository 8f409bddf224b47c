"""Parameters: named, typed inputs given to a flow run.

A `Parameter` is a task whose value comes from the run's parameters. Its type (from an
annotation or `type=`) gives a JSON schema, which the server stores and the UI renders as
a form. Plain types are checked here directly; anything richer goes through pydantic,
imported only then, so a flow of plain parameters never pays for it.
"""

from __future__ import annotations

import json
from typing import Any

from proctor.core import context
from proctor.core.errors import ParameterError
from proctor.core.task import Task

NO_DEFAULT: Any = type("NoDefault", (), {"__repr__": lambda self: "<no default>"})()

_PLAIN_SCHEMAS: dict[Any, dict[str, Any]] = {
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    float: {"type": "number"},
    str: {"type": "string"},
    list: {"type": "array"},
    dict: {"type": "object"},
}


def _type_label(annotation: Any) -> str:
    return getattr(annotation, "__name__", None) or str(annotation)


class Parameter(Task):
    """A flow input: `Parameter("n", default=10)`, or `Parameter("path", type=str)`.

    Inside `with Flow(...)` it belongs to the flow as soon as it is created; pass it to tasks
    like any other value. With no default it is required.
    """

    def __init__(
        self,
        name: str,
        default: Any = NO_DEFAULT,
        *,
        required: bool | None = None,
        type: Any = None,
        description: str | None = None,
    ) -> None:
        if not isinstance(name, str) or not name.isidentifier():
            raise ParameterError(
                f"Parameter name {name!r} is not valid: use letters, digits and underscores."
            )
        super().__init__(name=name)
        self.description = description
        self.default = None if default is NO_DEFAULT else default
        self.required = (default is NO_DEFAULT) if required is None else bool(required)
        self.type = type
        if not self.required and default is not NO_DEFAULT:
            try:
                json.dumps(self.default)
            except (TypeError, ValueError) as exc:
                raise ParameterError(
                    f"Parameter {name!r} has a default that is not JSON ({exc}). Defaults "
                    "travel to the server and the UI: use numbers, strings, booleans, lists "
                    "or dicts, and build richer objects inside a task."
                ) from None
            if self.type is not None:
                self.default = self.validate(self.default)
        flow = context.building_flow.get()
        if flow is not None:
            flow.add_parameter(self)

    def run(self) -> Any:
        """Parameters get their value from the flow run; the runner never calls this."""
        return self.default

    def json_schema(self) -> dict[str, Any]:
        """The JSON schema of this parameter's values (with its default and description)."""
        annotation = self.type
        if annotation is None:
            schema: dict[str, Any] = {}
        elif annotation in _PLAIN_SCHEMAS:
            schema = dict(_PLAIN_SCHEMAS[annotation])
        else:
            schema = self._adapter().json_schema()
        schema.setdefault("title", self.name)
        if not self.required:
            schema["default"] = self.default
        if self.description:
            schema["description"] = self.description
        return schema

    def validate(self, value: Any) -> Any:
        """Return `value` checked (and, for rich types, coerced) against the type."""
        annotation = self.type
        if annotation is None or annotation is Any:
            return value
        if annotation in _PLAIN_SCHEMAS:
            if annotation is float and type(value) is int:
                return float(value)
            if isinstance(value, annotation) and not (
                annotation is int and isinstance(value, bool)
            ):
                return value
            raise ParameterError(
                f"Parameter {self.name!r} must be {_type_label(annotation)}, "
                f"got {type(value).__name__} {value!r}."
            )
        from pydantic import ValidationError

        try:
            return self._adapter().validate_python(value)
        except ValidationError as exc:
            problems = "; ".join(error["msg"] for error in exc.errors())
            raise ParameterError(
                f"Parameter {self.name!r} must be {_type_label(annotation)}: {problems} "
                f"(got {value!r})."
            ) from None

    def _adapter(self) -> Any:
        from pydantic import PydanticSchemaGenerationError, TypeAdapter

        try:
            return TypeAdapter(self.type)
        except PydanticSchemaGenerationError as exc:
            raise ParameterError(
                f"Parameter {self.name!r} has type {_type_label(self.type)}, which has no JSON "
                f"form ({exc}). Use a JSON-compatible type such as int, str, list[str] or a "
                "pydantic model."
            ) from None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "required": self.required,
            "default": None if self.required else self.default,
            "description": self.description,
            "schema": self.json_schema(),
        }

    def __repr__(self) -> str:
        return f"<Parameter {self.name!r}>"


__all__ = ["NO_DEFAULT", "Parameter"]
