"""Reading a start time typed on the command line: an ISO time or a delay from now.

`proctor run --start` takes what people type: `2026-05-01T09:30` (local time unless it
carries an offset or `Z`), `2026-05-01 09:30`, or a delay such as `90s`, `10m`, `2h`,
`1d`. Anything else is a user error that shows both forms.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from proctor.cli.output import UserError

_DELAY = re.compile(r"^\+?(\d+)\s*([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_start(text: str, now: datetime | None = None) -> datetime:
    """The time `text` names, timezone-aware (UTC); `now` is for tests."""
    cleaned = text.strip()
    delay = _DELAY.match(cleaned.lower())
    if delay is not None:
        amount, unit = int(delay.group(1)), delay.group(2)
        base = now or datetime.now(UTC)
        return base + timedelta(**{_UNITS[unit]: amount})
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise UserError(
            f"cannot read start time {text!r}: give an ISO time such as 2026-05-01T09:30 "
            "(add +02:00 or Z for a zone) or a delay such as 10m, 2h or 1d"
        ) from None
    if moment.tzinfo is None:
        moment = moment.astimezone()  # the user's local time, as typed
    return moment.astimezone(UTC)


__all__ = ["parse_start"]
