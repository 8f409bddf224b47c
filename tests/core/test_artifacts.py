"""Artifacts in a local run: kept with each task run's state (from thread and process
workers alike), tables in every accepted shape, secrets masked, updates and deletions
collapsed, clear errors for what cannot be published, and nothing kept (no error) outside
a task run. Also the 1.x spellings."""

from __future__ import annotations

import pytest

from proctor import Flow, task
from proctor.artifacts import (
    MAX_ARTIFACT_BYTES,
    ArtifactError,
    create_link,
    create_link_artifact,
    create_markdown,
    create_markdown_artifact,
    create_table_artifact,
    delete_artifact,
    update_markdown_artifact,
)
from proctor.core.artifacts import table_data
from proctor.core.masking import register_secret_value
from proctor.executors import ProcessExecutor, ThreadExecutor


@task
def publish(x: int) -> int:
    create_markdown_artifact(f"# Report {x}", key="report", description="the report")
    create_link_artifact("https://example.com/runs", "runs", key="runs")
    create_table_artifact([{"a": x, "b": "y"}, {"a": x + 1}], key="rows")
    return x


def _published(executor=None):
    with Flow("publishing") as flow:
        mapped = publish.map([1, 2])
    state = flow.run(executor=executor) if executor is not None else flow.run()
    assert state.is_successful()
    return [
        [(a.type, a.key, a.task_slug, a.map_index, a.data) for a in child.artifacts]
        for child in state.result[mapped].map_states
    ]


def _expected(x: int, index: int) -> list[tuple]:
    table = {"columns": ["a", "b"], "rows": [[x, "y"], [x + 1, None]]}
    link = {"link": "https://example.com/runs", "text": "runs"}
    return [
        ("markdown", "report", "publish", index, {"markdown": f"# Report {x}"}),
        ("link", "runs", "publish", index, link),
        ("table", "rows", "publish", index, table),
    ]


@pytest.mark.parametrize("kind", ["local", "threads", "processes"])
def test_a_local_run_keeps_each_task_runs_artifacts_with_its_state(kind):
    executor = {
        "local": None,
        "threads": ThreadExecutor(max_workers=2),
        "processes": ProcessExecutor(max_workers=1),
    }[kind]
    assert _published(executor) == [_expected(1, 0), _expected(2, 1)]


def test_tables_in_every_shape():
    assert table_data([[1, "a"], [2]], columns=["n", "s"]) == {
        "columns": ["n", "s"],
        "rows": [[1, "a"], [2, None]],
    }
    assert table_data([[1, 2]]) == {"columns": ["1", "2"], "rows": [[1, 2]]}
    assert table_data({"n": [1, 2], "s": ["a"]}) == {
        "columns": ["n", "s"],
        "rows": [[1, "a"], [2, None]],
    }
    # Cells JSON cannot hold are shown as text; not-a-number too.
    assert table_data([{"when": object.__new__(_Shown), "x": float("nan")}])["rows"] == [
        ["shown", "nan"]
    ]
    with pytest.raises(ArtifactError, match="rows of 3 cells but 2 columns"):
        table_data([[1, 2, 3]], columns=["a", "b"])
    with pytest.raises(ArtifactError, match="Row 1 of the table is a str"):
        table_data([[1], "oops"])
    with pytest.raises(ArtifactError, match="not int"):
        table_data(5)  # type: ignore[arg-type]


class _Shown:
    def __str__(self) -> str:
        return "shown"


def test_secrets_are_masked_in_what_is_published():
    register_secret_value("hunter2-artifact-secret")

    @task
    def leaky() -> None:
        create_markdown_artifact(
            "token: hunter2-artifact-secret", description="hunter2-artifact-secret"
        )
        create_table_artifact([{"token": "hunter2-artifact-secret"}])

    with Flow("leaky") as flow:
        node = leaky()
    markdown, table = flow.run().result[node].artifacts
    assert markdown.data == {"markdown": "token: ****"}
    assert markdown.description == "****"
    assert table.data["rows"] == [["****"]]


def test_too_large_or_malformed_artifacts_fail_the_task_with_a_clear_message():
    @task
    def huge() -> None:
        create_markdown_artifact("x" * (MAX_ARTIFACT_BYTES + 1), key="big")

    @task
    def not_text() -> None:
        create_markdown_artifact(42)  # type: ignore[arg-type]

    with Flow("bad") as flow:
        too_big = huge()
        wrong = not_text()
    state = flow.run()
    big_state = state.result[too_big]
    assert big_state.is_failed()
    assert "artifact 'big' is 1,000,0" in big_state.message
    assert "at most 1,000,000" in big_state.message
    assert "Markdown must be text, not int" in state.result[wrong].message


ELSEWHERE = "0b6f3c3e-8a51-4f0e-9d0e-6f1f2c3d4e5f"  # made by another task run


def test_updates_replace_and_deletions_remove_within_a_task_run():
    @task
    def evolving() -> None:
        first = create_markdown_artifact("v1", key="progress")
        update_markdown_artifact(first, "v2")
        gone = create_link_artifact("https://example.com/tmp")
        delete_artifact(gone)
        delete_artifact(ELSEWHERE)

    with Flow("evolving") as flow:
        node = evolving()
    kept = flow.run().result[node].artifacts
    assert [(a.key, a.data, a.deleted) for a in kept] == [
        ("progress", {"markdown": "v2"}, False),
        (None, {}, True),  # an artifact of another task run: the deletion goes to the server
    ]
    assert kept[1].id == ELSEWHERE


def test_an_update_or_deletion_needs_an_artifact_id():
    @task
    def careless() -> None:
        update_markdown_artifact("my-report", "v2")

    with Flow("careless") as flow:
        node = careless()
    assert "'my-report' is not an artifact id" in flow.run().result[node].message
    with pytest.raises(ArtifactError, match="not an artifact id"):
        delete_artifact("nope")


def test_outside_a_task_run_an_artifact_is_made_and_not_kept():
    made = create_markdown("# not in a run")
    assert isinstance(made, str) and len(made) == 36
    assert isinstance(create_link("https://example.com"), str)
