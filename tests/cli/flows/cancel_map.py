"""Two maps of `n` short children, one run in the flow runner's thread and one on a pool
of threads: what a cancellation must stop at once. Each child sleeps `pause`, so the map
is still running when the test cancels it."""

import time

from proctor import flow, task, unmapped
from proctor.executors import ThreadExecutor


@task
def items(n: int) -> list[int]:
    return list(range(n))


@task
def work(x: int, pause: float) -> int:
    time.sleep(pause)
    return x


@flow
def local_map(n: int = 2000, pause: float = 0.01):
    work.map(items(n), unmapped(pause))


@flow(executor=ThreadExecutor(max_workers=2))
def thread_map(n: int = 2000, pause: float = 0.01):
    work.map(items(n), unmapped(pause))
