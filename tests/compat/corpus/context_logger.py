"""Context: the logger from prefect.context logs inside a task."""

import prefect
from prefect import Flow, task


@task
def work():
    logger = prefect.context.get("logger")
    logger.info("working")
    return logger is not None


with Flow("context-logger") as flow:
    work()
