"""Persisting results: every output written as JSON to a templated location, and a
`target` that skips the work when today's report already exists."""

from __future__ import annotations

import os

from proctor import flow, task
from proctor.results import JSONSerializer, LocalResult

BASE = os.environ.get("EXAMPLE_RESULTS_DIR", ".proctor-example-results")
AS_JSON = LocalResult(
    dir=BASE,
    location="{flow_name}/{task_name}/{parameters[region]}-{map_index}.json",
    serializer=JSONSerializer(),
)


@task(result=AS_JSON)
def sales(store: int) -> dict:
    return {"store": store, "total": 1000 + 37 * store}


@task(
    result=LocalResult(dir=BASE, serializer=JSONSerializer()),
    target="reports/{parameters[region]}-{today}.json",
)
def daily_report(rows: list[dict]) -> dict:
    return {"stores": len(rows), "total": sum(row["total"] for row in rows)}


@task
def stores() -> list[int]:
    return [1, 2, 3]


@flow
def persisted_results(region: str = "north"):
    """Compute per-store sales (persisted) and one daily report (a target)."""
    daily_report(sales.map(stores()))


if __name__ == "__main__":
    state = persisted_results.run(region="north")
    assert state.is_successful(), state
    for child in state.result["sales"].map_states:
        print("sales saved at", child.result_location)
    report = state.result["daily_report"]
    print("report", report.name, "at", report.result_location, report.result)
