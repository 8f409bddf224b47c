"""The 1.x APIs Proctor does not offer, with what to use instead: data for `proctor migrate`.

Most of these belonged to the hosted backend of the 1.x generation (its key-value store,
its runners) or to its agents and notifiers, which Proctor replaces with its own.
Deployment objects Proctor keeps as metadata (`Docker` storage, `ECSRun`, ...) are not
listed: importing and attaching them works (see docs/coming-from-1x.md).
`proctor migrate --check` reports every use of a name listed here, or of anything under it,
by file and line, so a project learns before its first run what needs a change by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn


@dataclass(frozen=True)
class NotOffered:
    """One 1.x name (a module, class or function) that Proctor does not offer.

    `name` is the dotted 1.x path (`prefect.backend.set_key_value`); a use of it or of
    anything under it is reported. `after_migration` says whether the same path under
    `proctor.` is reported too: False where Proctor has its own, different thing by that
    name (its `Client` speaks Proctor's schema), which a migrated file may use rightly.
    """

    name: str
    instead: str
    after_migration: bool = True


_KV = (
    "the hosted key-value store is not offered: keep such values in a Result "
    "(LocalResult/FSSpecResult) or your own database"
)
_AGENTS = (
    "1.x agents are not offered: start a Proctor agent with `proctor agent start --label L` "
    "(its launchers run flows as local processes or Docker containers)"
)

# Every entry is really unavailable under its `proctor.` path: importing the name (or the
# module) or calling it raises NotOfferedError with this text (tests/compat/test_not_offered.py).
NOT_OFFERED: tuple[NotOffered, ...] = (
    NotOffered("prefect.backend.kv_store", _KV),
    NotOffered("prefect.backend.set_key_value", _KV),
    NotOffered("prefect.backend.get_key_value", _KV),
    NotOffered("prefect.backend.delete_key", _KV),
    NotOffered("prefect.backend.list_keys", _KV),
    NotOffered(
        "prefect.backend.FlowView",
        "read flows from the Proctor server with proctor.client.Client (get_flow, "
        "list_flows); runs are read with FlowRunView",
    ),
    NotOffered(
        "prefect.backend.TenantView",
        "tenants are Proctor teams: list them with `proctor teams list`",
    ),
    NotOffered(
        "prefect.engine.cloud",
        "the hosted runners are not offered: run with flow.run() locally, or register the "
        "flow and let a Proctor agent run it",
    ),
    NotOffered("prefect.agent.local", _AGENTS),
    NotOffered("prefect.agent.docker", _AGENTS),
    NotOffered("prefect.agent.kubernetes", _AGENTS),
    NotOffered("prefect.agent.ecs", _AGENTS),
    NotOffered("prefect.agent.vertex", _AGENTS),
    NotOffered(
        "prefect.engine.serializers.DateTimeSerializer",
        "serializers other than JSON, pickle and text are not offered: use JSONSerializer "
        "with ISO text (datetime.isoformat()) or PickleSerializer",
    ),
    NotOffered(
        "prefect.engine.serializers.CompressedSerializer",
        "serializers other than JSON, pickle and text are not offered: use "
        "PickleSerializer, and compress large values in the task if you need to",
    ),
    NotOffered(
        "prefect.engine.serializers.PandasSerializer",
        "serializers other than JSON, pickle and text are not offered: use "
        "PickleSerializer for data frames, or write files from the task",
    ),
    NotOffered(
        "prefect.engine.state.Resume",
        "a paused task is approved with flow.run(task_states=state.result, resume=[task]) "
        "locally (flow.run() also asks at the terminal), or from the UI or CLI on a server",
    ),
    NotOffered(
        "prefect.engine.state.ValidationFailed",
        "result validators are not offered: check the value in the task and raise FAIL",
    ),
    NotOffered(
        "prefect.engine.signals.VALIDATIONFAIL",
        "result validators are not offered: check the value in the task and raise FAIL",
    ),
    NotOffered(
        "prefect.engine.state.ClientFailed",
        "the hosted backend's client-failure state is not offered: a task run the server "
        "cannot record fails its flow run with a Failed state naming the error",
    ),
    NotOffered(
        "prefect.utilities.tasks.pause_task",
        "give the task trigger=manual_only instead: it waits for approval, then runs once "
        "(flow.run() asks at the terminal; on a server, the UI or CLI approves it)",
    ),
    NotOffered(
        "prefect.utilities.notifications",
        "notifiers are not offered: use a server automation (webhook, Slack-style webhook, "
        "email) or a state handler of your own",
    ),
)


def entry(name: str) -> NotOffered:
    """The table's entry for the 1.x name `name` (`prefect.engine.cloud`)."""
    for item in NOT_OFFERED:
        if item.name == name:
            return item
    raise KeyError(name)


def module_getattr(name: str) -> Callable[[str], NoReturn]:
    """The `__getattr__` of the `proctor.` module standing in for the 1.x module `name`:
    every name taken from it raises NotOfferedError with the table's advice."""
    from proctor.compat.errors import not_offered_module

    return not_offered_module(name, entry(name).instead)


def names_getattr(
    module: str, fallback: Callable[[str], Any] | None = None
) -> Callable[[str], Any]:
    """A `__getattr__` for the `proctor.` twin of the 1.x module `module`: a name the table
    lists under it raises NotOfferedError; others go to `fallback` (or AttributeError)."""

    def __getattr__(name: str) -> Any:
        listed = f"{module}.{name}"
        for item in NOT_OFFERED:
            if item.name == listed:
                from proctor.compat.errors import not_offered

                raise not_offered(listed, item.instead)
        if fallback is not None:
            return fallback(name)
        raise AttributeError(f"module {module!r} (1.x path) has no attribute {name!r}")

    return __getattr__


def function(name: str) -> Callable[..., NoReturn]:
    """A stand-in for the 1.x function `name`: importing works, calling raises."""
    from proctor.compat.errors import not_offered_function

    return not_offered_function(name, entry(name).instead)


__all__ = ["NOT_OFFERED", "NotOffered", "entry", "function", "module_getattr", "names_getattr"]
