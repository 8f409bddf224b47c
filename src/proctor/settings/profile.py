"""The login profile: the server URL and API key saved by `proctor login --key`.

Kept in `PROCTOR_HOME/profile.json` with mode 0600 (only its owner can read it). Clients
and agents use the key when `PROCTOR_API_KEY` is not set, and only for the URL it was
saved with, so a key is never sent to another server.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

PROFILE_FILE = "profile.json"


@dataclass(frozen=True)
class Profile:
    api_url: str
    api_key: str


def profile_path(home: Path) -> Path:
    return home / PROFILE_FILE


def same_url(a: str, b: str) -> bool:
    return a.rstrip("/").lower() == b.rstrip("/").lower()


def load_profile(home: Path) -> Profile | None:
    """The saved profile, or None (no file, or one that is not a profile)."""
    try:
        data = json.loads(profile_path(home).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    url, key = data.get("api_url"), data.get("api_key")
    if not isinstance(url, str) or not isinstance(key, str) or not url or not key:
        return None
    return Profile(api_url=url, api_key=key)


def save_profile(home: Path, profile: Profile) -> Path:
    """Write the profile atomically, readable by its owner only."""
    home.mkdir(parents=True, exist_ok=True)
    path = profile_path(home)
    temporary = path.with_name(f".{PROFILE_FILE}.{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump({"api_url": profile.api_url, "api_key": profile.api_key}, file)
    os.replace(temporary, path)
    return path


def delete_profile(home: Path) -> bool:
    try:
        profile_path(home).unlink()
    except FileNotFoundError:
        return False
    return True


__all__ = [
    "PROFILE_FILE",
    "Profile",
    "delete_profile",
    "load_profile",
    "profile_path",
    "same_url",
    "save_profile",
]
