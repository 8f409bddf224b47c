"""Publishes one artifact of each kind (the markdown with hostile HTML in it) and
persists a JSON result under `AGENT_TEST_DIR`: what the artifact and result-panel tests
run through a real agent."""

import os
from pathlib import Path

from proctor import flow, task
from proctor.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_table_artifact,
    update_markdown_artifact,
)
from proctor.results import JSONSerializer, LocalResult

WORK = Path(os.environ.get("AGENT_TEST_DIR", "/tmp/proctor-agent-test"))

HOSTILE = """# Nightly report

Rows **loaded**: 12, see [the dashboard](https://example.com/dash).

<script>window.__pwned = 'script'</script>
<img src="x" onerror="window.__pwned = 'img'">
[click me](javascript:window.__pwned='link')
"""


@task
def summarise(day: str) -> dict:
    draft = create_markdown_artifact("drafting...", key="nightly-report")
    update_markdown_artifact(draft, HOSTILE)
    create_link_artifact("https://example.com/runs/1", "Run on the warehouse", key="warehouse")
    create_table_artifact(
        [{"table": "orders", "rows": 10}, {"table": "users", "rows": 2}],
        key="loaded-tables",
        description=f"Tables loaded on {day}",
    )
    return {"day": day, "rows": 12}


@task
def scores(n: int) -> int:
    create_table_artifact([[n, n * n]], columns=["n", "square"], key="squares")
    return n * n


@flow(result=LocalResult(dir=WORK / "results", serializer=JSONSerializer()))
def publishing(day: str = "2026-12-07"):
    summarise(day)
    scores.map([1, 2])
