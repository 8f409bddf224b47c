"""A nightly report as artifacts: a table of what was loaded, a markdown summary and a link.

Run locally, the artifacts stay with each task run's state (printed below); registered
and run by an agent, the run's Artifacts tab, the task run's page and the Artifacts page
show them (docs/artifacts.md).
"""

from proctor import flow, task
from proctor.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_table_artifact,
)

TABLES = {"orders": 120, "customers": 14, "refunds": 3}


@task
def load(table: str) -> int:
    return TABLES[table]


@task
def report(counts: list[int]) -> int:
    rows = [{"table": name, "rows": count} for name, count in zip(TABLES, counts, strict=True)]
    create_table_artifact(rows, key="loaded-tables", description="Rows loaded per table")
    total = sum(counts)
    create_markdown_artifact(
        f"# Nightly load\n\n**{total}** rows in {len(rows)} tables.", key="nightly-report"
    )
    create_link_artifact("https://example.com/dashboards/etl", "ETL dashboard", key="dashboard")
    return total


@flow
def nightly():
    report(load.map(list(TABLES)))


if __name__ == "__main__":
    state = nightly.run()
    summary = nightly.get_tasks(name="report")[0]
    for artifact in state.result[summary].artifacts:
        print(f"{artifact.type} {artifact.key}: {artifact.data}")
