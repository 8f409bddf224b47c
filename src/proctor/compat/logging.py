"""1.x `get_logger`: a logger under Proctor's run logger, so its lines reach the run's logs."""

from __future__ import annotations

import logging

from proctor.core.logs import RUN_LOGGER_NAME


def get_logger(name: str | None = None) -> logging.Logger:
    """`get_logger("my_module")` -> the `proctor.run.my_module` logger."""
    base = logging.getLogger(RUN_LOGGER_NAME)
    return base if name is None else base.getChild(name)


__all__ = ["get_logger"]
