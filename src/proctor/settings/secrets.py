"""Secrets settings (`PROCTOR_SERVER_SECRETS_*`): where the encryption key comes from and
how large a secret may be.

The key that seals team secrets comes from one of two places:

- `key`: a base64 (urlsafe or standard) 32-byte key in the environment, for deployments
  that keep keys in a secret manager. `old_keys` lists keys it replaced, still needed to
  read rows sealed with them until `proctor server secrets rotate-key` re-sealed them;
- otherwise the key file (`key_file`, default `PROCTOR_HOME/secrets.key`), created with
  mode 0600 on the server's first start. `rotate-key` adds a new key to it, re-seals
  every secret, then drops the keys no row uses any more.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr

from proctor.settings.base import SettingsGroup, group_config


class SecretsSettings(SettingsGroup):
    """The key secrets are encrypted with, and the limits on names and values."""

    model_config = group_config("server", "secrets")

    key: SecretStr | None = Field(
        default=None,
        description="Base64 of a 32-byte AES key. When set, the key file is not used.",
    )
    old_keys: list[SecretStr] = Field(
        default_factory=list,
        description="Keys `key` replaced (JSON list of base64 keys): read-only, until "
        "`proctor server secrets rotate-key` re-sealed every secret with `key`.",
    )
    key_file: Path | None = Field(
        default=None,
        description="The key file (JSON, mode 0600); default `PROCTOR_HOME/secrets.key`.",
    )
    max_value_bytes: int = Field(
        default=65536, ge=1, le=1_048_576, description="Largest secret value (UTF-8 bytes)."
    )


__all__ = ["SecretsSettings"]
