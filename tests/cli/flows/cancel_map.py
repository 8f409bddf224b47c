"""Maps of `n` short children, one per executor: what a cancellation must stop at once.
Each child sleeps `pause`, so the map is still running when the test cancels it, and
appends `INDEX START-TIME` to the file `trace` as it starts (a witness that does not
depend on what the run reports)."""

import time

from proctor import flow, task, unmapped
from proctor.executors import ProcessExecutor, ThreadExecutor


@task
def items(n: int) -> list[int]:
    return list(range(n))


@task
def work(x: int, pause: float, trace: str) -> int:
    if trace:
        with open(trace, "a") as out:
            out.write(f"{x} {time.time()!r}\n")
    time.sleep(pause)
    return x


@flow
def local_map(n: int = 2000, pause: float = 0.01, trace: str = ""):
    work.map(items(n), unmapped(pause), unmapped(trace))


@flow(executor=ThreadExecutor(max_workers=2))
def thread_map(n: int = 2000, pause: float = 0.01, trace: str = ""):
    work.map(items(n), unmapped(pause), unmapped(trace))


@flow(executor=ProcessExecutor(max_workers=2))
def process_map(n: int = 2000, pause: float = 0.01, trace: str = ""):
    work.map(items(n), unmapped(pause), unmapped(trace))
