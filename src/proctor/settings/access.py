"""The one way to read settings: `get_settings()`, and `temporary_settings()` for tests.

Settings are built lazily on first use, then cached for as long as the `PROCTOR_*`
environment stays the same: a test (or a CLI option) that changes a variable sees the new
value on the next call, and nobody reads the environment at import time.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import BaseModel
from pydantic_settings import BaseSettings

from proctor.settings.base import ENV_ROOT
from proctor.settings.root import Settings

_lock = threading.Lock()
_cache: tuple[tuple[tuple[str, str], ...], Settings] | None = None

# Names accepted by `PROCTOR_DATABASE_URL`-style aliases, besides the derived ones.
_ALIASES = {"PROCTOR_DATABASE_URL"}


def _environment_key() -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(ENV_ROOT)))


def get_settings() -> Settings:
    """The current settings (rebuilt when a `PROCTOR_*` variable changed since last time)."""
    global _cache
    key = _environment_key()
    cached = _cache
    if cached is not None and cached[0] == key:
        return cached[1]
    with _lock:
        settings = Settings()
        _cache = (key, settings)
    return settings


def setting_names() -> set[str]:
    """Every environment variable name the settings tree reads."""
    names = set(_ALIASES)

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, field in model.model_fields.items():
            annotation = field.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseSettings):
                walk(annotation, f"{prefix}{name.upper()}_")
            else:
                names.add(f"{prefix}{name.upper()}")

    walk(Settings, ENV_ROOT)
    return names


def _variable_name(key: str) -> str:
    name = key.upper()
    if not name.startswith(ENV_ROOT):
        name = ENV_ROOT + name
    return name


@contextmanager
def temporary_settings(**overrides: Any) -> Iterator[Settings]:
    """Override settings inside a `with` block, by variable name without the prefix.

    `temporary_settings(server_database_url="sqlite+aiosqlite:///x.db", home=tmp)` sets
    `PROCTOR_SERVER_DATABASE_URL` and `PROCTOR_HOME` for the block (None unsets one) and
    yields the resulting settings. Unknown names raise at once, so a typo cannot silently
    test the defaults. Not for concurrent use from several threads: it changes
    `os.environ`.
    """
    known = setting_names()
    variables = {_variable_name(key): value for key, value in overrides.items()}
    unknown = sorted(set(variables) - known)
    if unknown:
        raise KeyError(f"Unknown setting(s): {', '.join(unknown)}")
    saved = {name: os.environ.get(name) for name in variables}
    try:
        for name, value in variables.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = str(value)
        yield get_settings()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


__all__ = ["get_settings", "setting_names", "temporary_settings"]
