"""Control flow: apply_map maps a whole sub-graph, with a case inside, over a list."""

from prefect import Flow, apply_map, case, task


@task
def is_even(x):
    return x % 2 == 0


@task
def halve(x):
    return x // 2


@task
def triple(x):
    return 3 * x + 1


def collatz_step(x):
    even = is_even(x)
    with case(even, True):
        halve(x)
    with case(even, False):
        triple(x)


with Flow("control-apply-map") as flow:
    apply_map(collatz_step, [4, 7, 10])
