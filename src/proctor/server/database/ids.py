"""Time-ordered UUIDs (the UUIDv7 layout) for primary keys.

Random (v4) keys scatter inserts over the whole primary-key index; keys that start with
the time in milliseconds append at its end, which keeps batched inserts of thousands of
rows cheap on both databases. Python 3.11 has no `uuid.uuid7`, hence this small one.
"""

from __future__ import annotations

import os
import time
import uuid

_VERSION_7 = 0x7 << 76
_VARIANT = 0x2 << 62
_RANDOM_A = (1 << 12) - 1
_RANDOM_B = (1 << 62) - 1


def new_id() -> uuid.UUID:
    """A version-7 UUID: 48 bits of Unix milliseconds, then 74 random bits."""
    milliseconds = time.time_ns() // 1_000_000
    random = int.from_bytes(os.urandom(10), "big")
    value = (
        (milliseconds & 0xFFFF_FFFF_FFFF) << 80
        | _VERSION_7
        | ((random >> 62) & _RANDOM_A) << 64
        | _VARIANT
        | (random & _RANDOM_B)
    )
    return uuid.UUID(int=value)


__all__ = ["new_id"]
