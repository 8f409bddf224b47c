"""`/health` latency while hostile GraphQL clients run (issue 14, High 1).

    python benchmarks/hostile.py [--database-url URL] [--seconds 20] [--threads 2]
                                 [--repeat 5] [--skip DOCUMENT ...]

Starts a real `proctor server start` (SQLite in a temporary folder unless
`--database-url` names e.g. a PostgreSQL database) and prints JSON lines:
- `documents`: each hostile document posted alone, several times: its size, the code it
  is refused with, and the p50 of its round trip (what one such request costs the
  server, since the client waits for nothing else);
- `health`: `/health` probed every 0.1 s for `--seconds`, first with no other client
  ("quiet"), then while `--threads` threads post the hostile documents in turn
  ("hostile"): p50, p99 and max latency in ms, and how many probes were not 200.

`--skip fragment_bomb_40_undefined` measures a server from before that document was
refused (it kept such a server busy for ever).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("PROCTOR_LOGGING_LEVEL", "WARNING")

import httpx

from proctor.testing import ServerProcess


def aliases(count: int, field: str = "me { role }") -> str:
    return "{ " + " ".join(f"a{i}: {field}" for i in range(count)) + " }"


def fragment_bomb(levels: int = 40, leaf: str = "projects { id }") -> str:
    fragments = [f"fragment F0 on Query {{ {leaf} }}"]
    fragments += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels)]
    return f"{{ ...F{levels - 1} }} " + " ".join(fragments)


# The same documents as the hostile-clients test (tests/agent/hostile.py).
DOCUMENTS = {
    "aliases_50000_1MB": aliases(50_000),
    "aliases_2000": aliases(2_000),
    "fragment_bomb_40": fragment_bomb(),
    "fragment_bomb_40_undefined": fragment_bomb(leaf="...Undefined"),
    "nested_3000": "{" + "flows {" * 3_000 + "id" + "}" * 3_000 + "}",
}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def code_of(response: httpx.Response) -> object:
    try:
        errors = (response.json() or {}).get("errors") or []
    except ValueError:
        return ("HTTP", response.status_code)
    return errors[0].get("extensions", {}).get("code") if errors else ("HTTP", response.status_code)


def measure_documents(url: str, repeat: int) -> None:
    with httpx.Client(base_url=url, timeout=120) as http:
        for name, document in DOCUMENTS.items():
            timings: list[float] = []
            codes: Counter[object] = Counter()
            for _ in range(repeat):
                began = time.perf_counter()
                response = http.post("/graphql", json={"query": document})
                timings.append(time.perf_counter() - began)
                codes[code_of(response)] += 1
            print(
                json.dumps(
                    {
                        "benchmark": "documents",
                        "document": name,
                        "bytes": len(document),
                        "codes": {str(code): n for code, n in codes.items()},
                        "p50_ms": round(statistics.median(timings) * 1000, 1),
                        "max_ms": round(max(timings) * 1000, 1),
                    }
                ),
                flush=True,
            )


def hostile_loop(url: str, stop: threading.Event, offset: int, sent: list[int]) -> None:
    documents = list(DOCUMENTS.values())
    with httpx.Client(base_url=url, timeout=120) as http:
        n = offset
        while not stop.is_set():
            with contextlib.suppress(httpx.HTTPError):
                http.post("/graphql", json={"query": documents[n % len(documents)]})
            n += 1
            sent[offset] += 1


def probe_health(url: str, seconds: float) -> tuple[list[float], Counter[object]]:
    latencies: list[float] = []
    statuses: Counter[object] = Counter()
    deadline = time.monotonic() + seconds
    with httpx.Client(base_url=url, timeout=30) as http:
        while time.monotonic() < deadline:
            began = time.perf_counter()
            try:
                statuses[http.get("/health").status_code] += 1
            except httpx.HTTPError as error:
                statuses[type(error).__name__] += 1
            latencies.append(time.perf_counter() - began)
            time.sleep(0.1)
    return latencies, statuses


def report_health(
    phase: str, latencies: list[float], statuses: Counter[object], **extra: object
) -> None:
    print(
        json.dumps(
            {
                "benchmark": "health",
                "phase": phase,
                "probes": len(latencies),
                "p50_ms": round(statistics.median(latencies) * 1000, 1),
                "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
                "max_ms": round(max(latencies) * 1000, 1),
                "not_200": sum(n for status, n in statuses.items() if status != 200),
                "statuses": {str(status): n for status, n in statuses.items()},
                **extra,
            }
        ),
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--skip", action="append", default=[], help="leave out a document (by name)"
    )
    args = parser.parse_args()
    for name in args.skip:
        DOCUMENTS.pop(name)
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        url = args.database_url or f"sqlite+aiosqlite:///{home / 'bench.db'}"
        server = ServerProcess(url, home)
        api = server.start(timeout=60)
        base = api.rsplit("/graphql", 1)[0]
        try:
            measure_documents(base, args.repeat)
            latencies, statuses = probe_health(base, args.seconds)
            report_health("quiet", latencies, statuses)
            stop = threading.Event()
            sent = [0] * args.threads
            threads = [
                threading.Thread(target=hostile_loop, args=(base, stop, n, sent))
                for n in range(args.threads)
            ]
            for thread in threads:
                thread.start()
            try:
                latencies, statuses = probe_health(base, args.seconds)
            finally:
                stop.set()
                for thread in threads:
                    thread.join(timeout=120)
            report_health("hostile", latencies, statuses, hostile_requests=sum(sent))
        finally:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
