"""Task library: a ShellTask whose command fails ends Failed."""

from prefect import Flow
from prefect.tasks.shell import ShellTask

with Flow("library-shell-failure") as flow:
    ShellTask(name="fails")(command="exit 3")
