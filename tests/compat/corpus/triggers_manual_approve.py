"""Triggers: a manual_only task on a local run asks for approval on standard input (here
answered "y" by the file itself): once approved it runs, and what waits for it."""

import io
import sys

from prefect import Flow, task
from prefect.triggers import manual_only


@task
def prepare():
    return 3


@task(trigger=manual_only)
def approve(x):
    return x * 2


@task
def publish(x):
    return f"published {x}"


@task
def side(x):
    return x + 1


sys.stdin = io.StringIO("y\n")

with Flow("triggers-manual-approve") as flow:
    ready = prepare()
    publish(approve(ready))
    side(ready)
