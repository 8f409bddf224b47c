"""The keys team secrets are sealed with: AES-256-GCM, each key named by a fingerprint.

`load_keyring(settings)` returns the `Keyring` the settings point at:

- `server.secrets.key` (plus `old_keys`) when set: keys kept outside Proctor;
- otherwise the key file (`server.secrets.key_file`, default `PROCTOR_HOME/secrets.key`),
  created on first use with mode 0600. It is JSON: `{"current": id, "keys": {id: b64}}`.

The file is re-read whenever it changes on disk, so a server sees a rotation done by
`proctor server secrets rotate-key` at once: it can read rows sealed with the new key and
seals new values with it.

A sealed value is `nonce (12 bytes) || ciphertext+tag`, with the tenant id and the secret's
name as associated data: a row copied to another team or name does not open.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import logging
import os
import stat
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from proctor.server.errors import ProctorServerError
from proctor.settings import Settings

logger = logging.getLogger("proctor.server.secrets")

KEY_BYTES = 32
NONCE_BYTES = 12
FILE_NAME = "secrets.key"


class KeyringError(ProctorServerError):
    """The key material is unusable (bad setting, unreadable file, missing key)."""

    default_code = "INTERNAL"


def key_id(key: bytes) -> str:
    """A key's name: a short fingerprint (the same key always has the same id)."""
    return "k" + hashlib.sha256(b"proctor-secret-key:" + key).hexdigest()[:15]


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


def decode_key(text: str, where: str) -> bytes:
    cleaned = text.strip()
    try:
        padded = cleaned + "=" * (-len(cleaned) % 4)
        key = base64.urlsafe_b64decode(padded.replace("+", "-").replace("/", "_"))
    except (binascii.Error, ValueError):
        raise KeyringError(f"{where} is not base64.") from None
    if len(key) != KEY_BYTES:
        raise KeyringError(f"{where} must decode to {KEY_BYTES} bytes, not {len(key)}.")
    return key


def encode_key(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode()


def associated_data(tenant_id: uuid.UUID, name: str) -> bytes:
    return f"proctor-secret:{tenant_id}:{name}".encode()


@dataclass(frozen=True)
class Keyring:
    """The current key (what new values are sealed with) and every key still readable."""

    current_id: str
    keys: dict[str, bytes] = field(repr=False)
    path: Path | None = None  # None: the keys come from settings

    def seal(self, value: str, aad: bytes) -> tuple[bytes, str]:
        """`value` sealed with the current key, and that key's id."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keys[self.current_id]).encrypt(nonce, value.encode(), aad)
        return nonce + sealed, self.current_id

    def open(self, sealed: bytes, sealed_with: str | None, aad: bytes) -> str:
        """The value of a sealed row; `KeyringError` if its key is gone or it was altered."""
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        key = self.keys.get(sealed_with or "")
        if key is None:
            raise KeyringError(
                f"The secret was sealed with key {sealed_with}, which this server does not "
                "have: restore the key file or PROCTOR_SERVER_SECRETS_OLD_KEYS."
            )
        try:
            plain = AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], aad)
        except (InvalidTag, ValueError):
            raise KeyringError("A stored secret failed its integrity check.") from None
        return plain.decode()


# -- the key file ---------------------------------------------------------------------------


def key_file_path(settings: Settings) -> Path:
    configured = settings.server.secrets.key_file
    path = Path(configured).expanduser() if configured else settings.home / FILE_NAME
    return Path(path)


def _ring_from_document(document: Any, path: Path) -> Keyring:
    if not isinstance(document, dict) or not isinstance(document.get("keys"), dict):
        raise KeyringError(f"{path} is not a Proctor key file.")
    keys = {
        str(name): decode_key(str(value), f"key {name} in {path}")
        for name, value in document["keys"].items()
    }
    current = document.get("current")
    if current not in keys:
        raise KeyringError(f"{path} names no current key that it holds.")
    return Keyring(str(current), keys, path)


def _document(ring: Keyring) -> dict[str, Any]:
    return {
        "version": 1,
        "current": ring.current_id,
        "keys": {name: encode_key(key) for name, key in ring.keys.items()},
    }


def _write_private(path: Path, text: str) -> Path:
    """A new file next to `path` holding `text`, readable by its owner only."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.write(text)
        stream.flush()
        os.fsync(stream.fileno())
    return temporary


def write_key_file(path: Path, ring: Keyring) -> None:
    """Replace the key file atomically (a reader sees the old or the new one, whole)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = _write_private(path, json.dumps(_document(ring), indent=2) + "\n")
    os.replace(temporary, path)


def create_key_file(path: Path) -> Keyring:
    """A new key file with one fresh key; if another process made one first, that one."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = new_key()
    ring = Keyring(key_id(key), {key_id(key): key}, path)
    temporary = _write_private(path, json.dumps(_document(ring), indent=2) + "\n")
    try:
        os.link(temporary, path)  # fails if the file exists: never overwrite a key
    except FileExistsError:
        return read_key_file(path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    logger.info("Created the secrets key file %s (mode 0600): back it up.", path)
    return ring


def read_key_file(path: Path) -> Keyring:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise KeyringError(f"Cannot read the secrets key file {path}: {error}") from None
    try:
        document = json.loads(text)
    except ValueError:
        raise KeyringError(f"{path} is not a Proctor key file (not JSON).") from None
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        logger.warning("The secrets key file %s is readable by others (mode %o)", path, mode)
    return _ring_from_document(document, path)


def add_key(path: Path) -> Keyring:
    """Add a fresh key to the key file (created if missing) and make it the current one;
    the others stay, so rows sealed with them still open."""
    ring = read_key_file(path) if path.exists() else create_key_file(path)
    key = new_key()
    rotated = Keyring(key_id(key), {**ring.keys, key_id(key): key}, path)
    write_key_file(path, rotated)
    return rotated


def drop_unused_keys(path: Path, used: set[str | None]) -> list[str]:
    """Remove from the key file the keys that are neither current nor in `used`."""
    ring = read_key_file(path)
    kept = {name: key for name, key in ring.keys.items() if name in used or name == ring.current_id}
    dropped = sorted(set(ring.keys) - set(kept))
    if dropped:
        write_key_file(path, Keyring(ring.current_id, kept, path))
    return dropped


# -- which keyring the settings mean ----------------------------------------------------------

_cache: dict[Path, tuple[tuple[int, int, int], Keyring]] = {}
_cache_lock = threading.Lock()


def _from_settings(configured: Any) -> Keyring:
    current = decode_key(configured.key.get_secret_value(), "PROCTOR_SERVER_SECRETS_KEY")
    keys = {key_id(current): current}
    for index, old in enumerate(configured.old_keys):
        older = decode_key(old.get_secret_value(), f"PROCTOR_SERVER_SECRETS_OLD_KEYS[{index}]")
        keys.setdefault(key_id(older), older)
    return Keyring(key_id(current), keys, None)


def load_keyring(settings: Settings, *, create: bool = True) -> Keyring:
    """The keyring of `settings` (the key file is created when missing and `create`)."""
    configured = settings.server.secrets
    if configured.key is not None:
        return _from_settings(configured)
    path = key_file_path(settings)
    try:
        info = path.stat()
    except FileNotFoundError:
        if not create:
            raise KeyringError(f"There is no secrets key file at {path} yet.") from None
        with _cache_lock:
            ring = create_key_file(path)
            info = path.stat()
            _cache[path] = ((info.st_ino, info.st_mtime_ns, info.st_size), ring)
            return ring
    version = (info.st_ino, info.st_mtime_ns, info.st_size)
    cached = _cache.get(path)
    if cached is not None and cached[0] == version:
        return cached[1]
    ring = read_key_file(path)
    with _cache_lock:
        _cache[path] = (version, ring)
    return ring


__all__ = [
    "Keyring",
    "KeyringError",
    "add_key",
    "associated_data",
    "create_key_file",
    "decode_key",
    "drop_unused_keys",
    "encode_key",
    "key_file_path",
    "key_id",
    "load_keyring",
    "new_key",
    "read_key_file",
    "write_key_file",
]
