"""Rendering of the templates tasks use for targets and cache keys."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from proctor.core.errors import ProctorError

if TYPE_CHECKING:
    from proctor.core.context import TaskRunContext


def render(
    template: str | Callable[..., str],
    context: TaskRunContext,
    inputs: dict[str, Any],
    *,
    what: str,
) -> str:
    """Fill `template` with the run's values and the task's inputs (inputs win on clashes).

    A string uses `str.format` names ({task_name}, {parameters[day]}, {today}, an input's
    name...); a callable is called with the same names as keywords.
    """
    values = context.template_values()
    values.update(inputs)
    try:
        rendered = template(**values) if callable(template) else template.format(**values)
    except KeyError as exc:
        raise ProctorError(
            f"{what} uses {{{exc.args[0]}}}, which is not known; available: "
            f"{', '.join(sorted(values))}."
        ) from None
    except Exception as exc:
        raise ProctorError(f"{what} could not be rendered: {type(exc).__name__}: {exc}") from exc
    if not isinstance(rendered, str) or not rendered:
        raise ProctorError(f"{what} must render to a non-empty string, got {rendered!r}.")
    return rendered


__all__ = ["render"]
