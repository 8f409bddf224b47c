"""Run configs in a real browser: the flow page says where its runs start (a DockerRun's
image and limits, env by name only), and the run form's Environment lines become the
run's env, laid over the flow's for the agent."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from uiapi import Api
from uiflows import ping
from uiharness import shot

from proctor import Flow
from proctor.run_configs import DockerRun


def test_the_flow_page_shows_the_run_config_and_the_form_sets_the_runs_env(
    page: Any, api: Api, artifacts: Path
) -> None:
    with Flow("boxed-ping") as flow:
        ping()
    flow.run_config = DockerRun(
        image="etl:1.4", env={"TOKEN": "s3cr3t", "STAGE": "prod"}, memory="2g", cpu=1.5
    )
    registered = api.register(flow, project="run-configs")

    page.goto(f"/flows/{registered['id']}")
    config = page.get_by_test_id("run-config")
    expect(config).to_contain_text("Docker container")
    expect(config).to_contain_text("image: etl:1.4")
    expect(config).to_contain_text("memory: 2g")
    expect(config).to_contain_text("cpu: 1.5")
    expect(config).to_contain_text("env: TOKEN, STAGE")
    expect(config).not_to_contain_text("s3cr3t")  # names only
    shot(page, artifacts, "flow-run-config")

    page.get_by_role("tab", name="Run", exact=True).click()
    page.get_by_text("Run options").click()
    page.get_by_label("Environment").fill("STAGE=test\nEXTRA=1")
    page.get_by_test_id("run-submit").click()
    expect(page).to_have_url(re.compile(r"/runs/[0-9a-f-]+$"))
    run_id = page.url.rsplit("/", 1)[1]
    [config_of_run] = api.gql(
        "query($ids: [ID!]!) { flowRunConfigs(ids: $ids) { runConfig override } }",
        {"ids": [run_id]},
    )["flowRunConfigs"]
    assert config_of_run["override"] == {"env": {"STAGE": "test", "EXTRA": "1"}}
    assert config_of_run["runConfig"]["env"] == {"TOKEN": "s3cr3t", "STAGE": "test", "EXTRA": "1"}
