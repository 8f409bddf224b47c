"""Hostile GraphQL documents, and a client that keeps sending them from threads."""

from __future__ import annotations

import threading
from collections import Counter

import httpx


def aliases(count: int, field: str = "me { role }") -> str:
    return "{ " + " ".join(f"a{i}: {field}" for i in range(count)) + " }"


def fragment_bomb(levels: int = 40, leaf: str = "projects { id }") -> str:
    fragments = [f"fragment F0 on Query {{ {leaf} }}"]
    fragments += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels)]
    return f"{{ ...F{levels - 1} }} " + " ".join(fragments)


DOCUMENTS = (
    aliases(50_000),  # ~1 MB
    aliases(2_000),  # within the token limit, over the alias limit
    fragment_bomb(),
    fragment_bomb(leaf="...Undefined"),  # expands to no field at all
    "{" + "flows {" * 3_000 + "id" + "}" * 3_000 + "}",
)


class HostileClients:
    """`threads` threads posting `DOCUMENTS` in turn until `stop()`; `codes` counts the
    error codes of the answers (and `("HTTP", status)` for non-GraphQL answers)."""

    def __init__(self, url: str, headers: dict[str, str] | None = None, threads: int = 2) -> None:
        self.url = url
        self.headers = headers or {}
        self.codes: Counter[object] = Counter()
        self.sent = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._loop, args=(n,)) for n in range(threads)]

    def __enter__(self) -> HostileClients:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=120)

    def _loop(self, offset: int) -> None:
        with httpx.Client(base_url=self.url, headers=self.headers, timeout=120) as http:
            n = offset
            while not self._stop.is_set():
                document = DOCUMENTS[n % len(DOCUMENTS)]
                n += 1
                try:
                    response = http.post("/graphql", json={"query": document})
                except httpx.HTTPError as error:
                    code: object = ("ERROR", type(error).__name__)
                else:
                    errors = (response.json() or {}).get("errors") or []
                    code = (
                        errors[0].get("extensions", {}).get("code")
                        if errors
                        else ("HTTP", response.status_code)
                    )
                with self._lock:
                    self.codes[code] += 1
                    self.sent += 1


class HealthProbe:
    """GETs /health every `interval` s from a thread; keeps statuses and latencies."""

    def __init__(self, url: str, interval: float = 0.1, timeout: float = 10.0) -> None:
        self.url = url
        self.interval = interval
        self.timeout = timeout
        self.statuses: list[object] = []
        self.latencies: list[float] = []
        self.failures: list[str] = []  # bodies of answers other than 200, for the report
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop)

    def __enter__(self) -> HealthProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=60)

    def _loop(self) -> None:
        import time

        with httpx.Client(base_url=self.url, timeout=self.timeout) as http:
            while not self._stop.wait(self.interval):
                began = time.perf_counter()
                try:
                    response = http.get("/health")
                    status: object = response.status_code
                    if response.status_code != 200:
                        self.failures.append(response.text)
                except httpx.HTTPError as error:
                    status = type(error).__name__
                self.latencies.append(time.perf_counter() - began)
                self.statuses.append(status)
