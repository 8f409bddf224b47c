"""The one error a 1.x API that Proctor does not offer raises, naming the alternative."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from proctor.core.errors import ProctorError


class NotOfferedError(ProctorError, NotImplementedError):
    """A 1.x API that Proctor does not offer (most belonged to the hosted backend)."""


def not_offered(api: str, instead: str) -> NotOfferedError:
    """The error for using `api`: names it, says why in one line and what to use instead."""
    return NotOfferedError(f"{api} (1.x) is not offered by Proctor: {instead}.")


def raise_not_offered(api: str, instead: str) -> NoReturn:
    raise not_offered(api, instead)


def not_offered_function(api: str, instead: str) -> Callable[..., NoReturn]:
    """A stand-in for a 1.x function: importing it works, calling it raises the clear error.

    Import time stays quiet on purpose: a flow file importing a hosted-only helper it only
    uses in one branch still loads and runs everywhere else.
    """

    def stand_in(*args: Any, **kwargs: Any) -> NoReturn:
        raise not_offered(api, instead)

    stand_in.__name__ = api.rsplit(".", 1)[-1]
    stand_in.__qualname__ = stand_in.__name__
    stand_in.__doc__ = f"Not offered by Proctor (raises NotOfferedError): {instead}."
    return stand_in


def not_offered_module(api: str, instead: str) -> Callable[[str], NoReturn]:
    """A module `__getattr__` for a 1.x module Proctor does not offer at all: importing the
    module works, and `from it import name` (or `module.name`) raises the clear error.

    Dunder lookups stay plain AttributeErrors, so tools that inspect modules still work.
    """

    def __getattr__(name: str) -> NoReturn:
        if name.startswith("__"):
            raise AttributeError(f"module {api!r} has no attribute {name!r}")
        raise not_offered(f"{api}.{name}", instead)

    return __getattr__


__all__ = [
    "NotOfferedError",
    "not_offered",
    "not_offered_function",
    "not_offered_module",
    "raise_not_offered",
]
