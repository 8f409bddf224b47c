"""Parsing and validating large GraphQL documents off the event loop.

graphql-core's parser and validation are pure Python: a document near the token limit
takes ~100 ms to parse and one near the field limit ~100 ms to validate. Run on the event
loop, every such request stalls `/health`, agents' claims and heartbeats, and every other
request for that long; a client sending them in a loop starves the server. Small
documents (what the UI and the client send) stay on the loop, where a thread hop would
cost more than the work; larger ones go to this pool.

The pool has two threads, so hostile clients queue behind each other here instead of
taking more of the interpreter: the event loop still gets the GIL at every switch
interval (5 ms) while they work, and this work is bounded by the document limits
(`document_scan`, `request_limits`), so no job runs for long.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

# Documents up to this many characters are parsed and validated on the event loop
# (about 1-2 ms of work at most).
INLINE_CHARACTERS = 4096
# A parsed document with more fields than this (fragments expanded) is validated in the
# pool, however short its text.
INLINE_FIELDS = 200
WORKERS = 2

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            # Shared by every app in the process (tests run several); threads are
            # daemon-like workers that exit with the interpreter.
            _pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="proctor-graphql-document")
        return _pool


async def off_loop(work: Callable[[], T]) -> T:
    """`work()` in the document pool; its exceptions are raised here."""
    return await asyncio.get_running_loop().run_in_executor(_executor(), work)


__all__ = ["INLINE_CHARACTERS", "INLINE_FIELDS", "off_loop"]
