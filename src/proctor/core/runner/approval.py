"""Approving paused tasks of a local run at the terminal, as `flow.run()` did in 1.x.

A task paused by `manual_only` (or a PAUSE signal) stops a local run until someone approves
it. `flow.run()` asks on standard input, one question per paused task, in 1.x's words:
"<Task: approve> is currently Paused; enter 'y' to resume:". Answering `y` runs it (and
what waits for it); any other answer asks again. When there is no one to ask (standard
input closed or not readable, as under a test runner, a service or an agent), `flow.run()`
returns the Paused state instead, to be resumed with `flow.run(task_states=...,
resume=[...])`; 1.x failed with EOFError there.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from proctor.core.states import Paused, State


def paused_tasks(results: dict[Any, State]) -> list[Any]:
    return [node for node, state in results.items() if isinstance(state, Paused)]


def ask_to_resume(paused: Iterable[Any]) -> list[Any] | None:
    """The paused tasks the person at standard input approved (possibly none), or None
    when standard input cannot be read."""
    approved = []
    for node in paused:
        try:
            answer = input(f"<Task: {node.name}> is currently Paused; enter 'y' to resume:\n")
        except (EOFError, OSError):
            return None
        if answer.strip().lower() == "y":
            approved.append(node)
    return approved


__all__ = ["ask_to_resume", "paused_tasks"]
