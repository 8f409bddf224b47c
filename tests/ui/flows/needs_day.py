"""A flow whose parameter has no default: a quick run cannot start it."""

from proctor import flow, task


@task
def report(day: str) -> str:
    return f"report for {day}"


@flow
def needs_day(day: str):
    report(day)
