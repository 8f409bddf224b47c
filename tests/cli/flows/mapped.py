"""A mapped flow: `numbers` makes a list, `square` runs once per element, `total` sums."""

from proctor import flow, get_run_logger, task


@task
def numbers(n: int) -> list[int]:
    return list(range(n))


@task
def square(x: int) -> int:
    return x * x


@task
def total(values: list[int]) -> int:
    get_run_logger().info("adding %d squares", len(values))
    print("printed by a task")  # must never end up in --json output on stdout
    return sum(values)


@flow
def squares(n: int = 4):
    total(square.map(numbers(n)))
