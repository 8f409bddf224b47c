"""Turn `--param k=v` options and a `--params-file` into a flow run's parameters.

A shell only passes strings, but flows take numbers, lists and booleans, so a value is read
as JSON when it is valid JSON (`n=3` is 3, `xs=[1,2]` a list, `flag=true` True) and kept as
text otherwise (`day=2026-01-01`). One exception makes the common case painless: a
parameter declared `str` keeps the text as typed, so `--param code=42` gives "42", not a
type error. Problems are reported in CLI terms (`--param n=VALUE`), not Python ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from proctor.cli.output import UserError

if TYPE_CHECKING:
    from proctor.core.flow import Flow


def _reject_constant(name: str) -> Any:
    # NaN and Infinity are Python's extensions to JSON: `x=NaN` stays the text "NaN".
    raise ValueError(name)


def parse_value(text: str) -> Any:
    """The JSON value `text` spells, or `text` itself when it is not JSON."""
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except ValueError:
        return text


def split_params(items: Iterable[str]) -> dict[str, str]:
    """`["n=3", "day=x"]` -> `{"n": "3", "day": "x"}`; a later repeat of a name wins."""
    raw: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep:
            raise UserError(
                f"--param {item!r} has no '=': write --param NAME=VALUE, e.g. --param n=3."
            )
        if not name.isidentifier():
            raise UserError(
                f"--param {item!r}: {name!r} is not a parameter name; write --param NAME=VALUE."
            )
        raw[name] = value
    return raw


def read_params_file(path: Path) -> dict[str, Any]:
    """Parameters from a JSON file holding one object, e.g. `{"n": 3, "day": "2026-01-01"}`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"No such parameters file: {path}. Check the path.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"Cannot read parameters file {path}: {exc}.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(
            f"Parameters file {path} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
            f'{exc.msg}). It must hold one object, e.g. {{"n": 3}}.'
        ) from None
    if not isinstance(data, dict):
        raise UserError(
            f"Parameters file {path} holds a JSON {type(data).__name__}; it must hold one "
            'object of parameter names to values, e.g. {"n": 3}.'
        )
    return data


def _declared_type(flow: Flow, name: str) -> Any:
    node = flow.parameters.get(name)
    return None if node is None else getattr(node.task, "type", None)


def interpret(raw: Mapping[str, str], flow: Flow) -> dict[str, Any]:
    """Read each `--param` text as JSON, except for parameters declared `str`."""
    values: dict[str, Any] = {}
    for name, text in raw.items():
        value = parse_value(text)
        if _declared_type(flow, name) is str and not isinstance(value, str):
            value = text
        values[name] = value
    return values


def check_names(values: Mapping[str, Any], flow: Flow) -> None:
    """Name unknown and missing parameters before the run, with the option that fixes it.

    The engine checks this too, but words it for `flow.run(parameters=...)`; types are
    left to the engine, whose messages already name the parameter and the expected type.
    """
    known = flow.parameters
    unknown = sorted(set(values) - set(known))
    if unknown:
        listing = ", ".join(_describe(flow, name) for name in sorted(known)) or "none"
        raise UserError(
            f"Flow {flow.name!r} has no parameter {', '.join(unknown)}. Its parameters: {listing}."
        )
    missing = [
        name
        for name, node in known.items()
        if name not in values and getattr(node.task, "required", False)
    ]
    if missing:
        wanted = " ".join(f"--param {name}=VALUE" for name in missing)
        described = ", ".join(_describe(flow, name) for name in missing)
        raise UserError(
            f"Flow {flow.name!r} needs required parameter(s) {described}: pass {wanted}."
        )


def _describe(flow: Flow, name: str) -> str:
    annotation = _declared_type(flow, name)
    if annotation is None:
        return name
    label = getattr(annotation, "__name__", None) or str(annotation)
    return f"{name} ({label})"


def collect(items: Iterable[str], params_file: Path | None, flow: Flow) -> dict[str, Any]:
    """The run's parameters: the file's values, overridden by `--param` options."""
    values: dict[str, Any] = read_params_file(params_file) if params_file is not None else {}
    values.update(interpret(split_params(items), flow))
    check_names(values, flow)
    return values


__all__ = [
    "check_names",
    "collect",
    "interpret",
    "parse_value",
    "read_params_file",
    "split_params",
]
