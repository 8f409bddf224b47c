"""Triggers: manual_only on a local run asks on standard input; "n" leaves the task paused
and asks again, "y" (the second answer here) approves it; a mapped task after it runs."""

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


sys.stdin = io.StringIO("n\nY\n")

with Flow("triggers-manual-only") as flow:
    ready = prepare()
    publish.map([approve(ready), ready])
    side(ready)
