"""`proctor runs ls` over every flow, against a real server process: runs of several
flows and projects (seeded with known times), each filter checked against the seeded
values, the 80-column table, and the note about what a limited list leaves out."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.cli.test_cli_server import cli
from tests.server.runs_page_data import Seeded, seed_runs

from proctor.cli.output import UserError
from proctor.cli.runs_list import parse_since
from proctor.testing import ServerProcess

# Run i is scheduled i // 3 hours after t0 (9 h 30 min before the seeding), half an hour
# off every whole hour from then, so `--since 3h` cuts between two scheduled times however
# long the test waits for its turn after the seeding.
QUIET = {
    "PROCTOR_SERVER_RETENTION_ENABLED": "false",
    "PROCTOR_SERVER_SERVICES_ZOMBIE_ENABLED": "false",
    "PROCTOR_SERVER_SERVICES_LAZARUS_ENABLED": "false",
}


@pytest.fixture(scope="module")
def seeded_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, Path, Seeded, datetime]]:
    home = tmp_path_factory.mktemp("runs-ls")
    url = f"sqlite+aiosqlite:///{home / 'proctor.db'}"
    server = ServerProcess(url, home, env=QUIET)
    server.start(timeout=90)  # migrates the new database
    try:
        now = datetime.now(UTC)
        seeded = asyncio.run(seed_runs(url, count=30, t0=now - timedelta(hours=9, minutes=30)))
        yield server.url, home, seeded, now
    finally:
        server.stop()


def ls(seeded_server: tuple[str, Path, Seeded, datetime], *args: str, columns: int = 80):
    url, home, *_ = seeded_server
    return cli("runs", "ls", *args, home=home, api_url=url, columns=columns)


def json_ids(done) -> set[str]:
    assert done.returncode == 0, done.stderr
    return {run["id"] for run in json.loads(done.stdout)["items"]}


def test_every_flow_by_default_in_80_columns(seeded_server):
    seeded = seeded_server[2]
    done = ls(seeded_server)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), done.stdout
    rows = [line for line in lines if "nightly-" in line]
    assert len(rows) == 30  # every run of the team, none of the other team's
    assert any("report" in row for row in rows) and any("etl" in row for row in rows)
    assert "more" not in done.stderr  # nothing left out: no note
    every = json_ids(ls(seeded_server, "--json"))
    assert every == {str(r.id) for r in seeded.runs}


def test_filters(seeded_server):
    runs = seeded_server[2].runs
    failed = json_ids(ls(seeded_server, "--state", "Failed", "--json"))
    assert failed == {str(r.id) for r in runs if r.state_type == "Failed"}
    two = json_ids(ls(seeded_server, "--state", "Success", "--state", "Running", "--json"))
    assert two == {str(r.id) for r in runs if r.state in ("Success", "Running")}
    beta = json_ids(ls(seeded_server, "--project", "beta", "--json"))
    assert beta == {str(r.id) for r in runs if r.project == "beta"}
    report = json_ids(ls(seeded_server, "--flow", "report", "--json"))
    assert report == {str(r.id) for r in runs if r.flow_name == "report"}
    etl_alpha = json_ids(ls(seeded_server, "--flow", "alpha/etl", "--json"))
    assert etl_alpha == {str(r.id) for r in runs if (r.project, r.flow_name) == ("alpha", "etl")}
    recent = json_ids(ls(seeded_server, "--since", "3h", "--json"))
    cut = seeded_server[3] - timedelta(hours=3)
    assert recent == {str(r.id) for r in runs if r.scheduled >= cut}
    assert 0 < len(recent) < len(runs)
    since_iso = json_ids(
        ls(seeded_server, "--since", cut.isoformat(), "--state", "Failed", "--json")
    )
    assert since_iso == {str(r.id) for r in runs if r.scheduled >= cut and r.state_type == "Failed"}


def test_a_limited_list_says_how_many_more(seeded_server):
    some = ls(seeded_server, "--limit", "5")
    assert some.returncode == 0, some.stderr
    assert len([line for line in some.stdout.splitlines() if "nightly-" in line]) == 5
    assert "showing 5 of 30: 25 more; use --limit N, --all" in some.stderr
    as_json = ls(seeded_server, "--limit", "5", "--json")
    assert len(json.loads(as_json.stdout)["items"]) == 5 and "25 more" in as_json.stderr
    everything = ls(seeded_server, "--limit", "5", "--all", "--json")
    assert len(json.loads(everything.stdout)["items"]) == 30 and "more" not in everything.stderr


def test_bad_since_is_a_clear_error_and_help_lists_the_options(seeded_server):
    bad = ls(seeded_server, "--since", "yesterday")
    assert bad.returncode == 2
    assert "cannot read --since 'yesterday'" in bad.stderr and "Traceback" not in bad.stderr
    helped = ls(seeded_server, "--help")
    for option in ("--all", "--since", "--state", "--flow", "--project", "--limit", "--json"):
        assert option in helped.stdout


def test_parse_since_reads_times_ago_and_iso_times():
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    assert parse_since("2h", now) == now - timedelta(hours=2)
    assert parse_since("1d", now) == now - timedelta(days=1)
    assert parse_since(" 30m ", now) == now - timedelta(minutes=30)
    assert parse_since("1w", now) == now - timedelta(weeks=1)
    assert parse_since("2026-04-30T08:00Z", now) == datetime(2026, 4, 30, 8, 0, tzinfo=UTC)
    with pytest.raises(UserError):
        parse_since("2 fortnights", now)
