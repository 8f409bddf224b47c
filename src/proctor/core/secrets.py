"""`Secret`: a named secret a flow reads at run time, never written into its code.

    from proctor import Secret, flow, task

    @task
    def call_api(token: str) -> int: ...

    @task
    def fetch() -> bytes:
        token = Secret("API_TOKEN").get()      # read inside a task
        ...

    @flow
    def etl():
        call_api(Secret("API_TOKEN"))         # as an input: the task gets the value

Where the value comes from:

- in a run started by an agent, from the server: the team's secret, handed out only to
  a run of that team that is Submitted or Running (the run process installs a resolver
  with `set_secret_resolver`);
- locally, from the environment variable `PROCTOR_SECRETS_<NAME>`, else from
  `PROCTOR_HOME/secrets.toml` (`NAME = "value"` lines) or `PROCTOR_HOME/secrets.json`
  (`{"NAME": "value"}`).

Every value read is masked (`****`) in the run's logs and shipped state messages
(`proctor.core.masking`). Passed as a task input, a secret becomes a small task of the
flow (`secret:NAME`) whose result is never checkpointed to a result store.

Workers (`DaskExecutor`, `ProcessExecutor`) never read a run's server secrets: the
`secret:NAME` task runs in the flow-run process, whose resolver holds the run's key, and
the task that takes the secret gets its value as an input, with the chunk. A
`Secret(...).get()` inside a task on a worker reads only the worker's own local secrets
(`worker_lookup`: what its operator gave it), never the server with a key the worker would
have to hold; a name it does not have is refused saying to pass the secret as an argument.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any

from proctor.core.errors import ProctorError
from proctor.core.masking import register_secret_value
from proctor.core.task import Task

if TYPE_CHECKING:
    from proctor.core.flow import Flow
    from proctor.core.graph import Node

ENV_PREFIX = "PROCTOR_SECRETS_"
NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,199}")
NAME_RULE = "letters, digits and underscores, not starting with a digit, at most 200 characters"

#: Reads one secret's value by name; raises `SecretNotFound` when there is none.
SecretResolver = Callable[[str], str]

_resolver: SecretResolver | None = None
_resolver_lock = threading.Lock()
# Set while a worker runs a chunk of a run whose secrets come from a resolver (a server):
# reads there look up local secrets only (see the module docstring). A context variable,
# so a Dask worker running chunks of several runs at once keeps them apart.
_worker_lookup: ContextVar[bool] = ContextVar("proctor_secrets_worker_lookup", default=False)


class SecretError(ProctorError):
    """A secret could not be read (bad name, not found, not allowed)."""


class SecretNotFound(SecretError, KeyError):
    """No secret of that name where this run looks for secrets."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


def check_secret_name(name: object) -> str:
    """`name` if it is a valid secret name, else a `SecretError` saying the rule."""
    if not isinstance(name, str) or NAME_PATTERN.fullmatch(name) is None:
        raise SecretError(f"Invalid secret name {name!r}: use {NAME_RULE}.")
    return name


def set_secret_resolver(resolver: SecretResolver | None) -> SecretResolver | None:
    """Make `resolver` the source of every `Secret` read in this process (None: back to
    local lookup); returns the previous one. Process-wide on purpose: executor threads
    do not inherit context variables."""
    global _resolver
    with _resolver_lock:
        previous, _resolver = _resolver, resolver
    return previous


def resolver_installed() -> bool:
    """Whether this process reads secrets through a resolver (a run started by an agent)."""
    return _resolver is not None


@contextlib.contextmanager
def worker_lookup() -> Iterator[None]:
    """In this context (a worker's chunk of a server run), `Secret.get()` reads local
    secrets only, whatever resolver the process has (a forked worker inherits one)."""
    token = _worker_lookup.set(True)
    try:
        yield
    finally:
        _worker_lookup.reset(token)


def _on_worker(name: str) -> str:
    try:
        return local_secret(name)
    except SecretNotFound:
        raise SecretNotFound(
            f"No secret {name!r} on this worker: tasks on workers never read the run's "
            f"server secrets. Pass Secret({name!r}) to the task as an argument instead (the "
            f"flow run reads it and hands the task its value), or give the worker "
            f"{ENV_PREFIX}{name}."
        ) from None


class Secret:
    """A named secret; `get()` reads its value (see the module docstring for where)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = check_secret_name(name)

    def get(self) -> str:
        """The secret's value (registered for masking before it is returned)."""
        resolver = _resolver
        if _worker_lookup.get():
            value = _on_worker(self.name)
        elif resolver is not None:
            value = resolver(self.name)
        else:
            value = local_secret(self.name)
        if not isinstance(value, str):
            raise SecretError(f"Secret {self.name!r} is not a string.")
        register_secret_value(value)
        return value

    def node_in(self, flow: Flow) -> Node:
        """As a task input inside a flow: a node that reads the secret at run time."""
        return SecretTask(self.name).bind_in_flow(flow, (), {})

    def __repr__(self) -> str:
        return f"Secret({self.name!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other.name == self.name

    def __hash__(self) -> int:
        return hash(("proctor.Secret", self.name))


class SecretTask(Task):
    """The task a `Secret` passed as an input becomes: returns the value, never persists
    it (no checkpoint, no cache), and runs in the flow-run process even when the flow's
    executor runs tasks elsewhere (`runs_in_flow_process`)."""

    #: Read by the executors that run tasks in other processes: run this one in the
    #: flow-run process (where the run's secret resolver is), not on a worker.
    runs_in_flow_process = True

    def __init__(self, secret_name: str, **options: Any) -> None:
        self.secret_name = check_secret_name(secret_name)
        options["checkpoint"] = False
        options.setdefault("description", f"Reads the secret {secret_name}.")
        super().__init__(name=f"secret:{secret_name}", **options)

    def run(self) -> str:
        return Secret(self.secret_name).get()


# -- local lookup -------------------------------------------------------------------------


def _home() -> Path:
    return Path(os.environ.get("PROCTOR_HOME") or "~/.proctor").expanduser()


def _file_secrets(home: Path) -> tuple[Path | None, dict[str, Any]]:
    toml_path, json_path = home / "secrets.toml", home / "secrets.json"
    try:
        if toml_path.is_file():
            import tomllib

            with toml_path.open("rb") as stream:
                return toml_path, tomllib.load(stream)
        if json_path.is_file():
            found = json.loads(json_path.read_text(encoding="utf-8"))
            if not isinstance(found, dict):
                raise SecretError(f"{json_path} must hold one JSON object of names to values.")
            return json_path, found
    except (OSError, ValueError) as error:
        raise SecretError(f"Cannot read the local secrets file: {error}") from None
    return None, {}


def local_secret(name: str) -> str:
    """`PROCTOR_SECRETS_<NAME>`, else the local secrets file in PROCTOR_HOME."""
    value = os.environ.get(ENV_PREFIX + name)
    if value is not None:
        return value
    home = _home()
    path, found = _file_secrets(home)
    if name in found:
        value = found[name]
        if not isinstance(value, str):
            raise SecretError(f"Secret {name!r} in {path} must be a string.")
        return value
    raise SecretNotFound(
        f"No secret {name!r}: set the environment variable {ENV_PREFIX}{name}, or add "
        f'{name} = "..." to {home / "secrets.toml"}.'
    )


__all__ = [
    "ENV_PREFIX",
    "Secret",
    "SecretError",
    "SecretNotFound",
    "SecretResolver",
    "SecretTask",
    "check_secret_name",
    "local_secret",
    "resolver_installed",
    "set_secret_resolver",
    "worker_lookup",
]
