"""Resources: a resource_manager block sets a resource up before its tasks and cleans it
up after them, even when one of them fails; the clean-up does not decide the flow state."""

from prefect import Flow, Parameter, resource_manager, task

CLEANED = []


@resource_manager
class Workspace:
    def __init__(self, prefix, size=2):
        self.prefix = prefix
        self.size = size

    def setup(self):
        return {"name": f"{self.prefix}-ws", "slots": self.size}

    def cleanup(self, workspace):
        CLEANED.append(workspace["name"])


@task
def use(workspace, item):
    return f"{workspace['name']}:{item}"


@task
def fragile(workspace):
    raise RuntimeError(f"{workspace['name']} broke")


@task
def report():
    return len(CLEANED)


with Flow("resources-manager") as flow:
    prefix = Parameter("prefix", default="tmp")
    with Workspace(prefix, size=3) as ws:
        first = use(ws, "a")
        second = use(ws, "b")
        fragile(ws)

PARAMETERS = {"prefix": "job"}
