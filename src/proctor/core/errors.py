"""Errors raised by the Proctor engine.

    ProctorError
    ├── FlowDefinitionError     a flow cannot be built: bad call, cycle, missing input
    ├── ParameterError          a parameter value or default is invalid
    ├── ScheduleError           a bad cron string, time zone, interval or rrule
    ├── ResultError             a result could not be written, read or located
    ├── StorageError            flow code could not be loaded from its storage
    ├── FlowLoadError           a file or module holds no usable flow
    └── ExecutorError           an executor could not start (a cluster out of reach)

Every message names the task, value or file at fault and says what to do next.
"""

from __future__ import annotations


class ProctorError(Exception):
    """Root of every error the engine raises on purpose."""


class FlowDefinitionError(ProctorError):
    """A flow's graph is not valid (bad task call, cycle, missing input)."""


class ParameterError(ProctorError, ValueError):
    """A parameter value, default or declaration is invalid."""


class ScheduleError(ProctorError, ValueError):
    """A schedule could not be built: bad cron string, time zone, interval or rrule."""


class ResultError(ProctorError):
    """A task result could not be written, read or located."""


class StorageError(ProctorError):
    """Flow code could not be fetched or loaded from its storage."""


class FlowLoadError(ProctorError):
    """A file or module could not be loaded, or holds no flow of the requested name."""


class ExecutorError(ProctorError):
    """An executor could not start where the flow run asked it to (a Dask scheduler that
    does not answer)."""
