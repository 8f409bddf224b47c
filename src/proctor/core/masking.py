"""Masking: every secret value a process has read is replaced by `****` in what it ships.

`Secret.get()` registers the value it returns; the places where text leaves a run (log
records formatted for the console or for the server, state messages sent to the server)
call `mask_secrets`. With no secret read, masking is one truth test, so runs that use no
secrets pay nothing for it.

Besides the value itself, its lines (a multi-line key logged line by line) and its
`repr`/JSON-escaped forms (a value inside an exception's message) are masked. Values
shorter than `MIN_MASKED_LENGTH` characters are not: masking every "a" would make logs
unreadable and hide nothing.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Iterator
from contextvars import ContextVar

MASK = "****"
MIN_MASKED_LENGTH = 3

_lock = threading.Lock()
_values: frozenset[str] = frozenset()
_pattern: re.Pattern[str] | None = None
# Where a worker collects the values its chunk's task runs read, to send them back to the
# flow's process (`collecting_secret_values`); None elsewhere.
_collected: ContextVar[set[str] | None] = ContextVar("proctor_secret_values", default=None)


def _forms(value: str) -> set[str]:
    forms = {value, repr(value)[1:-1], json.dumps(value)[1:-1]}
    forms.update(line.strip() for line in value.splitlines())
    return {form for form in forms if len(form) >= MIN_MASKED_LENGTH}


def register_secret_value(value: str) -> None:
    """Mask `value` (and its escaped forms) in everything this process ships from now on."""
    global _values, _pattern
    collected = _collected.get()
    if collected is not None:
        collected.add(value)  # even if known here: the flow's process may not know it
    forms = _forms(value)
    if forms <= _values:
        return
    with _lock:
        _values = _values | forms
        _pattern = None


def mask_secrets(text: str) -> str:
    """`text` with every registered secret value replaced by `****`."""
    global _pattern
    if not _values or not text:
        return text
    pattern = _pattern
    if pattern is None:
        with _lock:
            # Longest first, so a value containing another is masked whole.
            ordered = sorted(_values, key=len, reverse=True)
            pattern = _pattern = re.compile("|".join(re.escape(form) for form in ordered))
    return pattern.sub(MASK, text)


@contextlib.contextmanager
def collecting_secret_values(into: set[str]) -> Iterator[set[str]]:
    """Also add to `into` every value registered in this context (this thread, and the
    threads that copy its context) until the block ends."""
    token = _collected.set(into)
    try:
        yield into
    finally:
        _collected.reset(token)


def has_secret_values() -> bool:
    return bool(_values)


def is_secret_value(value: object) -> bool:
    """Whether `value` is a secret value this process masks (a string registered)."""
    return isinstance(value, str) and value in _values


def forget_secret_values() -> None:
    """Stop masking (tests; a long-lived process between unrelated runs)."""
    global _values, _pattern
    with _lock:
        _values = frozenset()
        _pattern = None


__all__ = [
    "MASK",
    "MIN_MASKED_LENGTH",
    "collecting_secret_values",
    "forget_secret_values",
    "has_secret_values",
    "is_secret_value",
    "mask_secrets",
    "register_secret_value",
]
