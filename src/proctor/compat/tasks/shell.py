"""`ShellTask`: run a command with a shell; its output becomes the task's result."""

from __future__ import annotations

import logging
import os
import subprocess
import tempfile
from collections.abc import Mapping
from typing import Any

from proctor.compat.utilities import defaults_from_attrs
from proctor.core import signals
from proctor.core.logs import get_run_logger
from proctor.core.task import Task


class ShellTask(Task):
    """Runs `command` with `shell` (bash by default); stdout and stderr are read together.

    Returns the last line of output (None when there is none), or every line with
    `return_all=True`; each line has its trailing whitespace removed. A non-zero exit
    fails the task run with "Command failed with exit code N" and the output as its
    result. `helper_script` runs first in the same shell (for `cd`, exports, functions);
    `env` is added to this process's environment. `stream_output` logs each line as it
    comes (True: at INFO, or a level such as "DEBUG"); `log_stderr` logs the output at
    ERROR when the command fails.
    """

    def __init__(
        self,
        command: str | None = None,
        env: Mapping[str, str] | None = None,
        helper_script: str | None = None,
        shell: str = "bash",
        return_all: bool = False,
        log_stderr: bool = False,
        stream_output: bool | int | str = False,
        **kwargs: Any,
    ) -> None:
        self.command = command
        self.env = None if env is None else dict(env)
        self.helper_script = helper_script
        self.shell = shell
        self.return_all = return_all
        self.log_stderr = log_stderr
        self.stream_output = stream_output
        super().__init__(**kwargs)

    @defaults_from_attrs("command", "env", "helper_script")
    def run(
        self,
        command: str | None = None,
        env: Mapping[str, str] | None = None,
        helper_script: str | None = None,
    ) -> Any:
        if command is None:
            raise TypeError("run() missing required argument: 'command'")
        environment = {**os.environ, **{k: str(v) for k, v in (env or {}).items()}}
        script = f"{helper_script}\n{command}" if helper_script else command
        level = _level(self.stream_output)
        logger = get_run_logger()
        lines: list[str] = []
        # A script file rather than `-c`, so multi-line commands and helper scripts behave
        # as they would when written to a file and run by the shell.
        with tempfile.NamedTemporaryFile("w", prefix="proctor-", suffix=".sh") as file:
            file.write(script)
            file.flush()
            with subprocess.Popen(
                [self.shell, file.name],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env=environment,
            ) as process:
                assert process.stdout is not None
                for raw in process.stdout:
                    line = raw.decode("utf-8", errors="replace").rstrip()
                    lines.append(line)
                    if level is not None:
                        logger.log(level, line)
                code = process.wait()
        if code != 0:
            message = f"Command failed with exit code {code}"
            logger.error(message)
            if self.log_stderr:
                logger.error("\n".join(lines))
            raise signals.FAIL(message, result=lines if self.return_all else _last(lines))
        return lines if self.return_all else _last(lines)


def _last(lines: list[str]) -> str | None:
    return lines[-1] if lines else None


def _level(stream_output: bool | int | str) -> int | None:
    if stream_output is True:
        return logging.INFO
    if not stream_output:
        return None
    if isinstance(stream_output, int):
        return stream_output
    level = logging.getLevelName(str(stream_output).upper())
    return level if isinstance(level, int) else logging.INFO


__all__ = ["ShellTask"]
