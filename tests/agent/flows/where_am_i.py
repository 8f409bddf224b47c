"""A flow that logs where its run process is and what its run config gave it."""

import os

from proctor import flow, get_run_logger, task


@task
def where() -> str:
    here = os.getcwd()
    get_run_logger().info("cwd=%s FROM_CONFIG=%s", here, os.environ.get("FROM_CONFIG"))
    return here


@flow
def where_am_i():
    where()
