"""1.x secret tasks: `PrefectSecret("NAME")` is a task whose value is the Proctor secret NAME.

Where the value comes from is Proctor's rule (`proctor.core.secrets`): the server, in a run
an agent started; the environment or PROCTOR_HOME's secrets file, locally.
"""

from __future__ import annotations

import os
from typing import Any

from proctor.core.secrets import Secret
from proctor.core.task import Task


class SecretBase(Task):
    """Base of the secret tasks: never checkpointed, so a value is never persisted."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["checkpoint"] = False
        super().__init__(**kwargs)


class PrefectSecret(SecretBase):
    """`PrefectSecret("API_TOKEN")` in a flow -> the secret's value at run time."""

    def __init__(self, name: str | None = None, **kwargs: Any) -> None:
        self.secret_name = name
        kwargs.setdefault("name", name)
        super().__init__(**kwargs)

    def run(self, name: str | None = None) -> Any:
        wanted = name or self.secret_name
        if wanted is None:
            raise ValueError("PrefectSecret needs the secret's name: PrefectSecret('NAME').")
        return Secret(wanted).get()


class EnvVarSecret(SecretBase):
    """`EnvVarSecret("VAR", raise_if_missing=False, cast=None)` -> an environment variable."""

    def __init__(
        self,
        name: str | None = None,
        cast: Any = None,
        raise_if_missing: bool = False,
        **kwargs: Any,
    ) -> None:
        self.var_name = name
        self.cast = cast
        self.raise_if_missing = raise_if_missing
        kwargs.setdefault("name", name)
        super().__init__(**kwargs)

    def run(self, name: str | None = None) -> Any:
        wanted = name or self.var_name
        if wanted is None:
            raise ValueError("EnvVarSecret needs a variable name: EnvVarSecret('VAR').")
        if wanted not in os.environ:
            if self.raise_if_missing:
                raise ValueError(f"Environment variable {wanted!r} is not set.")
            return None
        value = os.environ[wanted]
        return self.cast(value) if self.cast is not None else value


__all__ = ["EnvVarSecret", "PrefectSecret", "SecretBase"]
