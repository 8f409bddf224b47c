"""1.x `DateTimeParameter`: a parameter whose ISO 8601 string becomes a `datetime`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from proctor.core.parameter import NO_DEFAULT, Parameter


class DateTimeParameter(Parameter):
    """`DateTimeParameter("start")`: given "2026-01-01T06:00:00+00:00", tasks get a datetime.

    Not required (`required=False`), it defaults to None, as in 1.x.
    """

    def __init__(self, name: str, required: bool = True, **kwargs: Any) -> None:
        kwargs.pop("tags", None)  # 1.x tags on a parameter: nothing to do with them here
        default = kwargs.pop("default", NO_DEFAULT if required else None)
        super().__init__(
            name,
            default,
            required=required,
            type=datetime if required else datetime | None,
            description=kwargs.pop("description", None),
        )


__all__ = ["DateTimeParameter"]
