"""A flow whose only task fails: what the end-to-end alerting test runs."""

from proctor import flow, task


@task
def load_orders() -> None:
    raise ValueError("orders.csv is missing")


@flow
def doomed():
    load_orders()
