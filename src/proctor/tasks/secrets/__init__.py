"""1.x path `prefect.tasks.secrets`."""

from proctor.compat.tasks.secrets import EnvVarSecret, PrefectSecret, SecretBase

__all__ = ["EnvVarSecret", "PrefectSecret", "SecretBase"]
