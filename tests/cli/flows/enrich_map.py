"""A map of `n` children where child `bad` fails: what `proctor run --watch` must count.
`pause` slows each child down so that a watcher sees the map while it runs."""

import time

from proctor import flow, get_run_logger, task, unmapped


@task
def items(n: int) -> list[int]:
    return list(range(n))


@task
def enrich(x: int, bad: int, pause: float) -> int:
    time.sleep(pause)
    if x == bad:
        get_run_logger().error("record %d has no customer id", x)
        raise ValueError(f"record {x} cannot be enriched")
    return x + 1


@task
def store(values: list[int]) -> int:
    return len(values)


@flow
def enrichment(n: int = 200, bad: int = 137, pause: float = 0.0):
    store(enrich.map(items(n), unmapped(bad), unmapped(pause)))
