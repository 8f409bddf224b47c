"""Flows the UI tests register: typed parameters (for the Run form), a mapped task (for
the Gantt's grouping) and a schedule (for the toggle)."""

from __future__ import annotations

from proctor import flow, task
from proctor.schedules import IntervalClock, Schedule


@task
def numbers(count: int) -> list[int]:
    return list(range(count))


@task
def square(value: int) -> int:
    return value * value


@task
def total(values: list[int], label: str) -> str:
    return f"{label}: {sum(values)}"


@flow
def squares(count: int = 3, label: str = "sum", verbose: bool = False):
    """Square a few numbers in parallel and add them up."""
    total(square.map(numbers(count)), label)


@task
def ping() -> str:
    return "pong"


@flow(schedule=Schedule(clocks=[IntervalClock(interval=3600)]))
def heartbeat():
    """Ping every hour."""
    ping()
