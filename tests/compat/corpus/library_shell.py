"""Task library: ShellTask runs a command; the last line of output is the result."""

from prefect import Flow
from prefect.tasks.shell import ShellTask

shell = ShellTask(name="shell", return_all=False)
shell_all = ShellTask(name="shell-all", return_all=True)

with Flow("library-shell") as flow:
    shell(command="echo first; echo hello")
    shell_all(command="printf 'a\\nb\\n'")
