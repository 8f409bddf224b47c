"""A 1.x-style flow that fails, for `wait_for_flow_run(raise_final_state=True)`."""

from proctor import Flow, task
from proctor.run_configs import LocalRun


@task
def broken():
    raise ValueError("broken on purpose")


with Flow("failing-1x") as flow:
    broken()

flow.run_config = LocalRun(labels=["compat-box"])
