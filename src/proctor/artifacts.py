"""Artifacts: markdown, links and tables a task publishes while it runs.

    from proctor.artifacts import create_markdown_artifact, create_table_artifact

    @task
    def report(rows):
        create_table_artifact(rows, key="daily-rows", description="What was loaded")
        create_markdown_artifact(f"# {len(rows)} rows loaded", key="daily-report")

Run against a server, they appear on the run's and the task run's pages and on the
Artifacts page (latest per key); in a local run they are kept with the task run's state
(`flow_state.result[node].artifacts`). The 1.x spellings (`create_markdown`,
`create_link`, `update_markdown`, `update_link`, `delete_artifact`) are here too.
See docs/artifacts.md.
"""

from proctor.core.artifacts import (
    MAX_ARTIFACT_BYTES,
    Artifact,
    ArtifactError,
    create_link_artifact,
    create_markdown_artifact,
    create_table_artifact,
    delete_artifact,
    update_link_artifact,
    update_markdown_artifact,
)

# The 1.x `prefect.artifacts` names.
create_link = create_link_artifact
create_markdown = create_markdown_artifact
update_link = update_link_artifact
update_markdown = update_markdown_artifact
delete_artifact_new = delete_artifact

__all__ = [
    "MAX_ARTIFACT_BYTES",
    "Artifact",
    "ArtifactError",
    "create_link",
    "create_link_artifact",
    "create_markdown",
    "create_markdown_artifact",
    "create_table_artifact",
    "delete_artifact",
    "delete_artifact_new",
    "update_link",
    "update_link_artifact",
    "update_markdown",
    "update_markdown_artifact",
]
