"""A map where one child raises, and a write after it that only fails because of it.

`enrich[BAD]` raises ValueError (BAD from `WAREHOUSE_BAD`, default 3); `write_warehouse`
then ends TriggerFailed, and so does the flow run: the victim a failure message must not
name instead of the cause.
"""

import os

from proctor import flow, task

BAD = int(os.environ.get("WAREHOUSE_BAD", "3"))


@task
def rows(n: int) -> list[int]:
    return list(range(n))


@task
def enrich(x: int) -> int:
    if x == BAD:
        raise ValueError(f"row {x} has no customer id")
    return x * 10


@task
def write_warehouse(values: list[int]) -> int:
    return len(values)


@flow
def warehouse(n: int = 6):
    write_warehouse(enrich.map(rows(n)))
