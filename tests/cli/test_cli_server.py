"""The server-facing commands as a new user meets them: long lists, names, flags, tables.

Everything runs against a real server process (one per module) through the `proctor`
command in a subprocess, the way a shell runs it (stdout and stderr are pipes).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from proctor import Flow, Parameter, task, unmapped
from proctor.client import Client, TaskRunStateChange
from proctor.core.states import Failed, Running, Success
from proctor.testing import ServerProcess

FLOWS = Path(__file__).parent / "flows"


def cli(
    *args: str, home: Path, api_url: str | None, columns: int = 80, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PROCTOR_")}
    env.update({"PROCTOR_HOME": str(home), "COLUMNS": str(columns), "PYTHONWARNINGS": "ignore"})
    if api_url is not None:
        env["PROCTOR_API_URL"] = api_url
    env.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "proctor", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@task
def enrich(x: int, rate: float) -> float:
    return x * rate


@task
def store(values: list[float]) -> int:
    return len(values)


@pytest.fixture(scope="module")
def big_run(server: ServerProcess) -> dict[str, str]:
    """A registered flow and one run of it with 205 mapped children; child 204 failed."""
    with Flow("enrichment") as flow:
        xs = Parameter("xs", default=[1, 2], type=list[int])
        store(enrich.map(xs, unmapped(1.5)))
    project = f"crm-{uuid.uuid4().hex[:6]}"
    with Client(server.url) as client:
        registered = client.register_flow(project, dict(flow.serialize()), create_project=True)
        run = client.create_flow_run(registered.flow.id, name="fearless-dolphin")
        changes = [TaskRunStateChange(flow_run_id=run.id, task_slug="enrich", state=Running())]
        changes += [
            TaskRunStateChange(
                flow_run_id=run.id,
                task_slug="enrich",
                map_index=index,
                state=Failed("ValueError: record 204 has no id") if index == 204 else Success(),
            )
            for index in range(205)
        ]
        client.set_task_run_states(changes)
    return {"project": project, "flow": registered.flow.id, "run": run.id}


# -- 4. no list stops silently -------------------------------------------------------------


def test_runs_show_lists_the_failed_task_run_first_and_says_what_it_left_out(
    server: ServerProcess, server_home: Path, big_run: dict[str, str]
):
    shown = cli("runs", "show", big_run["run"], home=server_home, api_url=server.url, columns=160)
    assert shown.returncode == 0, shown.stderr
    rows = [line for line in shown.stdout.splitlines() if line.strip().startswith("enrich")]
    assert rows[0].split()[0] == "enrich[204]"  # the failed one, first
    assert "record 204 has no id" in rows[0]
    assert len(rows) == 200
    assert "showing 200 of 206 task runs (1 failed, listed first)" in shown.stderr
    assert "--all" in shown.stderr and "--limit" in shown.stderr


def test_runs_show_all_and_json_count_every_task_run(
    server: ServerProcess, server_home: Path, big_run: dict[str, str]
):
    every = cli("runs", "show", big_run["run"], "--all", home=server_home, api_url=server.url)
    assert every.returncode == 0, every.stderr
    lines = [line.strip() for line in every.stdout.splitlines()]
    labels = {line.split()[0] for line in lines if line.startswith("enrich")}
    assert labels == {"enrich"} | {f"enrich[{index}]" for index in range(205)}
    assert "showing" not in every.stderr
    data = cli(
        "runs",
        "show",
        big_run["run"],
        "--json",
        "--limit",
        "5",
        home=server_home,
        api_url=server.url,
    )
    page = json.loads(data.stdout)["task_runs"]
    assert page["total_count"] == 206 and page["shown"] == 5
    assert page["items"][0]["map_index"] == 204, (
        [i["map_index"] for i in page["items"]],
        data.args,
    )


def test_a_mapped_child_is_found_by_slug_and_index(
    server: ServerProcess, server_home: Path, big_run: dict[str, str]
):
    one = cli(
        "runs",
        "show",
        big_run["run"],
        "--task",
        "enrich[137]",
        "--json",
        home=server_home,
        api_url=server.url,
    )
    assert one.returncode == 0, one.stderr
    items = json.loads(one.stdout)["task_runs"]["items"]
    assert [(item["task_slug"], item["map_index"]) for item in items] == [("enrich", 137)]
    bad = cli(
        "runs", "show", big_run["run"], "--task", "enrich[x", home=server_home, api_url=server.url
    )
    assert bad.returncode == 2 and "enrich[137]" in bad.stderr and "Traceback" not in bad.stderr


def test_runs_ls_and_logs_say_how_to_see_more(
    server: ServerProcess, server_home: Path, big_run: dict[str, str]
):
    with Client(server.url) as client:
        for _ in range(3):
            client.create_flow_run(big_run["flow"])
    some = cli(
        "runs", "ls", "--flow", big_run["flow"], "-n", "2", home=server_home, api_url=server.url
    )
    assert some.returncode == 0, some.stderr
    assert "showing 2 of 4" in some.stderr and "--all" in some.stderr
    every = cli(
        "runs",
        "ls",
        "--flow",
        big_run["flow"],
        "--all",
        "--json",
        home=server_home,
        api_url=server.url,
    )
    assert len(json.loads(every.stdout)["items"]) == 4


# -- 16. names, not only ids ---------------------------------------------------------------


def test_flows_show_and_runs_ls_take_names(
    server: ServerProcess, server_home: Path, big_run: dict[str, str]
):
    for ref in ("enrichment", f"{big_run['project']}/enrichment"):
        shown = cli(
            "flows", "show", ref, "--json", home=server_home, api_url=server.url, columns=200
        )
        assert shown.returncode == 0, shown.stderr
        assert json.loads(shown.stdout)["id"] == big_run["flow"]
    runs = cli(
        "runs",
        "ls",
        "--flow",
        f"{big_run['project']}/enrichment",
        "--json",
        "--all",
        home=server_home,
        api_url=server.url,
    )
    assert runs.returncode == 0, runs.stderr
    assert big_run["run"] in {run["id"] for run in json.loads(runs.stdout)["items"]}
    missing = cli("flows", "show", "no-such-flow", home=server_home, api_url=server.url)
    assert missing.returncode == 2 and "no registered flow named 'no-such-flow'" in missing.stderr


def test_a_name_two_projects_use_is_refused_with_the_choices(
    server: ServerProcess, server_home: Path
):
    with Flow("twin") as flow:
        store([1.0])
    projects = sorted(f"twin-{uuid.uuid4().hex[:6]}" for _ in range(2))
    with Client(server.url) as client:
        ids = [
            client.register_flow(project, dict(flow.serialize()), create_project=True).flow.id
            for project in projects
        ]
    both = cli("flows", "show", "twin", home=server_home, api_url=server.url)
    assert both.returncode == 2
    assert f"say which ({projects[0]}/twin, {projects[1]}/twin)" in both.stderr
    assert "Traceback" not in both.stderr
    for project, flow_id in zip(projects, ids, strict=True):
        one = cli(
            "flows", "show", f"{project}/twin", "--json", home=server_home, api_url=server.url
        )
        assert one.returncode == 0, one.stderr
        assert json.loads(one.stdout)["id"] == flow_id
        by_option = cli(
            "runs",
            "ls",
            "--flow",
            "twin",
            "--project",
            project,
            home=server_home,
            api_url=server.url,
        )
        assert by_option.returncode == 0, by_option.stderr


# -- 15. tables, help, values --------------------------------------------------------------


def test_ids_and_names_never_wrap_at_80_columns(
    server: ServerProcess, server_home: Path, big_run: dict[str, str]
):
    listed = cli(
        "runs", "ls", "--flow", big_run["flow"], home=server_home, api_url=server.url, columns=80
    )
    assert listed.returncode == 0, listed.stderr
    found = [line for line in listed.stdout.splitlines() if big_run["run"] in line]
    assert found, listed.stdout
    line = found[0]
    assert "fearless-dolphin" in line and "enrichment" in line
    # nothing is wider than the terminal; the times left out to fit are named
    assert all(len(line) <= 80 for line in listed.stdout.splitlines()), listed.stdout
    assert "SCHEDULED, STARTED, ENDED left out to fit 80 columns" in listed.stderr
    assert "--json" in listed.stderr
    wide = cli(
        "runs", "ls", "--flow", big_run["flow"], home=server_home, api_url=server.url, columns=200
    )
    assert "left out" not in wide.stderr and "SCHEDULED" in wide.stdout
    flows = cli(
        "flows",
        "ls",
        "--project",
        big_run["project"],
        home=server_home,
        api_url=server.url,
        columns=80,
    )
    assert any(
        big_run["flow"] in line and "enrichment" in line for line in flows.stdout.splitlines()
    )
    assert all(len(line) <= 80 for line in flows.stdout.splitlines()), flows.stdout


def test_help_shows_no_value_placeholder_on_flags_and_hides_execute():
    home = Path(os.environ["PROCTOR_HOME"])
    top = cli("--help", home=home, api_url=None, columns=120)
    assert top.returncode == 0
    assert "<bool>" not in top.stdout
    assert " execute " not in top.stdout and "run-local" in top.stdout
    for command in (["run"], ["runs", "show"], ["run-local"], ["flows", "ls"]):
        shown = cli(*command, "--help", home=home, api_url=None, columns=120)
        assert shown.returncode == 0, command
        assert "<bool>" not in shown.stdout, command
        assert "--json" in shown.stdout or "--quiet" in shown.stdout


def test_a_negative_limit_is_refused_by_its_value():
    home = Path(os.environ["PROCTOR_HOME"])
    done = cli("limits", "set", "db", "-1", home=home, api_url="http://127.0.0.1:9")
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines == [
        "Error: limit must be 0 or more (got -1): 0 holds every run until it is raised"
    ]


# -- 14. run takes what the UI form takes ------------------------------------------------


def test_run_takes_a_params_file_name_labels_and_start_time(
    server: ServerProcess, server_home: Path, big_run: dict[str, str], tmp_path: Path
):
    params = tmp_path / "params.json"
    params.write_text(json.dumps({"xs": [1, 2, 3]}))
    done = cli(
        "run",
        f"{big_run['project']}/enrichment",
        "--params-file",
        str(params),
        "-p",
        "xs=[4,5]",
        "--run-name",
        "nightly-backfill",
        "--label",
        "gpu",
        "--label",
        "eu",
        "--start",
        "2030-01-02T03:04:05+00:00",
        "--json",
        home=server_home,
        api_url=server.url,
    )
    assert done.returncode == 0, done.stderr
    created = json.loads(done.stdout)
    with Client(server.url) as client:
        run = client.get_flow_run(created["id"])
    assert run.name == "nightly-backfill"
    assert run.parameters["xs"] == [4, 5]  # --param wins over the file
    assert sorted(run.labels) == ["eu", "gpu"]
    assert run.scheduled_start_time is not None
    assert run.scheduled_start_time.astimezone(UTC) == datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_run_refuses_a_start_time_it_cannot_read_and_has_no_short_project_flag(
    server: ServerProcess, server_home: Path, big_run: dict[str, str]
):
    bad = cli(
        "run",
        f"{big_run['project']}/enrichment",
        "--start",
        "tomorrow-ish",
        home=server_home,
        api_url=server.url,
    )
    assert bad.returncode == 2 and "cannot read start time 'tomorrow-ish'" in bad.stderr
    assert len([line for line in bad.stderr.splitlines() if line.strip()]) == 1
    # -p is --param everywhere: `-p NAME` is a parameter, never a project
    wrong = cli("run", "enrichment", "-p", big_run["project"], home=server_home, api_url=server.url)
    assert wrong.returncode == 2 and "NAME=VALUE" in wrong.stderr
