"""An ETL flow: extract pages of records, transform each page in parallel, load the result.

The extract step talks to a flaky source (it fails on its first attempt), so it retries
with exponential backoff. Run it with `proctor run-local examples/etl.py --param pages=5`.
"""

from __future__ import annotations

from proctor import exponential_backoff, flow, get_run_logger, task, unmapped

_attempts: dict[int, int] = {}


@task(retries=3, retry_delay=exponential_backoff(base=0.1), tags=["io"])
def extract(page: int) -> list[dict]:
    """Fetch one page of records; the first call for each page fails like a flaky API."""
    _attempts[page] = _attempts.get(page, 0) + 1
    if _attempts[page] == 1:
        raise ConnectionError(f"page {page}: connection reset (simulated)")
    return [{"id": page * 100 + i, "amount": (page + 1) * i} for i in range(4)]


@task
def pages_to_fetch(pages: int) -> list[int]:
    return list(range(pages))


@task
def transform(records: list[dict], rate: float) -> list[dict]:
    """Convert amounts with the given rate."""
    return [{**record, "amount": round(record["amount"] * rate, 2)} for record in records]


@task
def load(batches: list[list[dict]]) -> int:
    """Store every record (here: count them and log the total)."""
    rows = [record for batch in batches for record in batch]
    get_run_logger().info(
        "loaded %d rows, total amount %.2f", len(rows), sum(r["amount"] for r in rows)
    )
    return len(rows)


@flow
def etl(pages: int = 3, rate: float = 1.1):
    """Extract pages, transform them in parallel, load the result."""
    raw = extract.map(pages_to_fetch(pages))
    cleaned = transform.map(raw, rate=unmapped(rate))
    load(cleaned)


if __name__ == "__main__":
    state = etl.run(pages=3)
    assert state.is_successful(), state
    print("rows loaded:", state.result["load"].result)
