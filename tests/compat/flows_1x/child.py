"""A 1.x-style flow file (after the rename): result kept in the state, run config, storage."""

from proctor import Flow, Parameter, task
from proctor.engine.results import PrefectResult
from proctor.run_configs import LocalRun
from proctor.storage import Local


@task
def compute(x):
    return x * 2


with Flow("child-1x", result=PrefectResult()) as flow:
    x = Parameter("x", default=1)
    compute(x)

flow.run_config = LocalRun(labels=["compat-box"], env={"CHILD": "1"})
flow.storage = Local(path=__file__, stored_as_script=True)
