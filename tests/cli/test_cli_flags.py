"""Short flags mean one thing across the whole `proctor` command.

The command tree is walked as click builds it, so a new command that gives `-p` another
meaning fails here. The only exceptions are 1.x spellings kept so that 1.x scripts run:
each is listed with the command that keeps it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer

from proctor.cli.main import app

# What each short flag means everywhere (what the docs' table of short flags says).
SHORT_FLAGS = {
    "-d": "--description",
    "-e": "--executor",
    "-f": "--follow",
    "-k": "--kind",
    "-l": "--label",
    "-n": "--first",
    "-p": "--param",
    "-q": "--quiet",
    "-r": "--reason",
    "-s": "--search",
    "-t": "--task",
    "-w": "--watch",
    "-y": "--yes",
}
# 1.x spellings: `prefect register -p PATH -n NAME`, `prefect agent ... -n NAME -e K=V`
# (`agent local start` and `agent docker start` too).
ONE_X_SPELLINGS = {
    ("register", "-p"): "--path",
    ("register", "-n"): "--name",
    ("agent start", "-n"): "--name",
    ("agent local start", "-n"): "--name",
    ("agent start", "-e"): "--env",
    ("agent local start", "-e"): "--env",
    ("agent docker start", "-n"): "--name",
    ("agent docker start", "-e"): "--env",
}


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    children = getattr(command, "commands", None)
    if children is None:
        yield " ".join(path), command
        return
    for name, child in children.items():
        yield from _commands(child, (*path, name))


def short_flags() -> dict[tuple[str, str], tuple[str, ...]]:
    """(command, short flag) -> the long names of its option, for every command (an
    option may have more than one: `runs ls --limit/--first/-n`)."""
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for name, command in _commands(typer.main.get_command(app)):
        for param in command.params:
            if param.param_type_name != "option":
                continue
            longs = tuple(opt for opt in param.opts if opt.startswith("--"))
            for opt in [*param.opts, *param.secondary_opts]:
                if not opt.startswith("--") and opt != "-h":
                    found[(name, opt)] = longs or (opt,)
    return found


def test_every_short_flag_means_one_thing():
    found = short_flags()
    assert ("run", "-p") in found and ("run-local", "-p") in found
    wrong = {
        key: longs
        for key, longs in found.items()
        if ONE_X_SPELLINGS.get(key, SHORT_FLAGS.get(key[1])) not in longs
    }
    assert wrong == {}


def test_run_takes_what_the_run_form_takes():
    run = dict(_commands(typer.main.get_command(app)))["run"]
    options = {opt for param in run.params for opt in param.opts}
    assert {"--param", "--params-file", "--run-name", "--label", "--start"} <= options
    run_local = dict(_commands(typer.main.get_command(app)))["run-local"]
    assert "--params-file" in {opt for param in run_local.params for opt in param.opts}
