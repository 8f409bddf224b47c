"""One correction to how typer draws `--help`: flags take no value, so show none.

typer 0.29 prints a type placeholder after every option, which puts `<bool>` after
`--json`, `--watch` and `--help` itself, as if they wanted a value (`--json <bool>`).
Declarations cannot switch that off for the help option typer adds, so the rich help
panel is told here to print nothing in the type column of a flag. If typer's internals
move, this does nothing and the help stays as typer draws it.
"""

from __future__ import annotations

from typing import Any


def hide_flag_placeholders() -> None:
    """Make the help's type column empty for on/off flags (idempotent)."""
    try:
        from typer.core import TyperOption
    except ImportError:  # pragma: no cover - a typer without this class
        return
    original = getattr(TyperOption, "display_type_rich", None)
    if original is None or getattr(original, "_flags_hidden", False):
        return

    def display_type_rich(self: Any, ctx: Any) -> str | None:
        if getattr(self, "is_flag", False) and not getattr(self, "count", False):
            return None
        result: str | None = original(self, ctx)
        return result

    display_type_rich._flags_hidden = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


__all__ = ["hide_flag_placeholders"]
