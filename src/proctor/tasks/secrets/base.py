"""1.x path `prefect.tasks.secrets.base`."""

from proctor.compat.tasks.secrets import PrefectSecret, SecretBase

__all__ = ["PrefectSecret", "SecretBase"]
