"""Password hashing with argon2id (argon2-cffi), parameters from the settings.

Hashing costs tens of milliseconds and tens of MiB on purpose, so it runs in a worker
thread, never on the event loop. A login for an unknown email still verifies against a
dummy hash, so the answer time does not tell which emails have accounts.
"""

from __future__ import annotations

import asyncio
from functools import cached_property
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from proctor.server.errors import InvalidInput

MIN_LENGTH = 8
MAX_LENGTH = 1024


def check_policy(password: Any) -> str:
    """`password` if it is acceptable as a new password, else `InvalidInput`."""
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise InvalidInput(f"A password needs at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"A password has at most {MAX_LENGTH} characters.")
    return password


class Passwords:
    """Hashes and verifies passwords with the configured argon2id cost."""

    def __init__(self, *, time_cost: int = 3, memory_kib: int = 65536, parallelism: int = 4):
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism
        )

    @classmethod
    def from_settings(cls, auth: Any) -> Passwords:
        return cls(
            time_cost=auth.argon2_time_cost,
            memory_kib=auth.argon2_memory_kib,
            parallelism=auth.argon2_parallelism,
        )

    @cached_property
    def _dummy(self) -> str:
        return self._hasher.hash("not a password anyone has")

    def hash_now(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify_now(self, hashed: str | None, password: str) -> bool:
        """Whether `password` matches `hashed` (a missing hash costs the same and fails)."""
        try:
            return self._hasher.verify(hashed or self._dummy, password) and hashed is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self.hash_now, password)

    async def verify(self, hashed: str | None, password: str) -> bool:
        return await asyncio.to_thread(self.verify_now, hashed, password)


__all__ = ["MAX_LENGTH", "MIN_LENGTH", "Passwords", "check_policy"]
