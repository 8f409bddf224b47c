"""1.x path `prefect.tasks.shell`."""

from proctor.compat.tasks.shell import ShellTask

__all__ = ["ShellTask"]
