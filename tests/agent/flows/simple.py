"""One task that logs a line: what the 300-run and latency tests start."""

from proctor import flow, get_run_logger, task


@task
def greet(who: str) -> str:
    get_run_logger().info("hello, %s", who)
    return f"hello, {who}"


@flow
def hello(who: str = "world"):
    greet(who)
