"""Validating a flow run's parameters against the flow version's JSON schema.

Each parameter is checked against its own property schema, used as a root schema:
pydantic-generated property schemas carry their own `$defs`, which only resolve that way,
and it makes every message name the parameter at fault.
"""

from __future__ import annotations

from typing import Any

from proctor.server.errors import InvalidInput

MAX_ERRORS = 20


def _path(error: Any) -> str:
    return "".join(f"[{p!r}]" for p in error.absolute_path)


def validate_parameters(schema: dict[str, Any], parameters: Any) -> dict[str, Any]:
    """Check `parameters` and return them with the schema's defaults filled in."""
    # Imported here: jsonschema costs ~0.1 s to import, a twentieth of the server's
    # start-up, and is only needed once the first run is created.
    from jsonschema import Draft202012Validator

    if parameters is None:
        parameters = {}
    if not isinstance(parameters, dict):
        raise InvalidInput("parameters must be an object mapping names to values")
    properties: dict[str, Any] = schema.get("properties") or {}
    required: list[str] = schema.get("required") or []
    closed = schema.get("additionalProperties") is False
    problems: list[dict[str, str]] = []
    for name in parameters:
        if name not in properties and closed:
            known = ", ".join(sorted(properties)) or "none"
            problems.append(
                {"parameter": name, "message": f"Unknown parameter {name!r} (known: {known})"}
            )
    for name in required:
        if name not in parameters:
            problems.append({"parameter": name, "message": f"Missing required parameter {name!r}"})
    for name, value in parameters.items():
        prop = properties.get(name)
        if not isinstance(prop, dict):
            continue
        try:
            validator = Draft202012Validator(
                prop, format_checker=Draft202012Validator.FORMAT_CHECKER
            )
            errors = sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
        except Exception as exc:  # an unresolvable $ref etc. in a stored schema
            problems.append(
                {"parameter": name, "message": f"Parameter {name!r} cannot be checked: {exc}"}
            )
            continue
        for error in errors[:MAX_ERRORS]:
            problems.append(
                {
                    "parameter": name,
                    "message": f"Parameter {name!r}{_path(error)}: {error.message}",
                }
            )
    if problems:
        raise InvalidInput(
            "; ".join(p["message"] for p in problems[:5]), details={"errors": problems}
        )
    effective = dict(parameters)
    for name, prop in properties.items():
        if name not in effective and isinstance(prop, dict) and "default" in prop:
            effective[name] = prop["default"]
    return effective


__all__ = ["validate_parameters"]
