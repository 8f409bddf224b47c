"""Approving paused tasks of a local run at the terminal, as `flow.run()` did in 1.x.

A task paused by `manual_only` (or a PAUSE signal) stops a local run until someone approves
it. When someone can answer, `flow.run()` asks on standard input, one question per paused
task, in 1.x's words: "<Task: approve> is currently Paused; enter 'y' to resume:".
Answering `y` runs it (and what waits for it); any other answer asks again.

Someone can answer when standard input is a terminal, or when the program put its own
answers there (`sys.stdin` replaced, as a test does). Otherwise (a pipe, /dev/null, a
service, an agent), and for runs watched by observers (`proctor run-local` shows its own
display), `flow.run()` returns the Paused state at once, to be resumed with
`flow.run(task_states=..., resume=[...])`; 1.x would block reading the pipe, or fail with
EOFError.
"""

import sys
from collections.abc import Iterable
from typing import Any

from proctor.core.states import Paused, State


def paused_tasks(results: dict[Any, State]) -> list[Any]:
    return [node for node, state in results.items() if isinstance(state, Paused)]


def someone_can_answer() -> bool:
    stdin = sys.stdin
    if stdin is None or stdin.closed:
        return False
    replaced = stdin is not sys.__stdin__
    if replaced:
        return True  # the program supplies the answers
    try:
        return stdin.isatty()
    except (OSError, ValueError):
        return False


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


__all__ = ["ask_to_resume", "paused_tasks", "someone_can_answer"]
