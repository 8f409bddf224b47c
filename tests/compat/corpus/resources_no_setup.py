"""Resources: a manager without setup() gives None to the block; a failed init skips the
clean-up and fails the block's tasks."""

from prefect import Flow, resource_manager, task


@resource_manager
class Lock:
    def __init__(self, name):
        self.name = name

    def cleanup(self, resource):
        return None


@resource_manager(name="Broken")
class BrokenResource:
    def __init__(self):
        raise ValueError("cannot open")

    def setup(self):
        return "never"

    def cleanup(self, resource):
        return None


@task
def guarded(value):
    return f"guarded {value}"


@task
def inside():
    return "inside"


with Flow("resources-no-setup") as flow:
    with Lock("db") as nothing:
        guarded(nothing)
    with BrokenResource():
        inside()
