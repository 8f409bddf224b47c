"""Reads a team secret three ways (get() printed and logged, the task form, an
exception's message): the hybrid secrets test checks every trace of it is masked."""

from proctor import Secret, flow, get_run_logger, task


@task(log_stdout=True)
def reveal() -> int:
    value = Secret("HYBRID_TOKEN").get()
    print(f"printed {value}")
    get_run_logger().info("logged %s", value)
    return len(value)


@task
def use(token: str) -> int:
    get_run_logger().warning("task form got %s", token)
    return len(token)


@task
def explode(length: int) -> None:
    raise RuntimeError(f"refused with {Secret('HYBRID_TOKEN').get()} ({length})")


@flow
def secretive():
    length = reveal()
    use(Secret("HYBRID_TOKEN"))
    explode(length)
