"""Resources: a clean-up that fails does not fail the flow run (neither init nor clean-up
is a reference task); the block's last task decides it."""

from prefect import Flow, resource_manager, task


@resource_manager
class Session:
    def __init__(self, user):
        self.user = user

    def setup(self):
        return f"session of {self.user}"

    def cleanup(self, session):
        raise RuntimeError(f"could not close {session}")


@task
def fetch(session):
    return [session, "rows"]


@task
def count(rows):
    return len(rows)


with Flow("resources-cleanup-fails") as flow:
    with Session("ann") as session:
        count(fetch(session))
