"""A run whose task fails with a real traceback, for reading it in the UI."""

from __future__ import annotations

from proctor import flow, task


def check_row(row: int) -> None:
    if row == 3:
        raise ValueError(f"bad row {row}: the amount is negative")


@task
def parse(rows: int) -> int:
    for row in range(rows):
        check_row(row)
    return rows


@flow
def fails(rows: int = 5):
    """Parse a few rows; the fourth is bad."""
    parse(rows)
