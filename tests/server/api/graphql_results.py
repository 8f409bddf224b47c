"""Reading GraphQL responses in tests: the data of a success, the codes of errors."""

from __future__ import annotations

from typing import Any


def data_of(body: dict[str, Any]) -> dict[str, Any]:
    """The `data` of a response that must have no errors."""
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


def error_codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]
